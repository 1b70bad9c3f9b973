/**
 * The fair-dice check in the browser, with Web Crypto: the derivation of src/engine/fair-dice.ts
 * (which needs Node's crypto), rewritten over SubtleCrypto.
 */
export interface RevealedDice {
  serverSeed: string;
  commitment: string;
  clientSeeds: string[];
  rolls: { index: number; dice: number[] }[];
}

export interface DiceCheck {
  commitmentMatches: boolean;
  mismatches: number[];
  checked: number;
}

const ACCEPTED_BYTE_LIMIT = 252;

function hexBytes(hex: string): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(hex.length / 2);
  for (let index = 0; index < bytes.length; index++) bytes[index] = parseInt(hex.slice(index * 2, index * 2 + 2), 16);
  return bytes;
}

function hexOf(buffer: ArrayBuffer): string {
  return [...new Uint8Array(buffer)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

function uint32(value: number): Uint8Array {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setUint32(0, value);
  return bytes;
}

function concat(parts: readonly Uint8Array[]): Uint8Array<ArrayBuffer> {
  const joined = new Uint8Array(parts.reduce((length, part) => length + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    joined.set(part, offset);
    offset += part.length;
  }
  return joined;
}

function seedBlock(clientSeeds: readonly string[]): Uint8Array {
  const encoder = new TextEncoder();
  return concat([uint32(clientSeeds.length), ...clientSeeds.flatMap((seed) => [uint32(encoder.encode(seed).length), encoder.encode(seed)])]);
}

async function diceAt(key: CryptoKey, block: Uint8Array, index: number): Promise<[number, number]> {
  const message = concat([block, uint32(index)]);
  const faces: number[] = [];
  for (let blockNumber = 0; faces.length < 2; blockNumber++) {
    const digest = await crypto.subtle.sign('HMAC', key, blockNumber === 0 ? message : concat([message, uint32(blockNumber)]));
    for (const byte of new Uint8Array(digest)) {
      if (byte >= ACCEPTED_BYTE_LIMIT) continue;
      faces.push((byte % 6) + 1);
      if (faces.length === 2) break;
    }
  }
  return [faces[0]!, faces[1]!];
}

/** Checks the seed against its commitment and recomputes every roll. */
export async function checkFairDice(revealed: RevealedDice): Promise<DiceCheck> {
  const seed = hexBytes(revealed.serverSeed.toLowerCase());
  const commitmentMatches = hexOf(await crypto.subtle.digest('SHA-256', seed)) === revealed.commitment.toLowerCase();
  const key = await crypto.subtle.importKey('raw', seed, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const block = seedBlock(revealed.clientSeeds);
  const mismatches: number[] = [];
  for (const roll of revealed.rolls) {
    const [first, second] = await diceAt(key, block, roll.index);
    if (roll.dice[0] !== first || roll.dice[1] !== second) mismatches.push(roll.index);
  }
  return { commitmentMatches, mismatches, checked: revealed.rolls.length };
}
