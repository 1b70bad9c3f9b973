import { BitReader, BitWriter, decodeBase64, encodeBase64, type Base64Id } from './bits.js';
import { EngineError, fail } from './errors.js';
import { assertPosition, BAR, CHECKERS, emptySide, OFF, type Position, type Side } from './position.js';

/**
 * GNU Backgammon's Position ID. Each side in turn lists its points 1..24 and then its bar, from
 * its own point of view: one 1-bit per checker, then a 0-bit. gnubg lists the side NOT on roll
 * first, so our `opponent` comes before our `player`. The bits are padded to 80 and packed
 * into 10 bytes, written as 14 Base64 characters.
 */
const POSITION_ID: Base64Id = { name: 'Position ID', byteCount: 10, errorCode: 'INVALID_POSITION_ID' };
const KEY_ORDER: readonly Side[] = ['opponent', 'player'];

export function positionId(position: Position): string {
  assertPosition(position);
  const writer = new BitWriter(POSITION_ID.byteCount);
  for (const side of KEY_ORDER) {
    for (let slot = 1; slot <= BAR; slot++) {
      for (let checker = 0; checker < position[side][slot]!; checker++) writer.write(1, 1);
      writer.write(0, 1);
    }
  }
  return encodeBase64(writer.toBytes());
}

/** Reads a Position ID; refuses, with INVALID_POSITION_ID, anything gnubg would not write. */
export function positionFromId(id: string): Position {
  const reader = new BitReader(decodeBase64(id, POSITION_ID));
  const opponent = readSide(reader, 'opponent', id);
  const player = readSide(reader, 'player', id);
  if (!reader.restIsZero()) invalid(id, 'the bits after both sides must all be 0');
  const position: Position = { player, opponent };
  assertValidPosition(position, id);
  return position;
}

/**
 * Reads one side's 25 counts. The 15-checker limit also guarantees the 80 bits hold every
 * 0-bit: at most 30 ones leave room for all 50 separators.
 */
function readSide(reader: BitReader, side: Side, id: string): number[] {
  const counts = emptySide();
  let onBoard = 0;
  for (let slot = 1; slot <= BAR; slot++) {
    while (reader.read(1) === 1) {
      counts[slot]!++;
      if (++onBoard > CHECKERS) invalid(id, `the ${sideName(side)} has more than ${CHECKERS} checkers`);
    }
  }
  counts[OFF] = CHECKERS - onBoard;
  return counts;
}

function assertValidPosition(position: Position, id: string): void {
  try {
    assertPosition(position);
  } catch (error) {
    if (error instanceof EngineError) invalid(id, error.message);
    throw error;
  }
}

function sideName(side: Side): string {
  return side === 'player' ? 'side on roll' : 'side not on roll';
}

function invalid(id: string, reason: string): never {
  fail('INVALID_POSITION_ID', `Position ID "${id}" is not a valid position: ${reason}`);
}
