import { fail, type EngineErrorCode } from './errors.js';

/**
 * Bit packing and Base64 shared by GNU Backgammon's Position ID and Match ID: both pack a bit
 * string least-significant-bit first into bytes, then write the bytes as Base64 without padding.
 */

const BASE64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const BITS_PER_CHARACTER = 6;

/** Writes values into a fixed number of bytes, first bit into the lowest bit of the first byte. */
export class BitWriter {
  private readonly bytes: Uint8Array;
  private offset = 0;

  constructor(byteCount: number) {
    this.bytes = new Uint8Array(byteCount);
  }

  /** Appends the `width` low bits of `value`, lowest bit first. */
  write(value: number, width: number): void {
    for (let bit = 0; bit < width; bit++) {
      if ((value >>> bit) & 1) this.bytes[this.offset >>> 3]! |= 1 << (this.offset & 7);
      this.offset++;
    }
  }

  toBytes(): Uint8Array {
    return this.bytes.slice();
  }
}

/** Reads values back in the order a BitWriter wrote them. */
export class BitReader {
  private offset = 0;

  constructor(private readonly bytes: Uint8Array) {}

  /** Reads `width` bits (at most 31) as a number, lowest bit first. Missing bits read as 0. */
  read(width: number): number {
    let value = 0;
    for (let bit = 0; bit < width; bit++) {
      const byte = this.bytes[this.offset >>> 3] ?? 0;
      value |= ((byte >>> (this.offset & 7)) & 1) << bit;
      this.offset++;
    }
    return value;
  }

  /** True when every bit not read yet is 0. */
  restIsZero(): boolean {
    while (this.offset < this.bytes.length * 8) if (this.read(1) !== 0) return false;
    return true;
  }
}

/** Base64 without `=` padding, as gnubg writes its IDs. */
export function encodeBase64(bytes: Uint8Array): string {
  let text = '';
  let buffer = 0;
  let bufferedBits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bufferedBits += 8;
    while (bufferedBits >= BITS_PER_CHARACTER) {
      bufferedBits -= BITS_PER_CHARACTER;
      text += BASE64_ALPHABET[(buffer >>> bufferedBits) & 63];
    }
    buffer &= (1 << bufferedBits) - 1;
  }
  if (bufferedBits > 0) text += BASE64_ALPHABET[(buffer << (BITS_PER_CHARACTER - bufferedBits)) & 63];
  return text;
}

/** What an ID is called in messages, how many bytes it holds, and the code to refuse it with. */
export interface Base64Id {
  readonly name: string;
  readonly byteCount: number;
  readonly errorCode: EngineErrorCode;
}

function base64Length(byteCount: number): number {
  return Math.ceil((byteCount * 8) / BITS_PER_CHARACTER);
}

/**
 * Decodes exactly the text `encodeBase64` writes for `format.byteCount` bytes: the right
 * length, Base64 characters only, no padding, and unused low bits of the last character zero.
 */
export function decodeBase64(text: unknown, format: Base64Id): Uint8Array {
  const { name, byteCount, errorCode } = format;
  const length = base64Length(byteCount);
  if (typeof text !== 'string') fail(errorCode, `a ${name} must be a string, not ${typeof text}`);
  if (text.length !== length) {
    fail(errorCode, `a ${name} has ${length} characters, not ${text.length}: "${text}"`);
  }
  const bytes = new Uint8Array(byteCount);
  let buffer = 0;
  let bufferedBits = 0;
  let byteIndex = 0;
  for (let index = 0; index < text.length; index++) {
    const sextet = BASE64_ALPHABET.indexOf(text[index]!);
    if (sextet < 0) {
      const character = text[index];
      fail(errorCode, `${name} "${text}" has "${character}" at position ${index + 1}, which is not a Base64 character`);
    }
    buffer = (buffer << BITS_PER_CHARACTER) | sextet;
    bufferedBits += BITS_PER_CHARACTER;
    if (bufferedBits >= 8) {
      bufferedBits -= 8;
      bytes[byteIndex++] = (buffer >>> bufferedBits) & 0xff;
      buffer &= (1 << bufferedBits) - 1;
    }
  }
  if (buffer !== 0) fail(errorCode, `${name} "${text}" has stray bits in its last character`);
  return bytes;
}
