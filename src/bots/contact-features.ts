import { BAR } from '../engine/index.js';

// Local copy: an imported binding is a getter call per read under the TypeScript loader.
const BAR_SLOT = BAR;

/**
 * Features of a contact position the raw board encoding leaves the net to discover, in GNU
 * Backgammon's manner: how likely a side is to hit, to enter from the bar, to escape its
 * rearmost checker (each a share of the 36 rolls, in 0..1), and how far it is from breaking
 * contact (pips, scaled to about 0..1).
 */

/**
 * The share of rolls with which `mover` (to play next) hits at least one blot of `other`,
 * directly or with both dice through an open point (doubles: up to four moves); a mover with
 * checkers on the bar enters them first and hits with what is left of the roll (the rule to
 * play both dice, which forbids a few such hits, is not applied). Both sides
 * from their own point of view; `other`'s point q is the mover's 25 - q. Boards are read into
 * bit masks of the mover's points, so that the 21 rolls cost a few operations per blot.
 */
export function hitChance(mover: readonly number[], other: readonly number[]): number {
  let blots = 0;
  for (let point = 1; point <= 24; point++) if (other[25 - point] === 1) blots |= 1 << point;
  if (blots === 0) return 0;
  const held = heldPoints(other);
  let checkers = 0;
  for (let point = 1; point <= 24; point++) if (mover[point]! > 0) checkers |= 1 << point;
  const onBar = mover[BAR_SLOT]!;
  let hits = 0;
  for (let d1 = 1; d1 <= 6; d1++) {
    for (let d2 = d1; d2 <= 6; d2++) {
      const hit = onBar === 0 ? hitsFromBoard(checkers, blots, held, d1, d2, 4) : hitsFromBar(checkers, blots, held, d1, d2, onBar);
      if (hit) hits += d1 === d2 ? 1 : 2;
    }
  }
  return hits / 36;
}

/** Whether a checker on `checkers` hits a blot with these dice, doubles moving at most `moves` times. */
function hitsFromBoard(checkers: number, blots: number, held: number, d1: number, d2: number, moves: number): boolean {
  for (let blot = 1; blot <= 24; blot++) {
    if ((blots & (1 << blot)) === 0) continue;
    // Bit k: a checker k pips from the blot.
    const near = checkers >>> blot;
    if (d1 === d2) {
      let wayOpen = true;
      for (let step = 1; step <= moves && wayOpen; step++) {
        if (near & (1 << (step * d1))) return true;
        wayOpen = blot + step * d1 <= 24 && (held & (1 << (blot + step * d1))) === 0;
      }
      continue;
    }
    if (near & ((1 << d1) | (1 << d2))) return true;
    if (near & (1 << (d1 + d2)) && ((held & (1 << (blot + d1))) === 0 || (held & (1 << (blot + d2))) === 0)) return true;
  }
  return false;
}

/** Checkers on the bar enter first: the entering checkers hit on their entry points, the moves left with any checker. */
function hitsFromBar(checkers: number, blots: number, held: number, d1: number, d2: number, onBar: number): boolean {
  if (d1 === d2) {
    const entry = 25 - d1;
    if (held & (1 << entry)) return false;
    if (blots & (1 << entry)) return true;
    return onBar < 4 && hitsFromBoard(checkers | (1 << entry), blots, held, d1, d1, 4 - onBar);
  }
  if (blots & ((1 << (25 - d1)) | (1 << (25 - d2)))) return true;
  if (onBar >= 2) return false;
  for (const [enter, next] of [[d1, d2], [d2, d1]] as const) {
    const entry = 25 - enter;
    if (held & (1 << entry)) continue;
    if (hitsWithOneDie(checkers | (1 << entry), blots, next)) return true;
  }
  return false;
}

function hitsWithOneDie(checkers: number, blots: number, die: number): boolean {
  return ((checkers >>> die) & blots) !== 0;
}

/** The share of rolls on which a checker of `side` on the bar cannot enter; 0 with none on the bar. */
export function entryBlocked(side: readonly number[], other: readonly number[]): number {
  if (side[BAR_SLOT] === 0) return 0;
  let closed = 0;
  for (let point = 19; point <= 24; point++) if (other[25 - point]! >= 2) closed++;
  return (closed * closed) / 36;
}

/**
 * The share of rolls with which the rearmost checker of `side`, while still in the other
 * side's half of the board (or on the bar), gets to its own half (point 12 or nearer home)
 * through open points; 1 once no checker is left behind.
 */
export function escapeChance(side: readonly number[], other: readonly number[]): number {
  const back = rearmostPoint(side);
  if (back <= HOME_HALF) return 1;
  const held = heldPoints(other);
  let escapes = 0;
  for (let d1 = 1; d1 <= 6; d1++) {
    for (let d2 = d1; d2 <= 6; d2++) {
      const escaped = d1 === d2 ? escapesWithDouble(held, back, d1) : escapesVia(held, back, d1, d2) || escapesVia(held, back, d2, d1);
      if (escaped) escapes += d1 === d2 ? 1 : 2;
    }
  }
  return escapes / 36;
}

/** The side's own half: its points 1 to 12. */
const HOME_HALF = 12;

/** Whether the point (the side's own numbering; off the board below 1) is free to stop on. */
function isOpen(held: number, point: number): boolean {
  return point < 1 || (held & (1 << point)) === 0;
}

function escapesWithDouble(held: number, from: number, die: number): boolean {
  let at = from;
  for (let step = 0; step < 4; step++) {
    at -= die;
    if (!isOpen(held, at)) return false;
    if (at <= HOME_HALF) return true;
  }
  return false;
}

/** Moving `first` and then `second`, stopping on open points. */
function escapesVia(held: number, from: number, first: number, second: number): boolean {
  const middle = from - first;
  if (!isOpen(held, middle)) return false;
  if (middle <= HOME_HALF) return true;
  const end = middle - second;
  return end <= HOME_HALF && isOpen(held, end);
}

/**
 * The pips `side` must still move for every checker of its to get past the rearmost checker
 * of `other` (to the point below it), / 152: how far it is from breaking contact. 0 once no
 * checker of `other` is left on the board.
 */
export function contactPips(side: readonly number[], other: readonly number[]): number {
  const passed = pointBelowRearmost(other);
  let pips = 0;
  for (let point = passed + 1; point <= BAR_SLOT; point++) pips += side[point]! * (point - passed);
  return pips / 152;
}

/** The pip count of the checkers of `side` already past the rearmost checker of `other`, / 100. */
export function freePips(side: readonly number[], other: readonly number[]): number {
  const passed = pointBelowRearmost(other);
  let pips = 0;
  for (let point = 1; point <= passed; point++) pips += side[point]! * point;
  return pips / 100;
}

/**
 * In the first side's numbering, the point just below the other side's rearmost checker: 24
 * once it has none on the board, 0 while it has one on the bar (every checker is behind it).
 */
function pointBelowRearmost(other: readonly number[]): number {
  const back = rearmostPoint(other);
  return back === 0 ? 24 : Math.max(0, 24 - back);
}

/** The point (the bar counting as 25) of the side's rearmost checker; 0 once all are off. */
function rearmostPoint(side: readonly number[]): number {
  let back = BAR_SLOT;
  while (back > 0 && side[back] === 0) back--;
  return back;
}

/** Bit p set where `other` holds the first side's point p (two or more of its checkers there). */
function heldPoints(other: readonly number[]): number {
  let held = 0;
  for (let point = 1; point <= 24; point++) if (other[25 - point]! >= 2) held |= 1 << point;
  return held;
}
