import { BAR, CHECKERS, OFF } from './position.js';
import type { ResignationKind, WinKind } from './record.js';

const MULTIPLIER: Record<WinKind, number> = { single: 1, gammon: 2, backgammon: 3 };

/** True once the side has borne off all its checkers. */
export function hasWon(side: readonly number[]): boolean {
  return side[OFF] === CHECKERS;
}

/**
 * How big a win is, judged from the loser's checkers (seen from the loser's side): a gammon
 * when the loser bore off none, a backgammon when moreover a loser's checker is still on the
 * bar or in the winner's home board (the loser's points 19..24).
 */
export function winKind(loser: readonly number[]): WinKind {
  if (loser[OFF]! > 0) return 'single';
  for (let point = 19; point <= BAR; point++) if (loser[point]! > 0) return 'backgammon';
  return 'gammon';
}

/** Whether gammons and backgammons score more than a single game in this game. */
export interface ScoringRules {
  /** Money play with the Jacoby rule: gammons count only once the cube was turned. */
  readonly jacoby: boolean;
  readonly cubeTurned: boolean;
}

export function gammonsCount(rules: ScoringRules): boolean {
  return !rules.jacoby || rules.cubeTurned;
}

export function pointsFor(kind: WinKind, cubeValue: number, rules: ScoringRules): number {
  const multiplier = gammonsCount(rules) ? MULTIPLIER[kind] : 1;
  return multiplier * cubeValue;
}

/** What the opponent scores by accepting a resignation of this size. */
export function resignationPoints(kind: ResignationKind, cubeValue: number, rules: ScoringRules): number {
  return pointsFor(kind, cubeValue, rules);
}

export function resignationMultiplier(kind: ResignationKind): number {
  return MULTIPLIER[kind];
}
