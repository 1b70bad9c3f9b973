/**
 * The bots' evaluators and play choice, synchronous and free of I/O after the weights load:
 * usable from a room, a worker thread or a script. Positions are seen from the side on roll,
 * as everywhere in the engine.
 */
import { assertPosition, legalPlays, type Dice, type Play, type Position } from '../engine/index.js';
import { gaussian, levelOf, type BotLevel, type LevelName, type SearchDepth } from './levels.js';
import { equityOf, newOutcome, LOSE_BACKGAMMON, LOSE_GAMMON, WIN, WIN_BACKGAMMON, WIN_GAMMON, type Outcome } from './outcome.js';
import { bestPubevalPlay } from './pubeval.js';
import { Search } from './search.js';
import { netEvaluator } from './shared-evaluator.js';

export { pubevalPlay, pubevalScore } from './pubeval.js';
export { LEVEL_NAMES, LEVELS, type BotLevel, type LevelName, type SearchDepth } from './levels.js';
export { netEvaluator } from './shared-evaluator.js';

/** A position's cubeless prospects for the side on roll. Gammons include backgammons. */
export interface Evaluation {
  readonly win: number;
  readonly winGammon: number;
  readonly winBackgammon: number;
  readonly loseGammon: number;
  readonly loseBackgammon: number;
  /** Cubeless money equity: 2 * win - 1 + (winGammon - loseGammon) + (winBackgammon - loseBackgammon). */
  readonly equity: number;
}

let sharedSearch: Search | null = null;

/** The search over the shared evaluator. */
export function netSearch(): Search {
  sharedSearch ??= new Search(netEvaluator());
  return sharedSearch;
}

/** The side on roll's prospects before it rolls, `plies` deep (0 by default: the net's own judgement). */
export function evaluate(position: Position, plies: SearchDepth = 0): Evaluation {
  assertPosition(position);
  return evaluationOf(netSearch().evaluatePosition(position, plies, newOutcome()));
}

/** The five probabilities of an outcome, named, with their cubeless equity. */
export function evaluationOf(outcome: Outcome): Evaluation {
  return {
    win: outcome[WIN]!,
    winGammon: outcome[WIN_GAMMON]!,
    winBackgammon: outcome[WIN_BACKGAMMON]!,
    loseGammon: outcome[LOSE_GAMMON]!,
    loseBackgammon: outcome[LOSE_BACKGAMMON]!,
    equity: equityOf(outcome),
  };
}

/**
 * The level's play: one of legalPlays(position, dice), or null when no play is legal (a forced
 * pass). `random` drives the noise of noisy levels.
 */
export function choosePlay(level: BotLevel | LevelName, position: Position, dice: Dice, random: () => number = Math.random): Play | null {
  const plays = legalPlays(position, dice);
  const index = choosePlayAmong(levelOf(level), position, plays, random);
  return index < 0 ? null : plays[index]!;
}

/** The level's choice among the plays legal in `position` for some roll, as an index; -1 when there are none. */
export function choosePlayAmong(level: BotLevel, position: Position, plays: readonly Play[], random: () => number = Math.random): number {
  if (plays.length <= 1) return plays.length - 1;
  if (level.evaluator === 'pubeval') return plays.indexOf(bestPubevalPlay(position, plays)!);
  const { candidates, equities } = netSearch().rank(plays, level.plies);
  let best = candidates[0]!;
  let bestEquity = -Infinity;
  for (const index of candidates) {
    const equity = equities[index]! + (level.noise > 0 ? level.noise * gaussian(random) : 0);
    if (equity > bestEquity) {
      bestEquity = equity;
      best = index;
    }
  }
  return best;
}
