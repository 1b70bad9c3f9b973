import type { NetEvaluator } from '../evaluator.js';
import { newOutcome } from '../outcome.js';
import { Prng } from '../prng.js';
import { bestPubevalPlay } from '../pubeval.js';
import { playGame, type PlayChooser } from './game.js';

export interface BenchmarkResult {
  readonly games: number;
  /** The first player's average cubeless points per game. */
  readonly ppg: number;
  readonly standardError: number;
  /** The share of games the first player won. */
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

/** The net's cubeless money games against pubeval (see duplicateGames). */
export function benchmarkAgainstPubeval(evaluator: NetEvaluator, games: number, seed: number): BenchmarkResult {
  return duplicateGames(netChooser(evaluator), pubevalChooser, games, seed);
}

/** One dice sequence played twice, each player moving first once. */
export interface PairResult {
  /** The first player's points per game over the two games. */
  readonly points: number;
  /** Games the first player won: 0, 1 or 2. */
  readonly wins: number;
}

/**
 * Cubeless money games of `first` against `second` on a fixed set of dice: each dice sequence
 * is played twice, once with either side moving first, which cancels much of the luck. The
 * standard error is taken over those pairs. The result is `first`'s.
 */
export function duplicateGames(first: PlayChooser, second: PlayChooser, games: number, seed: number): BenchmarkResult {
  const pairs = Math.max(1, Math.floor(games / 2));
  const points = new Float64Array(pairs);
  const wins = new Uint8Array(pairs);
  for (let pair = 0; pair < pairs; pair++) {
    const result = playPair(first, second, seed, pair);
    points[pair] = result.points;
    wins[pair] = result.wins;
  }
  return summarizePairs(points, wins);
}

/** Pair number `pair` of the games played from `seed`: its dice depend on nothing else. */
export function playPair(first: PlayChooser, second: PlayChooser, seed: number, pair: number): PairResult {
  const pairSeed = pairSeedOf(seed, pair);
  const firstMovesFirst = playGame(Prng.fromSeed(pairSeed), [first, second]);
  const secondMovesFirst = playGame(Prng.fromSeed(pairSeed), [second, first]);
  const pointsMovingFirst = firstMovesFirst.winner === 0 ? firstMovesFirst.points : -firstMovesFirst.points;
  const pointsMovingSecond = secondMovesFirst.winner === 1 ? secondMovesFirst.points : -secondMovesFirst.points;
  return {
    points: (pointsMovingFirst + pointsMovingSecond) / 2,
    wins: (pointsMovingFirst > 0 ? 1 : 0) + (pointsMovingSecond > 0 ? 1 : 0),
  };
}

/** The seed of a pair's dice. */
export function pairSeedOf(seed: number, pair: number): number {
  return seed * 1_000_003 + pair;
}

/** The result over pairs, summed in their order (so equal pairs give equal figures, however they were played). */
export function summarizePairs(points: ArrayLike<number>, wins: ArrayLike<number>): BenchmarkResult {
  const pairs = points.length;
  let sum = 0;
  let sumOfSquares = 0;
  let won = 0;
  for (let pair = 0; pair < pairs; pair++) {
    sum += points[pair]!;
    sumOfSquares += points[pair]! * points[pair]!;
    won += wins[pair]!;
  }
  const mean = sum / pairs;
  const variance = pairs > 1 ? (sumOfSquares - pairs * mean * mean) / (pairs - 1) : 0;
  return { games: pairs * 2, ppg: mean, standardError: Math.sqrt(Math.max(0, variance) / pairs), winRate: won / (pairs * 2) };
}
