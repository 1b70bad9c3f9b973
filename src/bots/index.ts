/**
 * The bots' evaluators and play choice, synchronous and free of I/O after the weights load:
 * usable from a room, a worker thread or a script. Positions are seen from the side on roll,
 * as everywhere in the engine.
 */
import { assertPosition, legalPlays, type Dice, type Play, type Position } from '../engine/index.js';
import { sharedBearoffDatabase } from './bearoff.js';
import { NetEvaluator } from './evaluator.js';
import { equityOf, newOutcome, LOSE_BACKGAMMON, LOSE_GAMMON, WIN, WIN_BACKGAMMON, WIN_GAMMON } from './outcome.js';
import { bestPubevalPlay } from './pubeval.js';
import { deserializeNet, readWeightsFile } from './weights-file.js';

export { pubevalPlay, pubevalScore } from './pubeval.js';

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

/**
 * How a bot plays. `pubeval` is Tesauro's benchmark; `net` levels look `plies` moves ahead
 * with the neural evaluator (0: judge the position after the play) and add Gaussian noise
 * with standard deviation `noise` (in equity) to every candidate's equity, which makes
 * weaker levels err the way people do: more often where plays are close.
 */
export type BotLevel =
  | { readonly name: string; readonly evaluator: 'pubeval' }
  | { readonly name: string; readonly evaluator: 'net'; readonly plies: 0; readonly noise: number };

export const LEVELS = {
  pubeval: { name: 'pubeval', evaluator: 'pubeval' },
  net0: { name: 'Neural net, 0-ply', evaluator: 'net', plies: 0, noise: 0 },
} as const satisfies Record<string, BotLevel>;

export type LevelName = keyof typeof LEVELS;

const WEIGHTS = new URL('./weights/net.json', import.meta.url);
let sharedEvaluator: NetEvaluator | null = null;

/** The evaluator of the committed weights with the bear-off database, loaded on first use. */
export function netEvaluator(): NetEvaluator {
  if (!sharedEvaluator) {
    const file = readWeightsFile(WEIGHTS);
    sharedEvaluator = new NetEvaluator(deserializeNet(file.nets.contact), deserializeNet(file.nets.race), sharedBearoffDatabase());
  }
  return sharedEvaluator;
}

export function evaluate(position: Position): Evaluation {
  assertPosition(position);
  const outcome = netEvaluator().evaluate(position, newOutcome());
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
  const chosenLevel: BotLevel | undefined = typeof level === 'string' ? LEVELS[level] : level;
  if (!chosenLevel) throw new Error(`unknown bot level ${String(level)}: one of ${Object.keys(LEVELS).join(', ')}`);
  const plays = legalPlays(position, dice);
  if (plays.length === 0) return null;
  if (chosenLevel.evaluator === 'pubeval') return bestPubevalPlay(position, plays);
  if (chosenLevel.noise === 0) return plays[netEvaluator().bestPlay(plays, newOutcome())]!;
  return noisyBestPlay(plays, chosenLevel.noise, random);
}

function noisyBestPlay(plays: readonly Play[], noise: number, random: () => number): Play {
  const evaluator = netEvaluator();
  let best = plays[0]!;
  let bestEquity = -Infinity;
  for (const play of plays) {
    const equity = evaluator.equityAfter(play) + noise * gaussian(random);
    if (equity > bestEquity) {
      bestEquity = equity;
      best = play;
    }
  }
  return best;
}

/** A standard normal sample (Box-Muller). */
function gaussian(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}
