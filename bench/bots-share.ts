/**
 * A bench:bots run on worker threads: each thread takes the next unplayed pair of games until
 * none is left and writes each pair's result in its place in shared memory, so the figures do
 * not depend on how many threads played or in what order. A pair's dice and each player's
 * noise come from the seed and the pair's number.
 */
import { Worker } from 'node:worker_threads';
import { loaderFlags } from '../src/db/pglite-thread.js';
import { choosePlayAmong, LEVEL_NAMES, LEVELS, netEvaluator, type LevelName } from '../src/bots/index.js';
import { useWeightsFile } from '../src/bots/shared-evaluator.js';
import { GnubgPlayer } from '../src/bots/gnubg/player.js';
import { Prng } from '../src/bots/prng.js';
import { pairSeedOf, playPair, summarizePairs, type BenchmarkResult } from '../src/bots/training/benchmark.js';
import type { PlayChooser } from '../src/bots/training/game.js';

export const PLAYER_NAMES = [...LEVEL_NAMES, 'gnubg'] as const;
/** A bot level, or GNU Backgammon's own 0-ply evaluation. */
export type PlayerName = (typeof PLAYER_NAMES)[number];

export interface BenchRun {
  readonly players: readonly [PlayerName, PlayerName];
  readonly games: number;
  readonly seed: number;
  /** Worker threads playing at once. */
  readonly threads: number;
  /** Print the standing so far this often (0: never). */
  readonly progressEveryMs: number;
  /** A weights file for the nets instead of the committed one. */
  readonly weights?: string;
}

export interface BenchOutcome {
  /** Over the pairs played: all of them unless stopped. */
  readonly result: BenchmarkResult;
  /** Each player's timing, summed over the threads. */
  readonly timing: readonly [PlayerTiming, PlayerTiming];
}

/**
 * Plays the run's pairs on `threads` worker threads; the result depends on the seed alone, not
 * on the threads. Once `stop` aborts, the threads finish the pairs they are playing and the
 * result covers the pairs played.
 */
export async function playBench(run: BenchRun, stop?: AbortSignal): Promise<BenchOutcome> {
  const pairs = Math.max(1, Math.floor(run.games / 2));
  const results = newSharedResults(pairs);
  stop?.addEventListener('abort', () => Atomics.store(new Int32Array(results.next), 0, pairs));
  const points = new Float64Array(results.points);
  const wins = new Int8Array(results.wins);
  const progress = run.progressEveryMs > 0 ? setInterval(() => console.log(progressLine(points, wins)), run.progressEveryMs) : undefined;
  const job: ShareJob = { players: run.players, seed: run.seed, results, weights: run.weights };
  const shares = await Promise.all(Array.from({ length: run.threads }, () => inWorker(job))).finally(() => clearInterval(progress));
  return {
    result: playedResult(points, wins),
    timing: [sumTimings(shares.map((share) => share[0])), sumTimings(shares.map((share) => share[1]))],
  };
}

function sumTimings(shares: readonly PlayerTiming[]): PlayerTiming {
  const total = (field: keyof PlayerTiming) => shares.reduce((sum, share) => sum + share[field], 0);
  return { decisions: total('decisions'), wallMs: total('wallMs'), cpuMs: total('cpuMs'), gnubgCpuMs: total('gnubgCpuMs') };
}

function inWorker(job: ShareJob): Promise<ShareTiming> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./bots-worker.ts', import.meta.url), { workerData: job, execArgv: loaderFlags(process.execArgv) });
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`a bench thread exited (code ${code})`)));
  });
}

interface SharedResults {
  /** Float64 per pair: the first player's points per game. */
  readonly points: SharedArrayBuffer;
  /** Int8 per pair: games the first player won, -1 until the pair is played. */
  readonly wins: SharedArrayBuffer;
  /** Int32: the next pair to hand out. */
  readonly next: SharedArrayBuffer;
}

function newSharedResults(pairs: number): SharedResults {
  const results = { points: new SharedArrayBuffer(8 * pairs), wins: new SharedArrayBuffer(pairs), next: new SharedArrayBuffer(4) };
  new Int8Array(results.wins).fill(-1);
  return results;
}

export interface ShareJob {
  readonly players: readonly [PlayerName, PlayerName];
  readonly seed: number;
  readonly results: SharedResults;
  readonly weights: string | undefined;
}

/** One player's thinking time over the turns with at least two legal plays. */
export interface PlayerTiming {
  readonly decisions: number;
  readonly wallMs: number;
  /** CPU time of the thread that asked. */
  readonly cpuMs: number;
  /** CPU time of gnubg's own process (0 for the levels). */
  readonly gnubgCpuMs: number;
}

export type ShareTiming = readonly [PlayerTiming, PlayerTiming];

/** In a worker thread (bots-worker.ts): plays pairs until none is left to hand out. */
export function playShare(job: ShareJob): ShareTiming {
  if (job.weights !== undefined) useWeightsFile(job.weights);
  const players = [BenchPlayer.start(job.players[0]), BenchPlayer.start(job.players[1])] as const;
  try {
    const points = new Float64Array(job.results.points);
    const wins = new Int8Array(job.results.wins);
    const next = new Int32Array(job.results.next);
    for (let pair = Atomics.add(next, 0, 1); pair < points.length; pair = Atomics.add(next, 0, 1)) {
      players.forEach((player, side) => player.startPair(job.seed, pair, side));
      const result = playPair(players[0].choose, players[1].choose, job.seed, pair);
      points[pair] = result.points;
      Atomics.store(wins, pair, result.wins);
    }
    return [players[0].timing(), players[1].timing()];
  } finally {
    for (const player of players) player.close();
  }
}

/** The standing over the pairs played so far. */
function progressLine(points: Float64Array, wins: Int8Array): string {
  const result = playedResult(points, wins);
  if (result.games === 0) return `  0 of ${points.length * 2} games`;
  return `  ${result.games} of ${points.length * 2} games: ${signed(result.ppg)} ± ${result.standardError.toFixed(3)} ppg so far`;
}

/** The result over the pairs played, in their order. */
function playedResult(points: Float64Array, wins: Int8Array): BenchmarkResult {
  const played = [...wins.keys()].filter((pair) => Atomics.load(wins, pair) >= 0);
  return summarizePairs(
    played.map((pair) => points[pair]!),
    played.map((pair) => wins[pair]!),
  );
}

export function signed(value: number): string {
  return `${value >= 0 ? '+' : ''}${value.toFixed(3)}`;
}

/** A player that times its decisions. */
class BenchPlayer {
  private decisions = 0;
  private wallNs = 0n;
  private cpuUs = 0;
  private noise = Prng.fromSeed(0);
  private readonly nextNoise = (): number => this.noise.next();
  private readonly gnubgCpuAtStart: number;

  private constructor(
    private readonly name: PlayerName,
    private readonly gnubg: GnubgPlayer | null,
  ) {
    this.gnubgCpuAtStart = gnubg?.cpuMs() ?? 0;
  }

  /** Loads what the player needs before its first decision is timed. */
  static start(name: PlayerName): BenchPlayer {
    if (name === 'gnubg') return new BenchPlayer(name, GnubgPlayer.start());
    if (LEVELS[name].evaluator === 'net') netEvaluator();
    return new BenchPlayer(name, null);
  }

  /** Noise for this pair: the same whichever thread plays it. */
  startPair(seed: number, pair: number, side: number): void {
    this.noise = Prng.fromSeed(pairSeedOf(seed, pair) * 4 + 1 + side);
  }

  readonly choose: PlayChooser = (position, plays, dice) => {
    if (plays.length < 2) return plays.length - 1;
    const wallStart = process.hrtime.bigint();
    const cpuStart = process.threadCpuUsage();
    const chosen = this.gnubg
      ? this.gnubg.choose(position, plays, dice)
      : choosePlayAmong(LEVELS[this.name as LevelName], position, plays, this.nextNoise);
    const cpu = process.threadCpuUsage(cpuStart);
    this.cpuUs += cpu.user + cpu.system;
    this.wallNs += process.hrtime.bigint() - wallStart;
    this.decisions++;
    return chosen;
  };

  timing(): PlayerTiming {
    return {
      decisions: this.decisions,
      wallMs: Number(this.wallNs) / 1e6,
      cpuMs: this.cpuUs / 1e3,
      gnubgCpuMs: this.gnubg ? this.gnubg.cpuMs() - this.gnubgCpuAtStart : 0,
    };
  }

  close(): void {
    this.gnubg?.close();
  }
}
