import { BAR, OFF, type Position } from '../engine/index.js';
import { contactPips, entryBlocked, escapeChance, freePips, hitChance } from './contact-features.js';

// Local copies of the engine's constants: under the TypeScript loader an imported binding is a
// getter call on every read, which shows in the evaluator's inner loops.
const BAR_SLOT = BAR;
const OFF_SLOT = OFF;

/**
 * The net's inputs for a position seen from the side on roll: TD-Gammon's encoding of each
 * side's board from that side's own point of view (the side on roll first), then a few
 * expert features. Inputs are written sparsely: most are zero.
 *
 * Per side, 98 inputs: for each point 1..24 four units (at least one checker; at least two;
 * at least three; (n - 3) / 2 beyond three), then checkers on the bar / 2 and borne off / 15.
 * Then both pip counts / 100 and both sides' longest run of made points / 6; then, for the side
 * on roll and then the other, the share of rolls with which it would hit a blot, the share on
 * which a checker of its on the bar stays there, and the share with which its rearmost checker
 * escapes to its own half; then, for both sides in the same order, the pips it must still move
 * to get every checker past the other side's rearmost checker / 152, and the pip count of its
 * checkers already past it / 100 (src/bots/contact-features.ts).
 */
export const UNITS_PER_POINT = 4;
export const SIDE_INPUTS = 24 * UNITS_PER_POINT + 2;
export const PIPS_INPUT = 2 * SIDE_INPUTS;
export const PRIME_INPUT = PIPS_INPUT + 2;
export const FEATURES_INPUT = PRIME_INPUT + 2;
export const FEATURE_COUNT = 6;
export const PIP_SPLIT_INPUT = FEATURES_INPUT + FEATURE_COUNT;
export const PIP_SPLIT_COUNT = 4;
export const INPUT_COUNT = PIP_SPLIT_INPUT + PIP_SPLIT_COUNT;

/**
 * The inputs' layout, block by block in input order, as a weights file records it ("name:size"):
 * weights laid out as a leading part of it still fit, with zero weights from the blocks after.
 */
export const INPUT_LAYOUT: readonly string[] = [`board:${2 * SIDE_INPUTS}`, 'pips:2', 'primes:2', `contact:${FEATURE_COUNT}`, `contact-pips:${PIP_SPLIT_COUNT}`];

/** A reusable sparse input vector: the first `count` entries of `indexes` and `values`. */
export class SparseInputs {
  readonly indexes = new Int32Array(INPUT_COUNT);
  readonly values = new Float64Array(INPUT_COUNT);
  count = 0;

  /** The dense vector, for tests and inspection. */
  toDense(): Float64Array {
    const dense = new Float64Array(INPUT_COUNT);
    for (let i = 0; i < this.count; i++) dense[this.indexes[i]!] = this.values[i]!;
    return dense;
  }

  push(index: number, value: number): void {
    this.indexes[this.count] = index;
    this.values[this.count] = value;
    this.count++;
  }
}

export function encodePosition(position: Position, into: SparseInputs): SparseInputs {
  into.count = 0;
  encodeSide(position.player, 0, into);
  encodeSide(position.opponent, SIDE_INPUTS, into);
  into.push(PIPS_INPUT, pips(position.player) / 100);
  into.push(PIPS_INPUT + 1, pips(position.opponent) / 100);
  pushIfSet(into, PRIME_INPUT, longestPrime(position.player) / 6);
  pushIfSet(into, PRIME_INPUT + 1, longestPrime(position.opponent) / 6);
  const { player, opponent } = position;
  pushIfSet(into, FEATURES_INPUT, hitChance(player, opponent));
  pushIfSet(into, FEATURES_INPUT + 1, hitChance(opponent, player));
  pushIfSet(into, FEATURES_INPUT + 2, entryBlocked(player, opponent));
  pushIfSet(into, FEATURES_INPUT + 3, entryBlocked(opponent, player));
  pushIfSet(into, FEATURES_INPUT + 4, escapeChance(player, opponent));
  pushIfSet(into, FEATURES_INPUT + 5, escapeChance(opponent, player));
  pushIfSet(into, PIP_SPLIT_INPUT, contactPips(player, opponent));
  pushIfSet(into, PIP_SPLIT_INPUT + 1, contactPips(opponent, player));
  pushIfSet(into, PIP_SPLIT_INPUT + 2, freePips(player, opponent));
  pushIfSet(into, PIP_SPLIT_INPUT + 3, freePips(opponent, player));
  return into;
}

function encodeSide(side: readonly number[], base: number, into: SparseInputs): void {
  for (let point = 1; point <= 24; point++) {
    const n = side[point]!;
    if (n === 0) continue;
    const unit = base + (point - 1) * UNITS_PER_POINT;
    into.push(unit, 1);
    if (n >= 2) into.push(unit + 1, 1);
    if (n >= 3) into.push(unit + 2, 1);
    if (n > 3) into.push(unit + 3, (n - 3) / 2);
  }
  pushIfSet(into, base + 96, side[BAR_SLOT]! / 2);
  pushIfSet(into, base + 97, side[OFF_SLOT]! / 15);
}

function pushIfSet(into: SparseInputs, index: number, value: number): void {
  if (value !== 0) into.push(index, value);
}

function pips(side: readonly number[]): number {
  let total = 0;
  for (let slot = 1; slot <= BAR_SLOT; slot++) total += side[slot]! * slot;
  return total;
}

/** The longest run of consecutive points holding two or more of the side's checkers. */
function longestPrime(side: readonly number[]): number {
  let longest = 0;
  let run = 0;
  for (let point = 1; point <= 24; point++) {
    run = side[point]! >= 2 ? run + 1 : 0;
    if (run > longest) longest = run;
  }
  return longest;
}
