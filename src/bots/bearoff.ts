import { BAR, CHECKERS, OFF, type Position } from '../engine/index.js';
import type { ExactOutcomes } from './evaluator.js';
import { makeConsistent, WIN, WIN_BACKGAMMON, WIN_GAMMON, LOSE_BACKGAMMON, LOSE_GAMMON, type Outcome } from './outcome.js';

/**
 * A one-sided bear-off database: for every way to hold up to 15 checkers on the home board
 * (54,264 of them), the distribution of the number of rolls needed to bear them all off,
 * playing each roll to need the fewest rolls on average; and for the positions with all 15
 * checkers still on the board, the distribution of rolls until the first checker is off,
 * playing to take one off as soon as possible. Once neither side has a checker outside its
 * home board, the two sides race independently and these give the game's outcome: the win
 * chance exactly (for that playing policy), gammon chances by the gammon-saving policy, and no
 * backgammons, since no checker can still be in the winner's home board.
 */
export const HOME_POINTS = 6;
/** Distributions stop here; the rare longer bear-offs count as this many rolls. */
export const MAX_ROLLS = 32;
export const ONE_SIDED_POSITIONS = binomial(CHECKERS + HOME_POINTS, HOME_POINTS);

/** The 21 rolls with their chances, larger die first. */
const ROLLS: readonly (readonly [number, number, number])[] = [1, 2, 3, 4, 5, 6].flatMap((high) =>
  [1, 2, 3, 4, 5, 6].filter((low) => low <= high).map((low) => [high, low, high === low ? 1 / 36 : 2 / 36] as const),
);

const BINOMIALS: number[][] = Array.from({ length: 22 }, (_, n) => Array.from({ length: 8 }, (_, k) => binomial(n, k)));

function binomial(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  let result = 1;
  for (let i = 1; i <= k; i++) result = (result * (n - k + i)) / i;
  return Math.round(result);
}

/**
 * The database index of a home board (counts[1..6], at most 15 checkers): the combinatorial
 * number of the 6-subset of 0..20 that the counts' stars-and-bars picture marks.
 */
export function bearoffIndex(counts: ArrayLike<number>): number {
  let index = 0;
  let bar = -1;
  for (let point = 1; point <= HOME_POINTS; point++) {
    bar += counts[point]! + 1;
    index += BINOMIALS[bar]![point]!;
  }
  return index;
}

export class BearoffDatabase implements ExactOutcomes {
  /** rollsToFinish[i * MAX_ROLLS + n]: the chance that board i needs exactly n rolls to bear off all. */
  private readonly rollsToFinish = new Float64Array(ONE_SIDED_POSITIONS * MAX_ROLLS);
  /** The same for taking the first checker off; filled for boards of all 15 checkers only. */
  private readonly rollsToFirstOff = new Float64Array(ONE_SIDED_POSITIONS * MAX_ROLLS);
  private readonly meanRolls = new Float64Array(ONE_SIDED_POSITIONS);
  private readonly meanRollsToFirstOff = new Float64Array(ONE_SIDED_POSITIONS);
  private readonly board = new Int8Array(HOME_POINTS + 1);
  private readonly playerBoard = new Int8Array(HOME_POINTS + 1);
  private readonly opponentBoard = new Int8Array(HOME_POINTS + 1);

  constructor() {
    const boards = allHomeBoards();
    boards.sort((a, b) => pipsOf(a) - pipsOf(b));
    for (const board of boards) this.solve(board);
  }

  /** The chance that this home board bears off in exactly n rolls (n < MAX_ROLLS). */
  finishChance(counts: ArrayLike<number>, rolls: number): number {
    return this.rollsToFinish[bearoffIndex(counts) * MAX_ROLLS + rolls]!;
  }

  expectedRolls(counts: ArrayLike<number>): number {
    return this.meanRolls[bearoffIndex(counts)]!;
  }

  outcomeOf(position: Position, into: Outcome): boolean {
    if (!homeOnly(position.player) || !homeOnly(position.opponent)) return false;
    const mover = bearoffIndex(copyHome(position.player, this.playerBoard)) * MAX_ROLLS;
    const other = bearoffIndex(copyHome(position.opponent, this.opponentBoard)) * MAX_ROLLS;
    // The side on roll finishes on its n-th roll before the other side's n-th roll.
    into[WIN] = firstBeforeSecond(this.rollsToFinish, mover, this.rollsToFinish, other, 0);
    into[WIN_GAMMON] = position.opponent[OFF] === 0 ? firstBeforeSecond(this.rollsToFinish, mover, this.rollsToFirstOff, other, 0) : 0;
    into[LOSE_GAMMON] = position.player[OFF] === 0 ? firstBeforeSecond(this.rollsToFinish, other, this.rollsToFirstOff, mover, 1) : 0;
    into[WIN_BACKGAMMON] = 0;
    into[LOSE_BACKGAMMON] = 0;
    // Sums of many small products can stray past 0 or 1 by a rounding error.
    for (let o = 0; o < into.length; o++) into[o] = Math.min(1, Math.max(0, into[o]!));
    makeConsistent(into);
    return true;
  }

  private solve(counts: Int8Array): void {
    const index = bearoffIndex(counts);
    const checkers = checkersOn(counts);
    if (checkers === 0) {
      this.rollsToFinish[index * MAX_ROLLS] = 1;
      return;
    }
    this.meanRolls[index] = this.solveFor(counts, index, this.meanRolls, this.rollsToFinish, false);
    if (checkers === CHECKERS) {
      this.meanRollsToFirstOff[index] = this.solveFor(counts, index, this.meanRollsToFirstOff, this.rollsToFirstOff, true);
    }
  }

  /** Fills one board's distribution from its best successors (already solved: fewer pips); returns its mean. */
  private solveFor(counts: Int8Array, index: number, means: Float64Array, distributions: Float64Array, firstOff: boolean): number {
    const row = index * MAX_ROLLS;
    for (const [high, low, chance] of ROLLS) {
      this.board.set(counts);
      const best = bestSuccessor(this.board, high, low, means, firstOff);
      if (best < 0) {
        distributions[row + 1]! += chance;
        continue;
      }
      const from = best * MAX_ROLLS;
      for (let n = 0; n < MAX_ROLLS; n++) {
        const to = Math.min(n + 1, MAX_ROLLS - 1);
        distributions[row + to]! += chance * distributions[from + n]!;
      }
    }
    let mean = 0;
    for (let n = 1; n < MAX_ROLLS; n++) mean += n * distributions[row + n]!;
    return mean;
  }
}

/**
 * Sum over n of P(first needs n rolls) * P(second needs n + lag rolls or more). The side on
 * roll's n-th roll comes before the other side's n-th roll: lag 0 when `first` is the side on
 * roll, 1 when it is the other side.
 */
function firstBeforeSecond(first: Float64Array, firstRow: number, second: Float64Array, secondRow: number, lag: number): number {
  let tail = 1;
  for (let n = 0; n < lag; n++) tail -= second[secondRow + n]!;
  let chance = 0;
  for (let n = 0; n + lag < MAX_ROLLS; n++) {
    chance += first[firstRow + n]! * tail;
    tail -= second[secondRow + n + lag]!;
  }
  return chance;
}

/** Every home board of 0 to 15 checkers. */
function allHomeBoards(): Int8Array[] {
  const boards: Int8Array[] = [];
  const counts = new Int8Array(HOME_POINTS + 1);
  const fill = (point: number, left: number): void => {
    if (point > HOME_POINTS) {
      boards.push(counts.slice());
      return;
    }
    for (let n = 0; n <= left; n++) {
      counts[point] = n;
      fill(point + 1, left - n);
    }
    counts[point] = 0;
  };
  fill(1, CHECKERS);
  return boards;
}

function pipsOf(counts: Int8Array): number {
  let pips = 0;
  for (let point = 1; point <= HOME_POINTS; point++) pips += point * counts[point]!;
  return pips;
}

function checkersOn(counts: ArrayLike<number>): number {
  let total = 0;
  for (let point = 1; point <= HOME_POINTS; point++) total += counts[point]!;
  return total;
}

function homeOnly(side: readonly number[]): boolean {
  for (let slot = HOME_POINTS + 1; slot <= BAR; slot++) if (side[slot]! !== 0) return false;
  return true;
}

function copyHome(side: readonly number[], into: Int8Array): Int8Array {
  for (let point = 1; point <= HOME_POINTS; point++) into[point] = side[point]!;
  return into;
}

/**
 * The index of the board a roll should leave: the one with the lowest mean. With `firstOff`,
 * a play that bears a checker off ends the search at once (returns -1: done this roll).
 * Every die can be played in a bear-off, so every play uses the whole roll.
 */
function bestSuccessor(board: Int8Array, high: number, low: number, means: Float64Array, firstOff: boolean): number {
  const search = new SuccessorSearch(board, means, firstOff);
  if (high === low) search.run([high, high, high, high]);
  else {
    search.run([high, low]);
    search.run([low, high]);
  }
  return search.done ? -1 : search.best;
}

class SuccessorSearch {
  best = -1;
  done = false;
  private bestMean = Infinity;
  private dice: readonly number[] = [];
  private checkers: number;

  constructor(
    private readonly board: Int8Array,
    private readonly means: Float64Array,
    private readonly firstOff: boolean,
  ) {
    this.checkers = checkersOn(board);
  }

  run(dice: readonly number[]): void {
    this.dice = dice;
    this.step(0, HOME_POINTS);
  }

  /** With equal dice, moves go from non-increasing points: the other orders reach the same boards. */
  private step(depth: number, highestFrom: number): void {
    if (this.done) return;
    if (depth === this.dice.length || this.checkers === 0) {
      this.consider();
      return;
    }
    const die = this.dice[depth]!;
    const equal = this.dice[0] === this.dice[1];
    const top = equal ? highestFrom : HOME_POINTS;
    const board = this.board;
    const highest = highestOccupied(board);
    for (let from = Math.min(top, highest); from >= 1; from--) {
      if (board[from] === 0) continue;
      const to = from - die;
      if (to < 0 && from !== highest) continue;
      board[from]!--;
      if (to > 0) board[to]!++;
      else this.checkers--;
      this.step(depth + 1, from);
      if (to > 0) board[to]!--;
      else this.checkers++;
      board[from]!++;
    }
  }

  private consider(): void {
    if (this.firstOff && this.checkers < CHECKERS) {
      this.done = true;
      return;
    }
    const index = bearoffIndex(this.board);
    const mean = this.means[index]!;
    if (mean < this.bestMean) {
      this.bestMean = mean;
      this.best = index;
    }
  }
}

function highestOccupied(board: Int8Array): number {
  for (let point = HOME_POINTS; point >= 1; point--) if (board[point]! > 0) return point;
  return 0;
}

let shared: BearoffDatabase | null = null;

/** One database per process, built on first use (about a second). */
export function sharedBearoffDatabase(): BearoffDatabase {
  shared ??= new BearoffDatabase();
  return shared;
}
