import { CHECKERS, OFF, winKind, type Position } from '../engine/index.js';

// Local copies of the engine's constants: under the TypeScript loader an imported binding is a
// getter call on every read, which shows in the evaluator's inner loops.
const ALL_CHECKERS = CHECKERS;
const OFF_SLOT = OFF;

/**
 * A position's value for the side on roll, as five probabilities in a Float64Array:
 * win, win a gammon, win a backgammon, lose a gammon, lose a backgammon (gammons include
 * backgammons). Plain arrays of numbers keep evaluation free of allocations.
 */
export const WIN = 0;
export const WIN_GAMMON = 1;
export const WIN_BACKGAMMON = 2;
export const LOSE_GAMMON = 3;
export const LOSE_BACKGAMMON = 4;
export const OUTPUTS = 5;

export type Outcome = Float64Array;

/** What an outcome is worth to the side it belongs to, as one equity (e.g. `equityOf`). */
export type OutcomeValue = (outcome: Outcome) => number;

export function newOutcome(): Outcome {
  return new Float64Array(OUTPUTS);
}

/** Cubeless money equity: points won per game on average. */
export function equityOf(outcome: Outcome): number {
  return (
    2 * outcome[WIN]! -
    1 +
    outcome[WIN_GAMMON]! -
    outcome[LOSE_GAMMON]! +
    outcome[WIN_BACKGAMMON]! -
    outcome[LOSE_BACKGAMMON]!
  );
}

/** The same outcome seen by the other side. `into` may be `from`. */
export function flipOutcome(from: Outcome, into: Outcome): Outcome {
  const win = from[WIN]!;
  const winGammon = from[WIN_GAMMON]!;
  const winBackgammon = from[WIN_BACKGAMMON]!;
  into[WIN] = 1 - win;
  into[WIN_GAMMON] = from[LOSE_GAMMON]!;
  into[WIN_BACKGAMMON] = from[LOSE_BACKGAMMON]!;
  into[LOSE_GAMMON] = winGammon;
  into[LOSE_BACKGAMMON] = winBackgammon;
  return into;
}

/** Keeps independent estimates consistent: backgammons <= gammons <= the games they belong to. */
export function makeConsistent(outcome: Outcome): Outcome {
  const win = outcome[WIN]!;
  outcome[WIN_GAMMON] = Math.min(outcome[WIN_GAMMON]!, win);
  outcome[WIN_BACKGAMMON] = Math.min(outcome[WIN_BACKGAMMON]!, outcome[WIN_GAMMON]!);
  outcome[LOSE_GAMMON] = Math.min(outcome[LOSE_GAMMON]!, 1 - win);
  outcome[LOSE_BACKGAMMON] = Math.min(outcome[LOSE_BACKGAMMON]!, outcome[LOSE_GAMMON]!);
  return outcome;
}

/** Writes the certain outcome of a game the given side won, judged from the loser's checkers. */
export function wonOutcome(loser: readonly number[], into: Outcome): Outcome {
  const kind = winKind(loser);
  into[WIN] = 1;
  into[WIN_GAMMON] = kind === 'single' ? 0 : 1;
  into[WIN_BACKGAMMON] = kind === 'backgammon' ? 1 : 0;
  into[LOSE_GAMMON] = 0;
  into[LOSE_BACKGAMMON] = 0;
  return into;
}

/**
 * For a finished game (one side has borne off all its checkers), writes its exact outcome for
 * the side on roll and returns true; returns false for a game still in play.
 */
export function terminalOutcome(position: Position, into: Outcome): boolean {
  if (position.player[OFF_SLOT] === ALL_CHECKERS) {
    wonOutcome(position.opponent, into);
    return true;
  }
  if (position.opponent[OFF_SLOT] === ALL_CHECKERS) {
    flipOutcome(wonOutcome(position.player, into), into);
    return true;
  }
  return false;
}

/**
 * Whether the sides can still hit or block each other: some checker of the side on roll is
 * farther from home than some opponent checker. A race otherwise.
 */
export function isContact(position: Position): boolean {
  return farthestChecker(position.player) + farthestChecker(position.opponent) > 25;
}

function farthestChecker(side: readonly number[]): number {
  for (let slot = 25; slot >= 1; slot--) if (side[slot]! > 0) return slot;
  return 0;
}
