import type { NetEvaluator } from '../evaluator.js';
import { newOutcome } from '../outcome.js';
import { Prng } from '../prng.js';
import { bestPubevalPlay } from '../pubeval.js';
import { playGame, type PlayChooser } from './game.js';

export interface BenchmarkResult {
  readonly games: number;
  /** The net's average cubeless points per game. */
  readonly ppg: number;
  readonly standardError: number;
  /** The share of games the net won. */
  readonly winRate: number;
}

export const pubevalChooser: PlayChooser = (position, plays) => {
  const best = bestPubevalPlay(position, plays);
  return best ? plays.indexOf(best) : -1;
};

/** The net's 0-ply choice. */
export function netChooser(evaluator: NetEvaluator): PlayChooser {
  const chosen = newOutcome();
  return (_position, plays) => evaluator.bestPlay(plays, chosen);
}

/**
 * Cubeless money games of the net against pubeval on a fixed set of dice: each dice sequence
 * is played twice, once with either side moving first, which cancels much of the luck. The
 * standard error is taken over those pairs.
 */
export function benchmarkAgainstPubeval(evaluator: NetEvaluator, games: number, seed: number): BenchmarkResult {
  const pairs = Math.max(1, Math.floor(games / 2));
  const net = netChooser(evaluator);
  let sum = 0;
  let sumOfSquares = 0;
  let wins = 0;
  for (let pair = 0; pair < pairs; pair++) {
    const pairSeed = seed * 1_000_003 + pair;
    const netFirst = playGame(Prng.fromSeed(pairSeed), [net, pubevalChooser]);
    const pubevalFirst = playGame(Prng.fromSeed(pairSeed), [pubevalChooser, net]);
    const netPointsFirst = netFirst.winner === 0 ? netFirst.points : -netFirst.points;
    const netPointsSecond = pubevalFirst.winner === 1 ? pubevalFirst.points : -pubevalFirst.points;
    wins += (netPointsFirst > 0 ? 1 : 0) + (netPointsSecond > 0 ? 1 : 0);
    const pairMean = (netPointsFirst + netPointsSecond) / 2;
    sum += pairMean;
    sumOfSquares += pairMean * pairMean;
  }
  const mean = sum / pairs;
  const variance = pairs > 1 ? (sumOfSquares - pairs * mean * mean) / (pairs - 1) : 0;
  return { games: pairs * 2, ppg: mean, standardError: Math.sqrt(Math.max(0, variance) / pairs), winRate: wins / (pairs * 2) };
}
