import { fail } from './errors.js';

/** Slot indexes in a side's checker array. Points 1..24 are counted from that side's own home. */
export const OFF = 0;
export const BAR = 25;
export const SLOTS = 26;
export const CHECKERS = 15;

/**
 * A board seen from the player on roll. Each side's array has 26 slots counted from that
 * side's own point of view: index 0 holds its borne-off checkers, 1..24 its points (1..6 its
 * home board), 25 its bar. The player's point p is the opponent's point 25 - p.
 * Positions are values: never mutate one, make a new one.
 */
export interface Position {
  readonly player: readonly number[];
  readonly opponent: readonly number[];
}

export type Side = 'player' | 'opponent';

const START_COUNTS: Readonly<Record<number, number>> = Object.freeze({ 6: 5, 8: 3, 13: 5, 24: 2 });

/** An all-empty side. Built element by element so V8 keeps it a packed array of small integers. */
export function emptySide(): number[] {
  return Array.from({ length: SLOTS }, () => 0);
}

function sideFrom(counts: Record<number, number>): number[] {
  const side = emptySide();
  for (const [slot, count] of Object.entries(counts)) side[Number(slot)] = count;
  return side;
}

/**
 * Fresh arrays each time rather than one frozen array: V8 reads frozen arrays several times
 * slower, and every later position shares or copies these.
 */
export function startPosition(): Position {
  return { player: sideFrom(START_COUNTS), opponent: sideFrom(START_COUNTS) };
}

/** Builds a position from sparse counts, e.g. `{ 6: 5, 8: 3 }`; unlisted checkers are borne off. */
export function positionFrom(
  player: Record<number, number>,
  opponent: Record<number, number>,
): Position {
  const position = { player: withBorneOff(sideFrom(player)), opponent: withBorneOff(sideFrom(opponent)) };
  assertPosition(position);
  return position;
}

function withBorneOff(side: number[]): number[] {
  let onBoard = 0;
  for (let slot = 1; slot < SLOTS; slot++) onBoard += side[slot]!;
  side[OFF] = CHECKERS - onBoard;
  return side;
}

/** The same board seen from the other side: the side that was not on roll becomes `player`. */
export function turnAround(position: Position): Position {
  return { player: position.opponent, opponent: position.player };
}

export function pipCount(side: readonly number[]): number {
  let pips = 0;
  for (let slot = 1; slot < SLOTS; slot++) pips += side[slot]! * slot;
  return pips;
}

export function borneOff(side: readonly number[]): number {
  return side[OFF]!;
}

/** Checkers on points 7..24 or the bar: the ones that keep a side from bearing off. */
export function checkersOutsideHome(side: readonly number[]): number {
  let outside = 0;
  for (let slot = 7; slot < SLOTS; slot++) outside += side[slot]!;
  return outside;
}

export function positionsEqual(a: Position, b: Position): boolean {
  return sidesEqual(a.player, b.player) && sidesEqual(a.opponent, b.opponent);
}

export function sidesEqual(a: readonly number[], b: readonly number[]): boolean {
  if (a === b) return true;
  for (let slot = 0; slot < SLOTS; slot++) if (a[slot] !== b[slot]) return false;
  return true;
}

/** Throws INVALID_POSITION unless the position is one a game could reach. */
export function assertPosition(position: unknown): asserts position is Position {
  const problem = positionProblem(position);
  if (problem) fail('INVALID_POSITION', problem);
}

function positionProblem(position: unknown): string | undefined {
  if (typeof position !== 'object' || position === null) return 'a position must be an object';
  const { player, opponent } = position as Partial<Position>;
  const playerProblem = sideProblem(player, 'player');
  if (playerProblem) return playerProblem;
  const opponentProblem = sideProblem(opponent, 'opponent');
  if (opponentProblem) return opponentProblem;
  for (let point = 1; point <= 24; point++) {
    if (player![point]! > 0 && opponent![25 - point]! > 0) {
      return `point ${point} holds checkers of both sides`;
    }
  }
  if (player![OFF] === CHECKERS && opponent![OFF] === CHECKERS) return 'both sides have borne off every checker';
  if (onBarWithHomeClosed(player!) && onBarWithHomeClosed(opponent!)) {
    return 'both sides have checkers on the bar against closed home boards: neither could have moved to make it';
  }
  return undefined;
}

function onBarWithHomeClosed(side: readonly number[]): boolean {
  if (side[BAR] === 0) return false;
  for (let point = 1; point <= 6; point++) if (side[point]! < 2) return false;
  return true;
}

function sideProblem(side: unknown, name: Side): string | undefined {
  if (!Array.isArray(side) || side.length !== SLOTS) return `${name} must be an array of ${SLOTS} checker counts`;
  let total = 0;
  for (let slot = 0; slot < SLOTS; slot++) {
    const count: unknown = side[slot];
    // One comparison refuses non-numbers, fractions, NaN and huge values alike: this runs on every legalPlays call.
    if (((count as number) & 31) !== count) {
      return `${name} slot ${slot} must be a whole number of checkers from 0 to ${CHECKERS}, not ${String(count)}`;
    }
    total += count;
  }
  if (total !== CHECKERS) return `${name} has ${total} checkers instead of ${CHECKERS}`;
  return undefined;
}
