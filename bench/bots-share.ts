/**
 * A bench:bots run on worker threads: each thread takes the next unplayed pair of games until
 * none is left and writes each pair's result in its place in shared memory, so the figures do
 * not depend on how many threads played or in what order (or in how many runs, with a save
 * file). A pair's dice and each player's noise come from the seed and the pair's number.
 */
import { Worker } from 'node:worker_threads';
import { loaderFlags } from '../src/db/pglite-thread.js';
import { choosePlayAmong, LEVEL_NAMES, LEVELS, netEvaluator, type LevelName } from '../src/bots/index.js';
import { COMMITTED_WEIGHTS, useWeightsFile } from '../src/bots/shared-evaluator.js';
import { GnubgPlayer } from '../src/bots/gnubg/player.js';
import { Prng } from '../src/bots/prng.js';
import { pairSeedOf, playPair, summarizePairs, type BenchmarkResult } from '../src/bots/training/benchmark.js';
import type { PlayChooser } from '../src/bots/training/game.js';
import { readSavedRun, sha256OfFile, writeSavedRun, type RunIdentity, type SavedRun } from './bots-save.js';

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
  /** A file that keeps the pairs played: the run goes on from it and saves to it as it plays. */
  readonly save?: string;
}

export interface BenchOutcome {
  /** Over the pairs played: all of them unless stopped. */
  readonly result: BenchmarkResult;
  /** Each player's timing, summed over the threads (and the saved runs). */
  readonly timing: readonly [PlayerTiming, PlayerTiming];
  /** Wall-clock time of the run (and the saved runs). */
  readonly elapsedMs: number;
  /** Games played before this run, from the save file. */
  readonly resumedGames: number;
}

const SAVE_EVERY_MS = 30_000;

/**
 * Plays the run's pairs on `threads` worker threads; the result depends on the seed alone, not
 * on the threads. Once `stop` aborts, the threads finish the pairs they are playing and the
 * result covers the pairs played.
 */
export async function playBench(run: BenchRun, stop?: AbortSignal): Promise<BenchOutcome> {
  const started = Date.now();
  const pairs = Math.max(1, Math.floor(run.games / 2));
  const file = run.save === undefined ? null : { path: run.save, identity: identityOf(run) };
  const saved = file && readSavedRun(file.path, file.identity);
  const results = newSharedResults(pairs, run.threads, saved);
  stop?.addEventListener('abort', () => Atomics.store(new Int32Array(results.next), 0, pairs));
  const standing = (): BenchOutcome => outcomeOf(results, saved, Date.now() - started);
  const save = () => file && saveRun(file, results, standing());
  const progress = run.progressEveryMs > 0 ? setInterval(() => console.log(progressLine(standing().result, pairs)), run.progressEveryMs) : undefined;
  const saving = file ? setInterval(save, SAVE_EVERY_MS) : undefined;
  const jobs = Array.from({ length: run.threads }, (_, thread): ShareJob => ({ players: run.players, seed: run.seed, results, weights: run.weights, thread }));
  try {
    await Promise.all(jobs.map(inWorker));
  } finally {
    clearInterval(progress);
    clearInterval(saving);
    save();
  }
  return standing();
}

function identityOf(run: BenchRun): RunIdentity {
  const usesNet = run.players.some((name) => name !== 'gnubg' && LEVELS[name].evaluator === 'net');
  return { players: run.players, games: run.games, seed: run.seed, weightsSha256: usesNet ? sha256OfFile(run.weights ?? COMMITTED_WEIGHTS) : null };
}

const TIMING_FIELDS = ['decisions', 'wallMs', 'cpuMs', 'gnubgCpuMs'] as const;

function outcomeOf(results: SharedResults, saved: SavedRun | null, elapsedMs: number): BenchOutcome {
  const timing = new Float64Array(results.timing);
  const playerTiming = (side: number): PlayerTiming => {
    const sum = (field: number) => {
      let total = saved?.timing[side]![TIMING_FIELDS[field]!] ?? 0;
      for (let at = side * TIMING_FIELDS.length + field; at < timing.length; at += 2 * TIMING_FIELDS.length) total += timing[at]!;
      return total;
    };
    return { decisions: sum(0), wallMs: sum(1), cpuMs: sum(2), gnubgCpuMs: sum(3) };
  };
  return {
    result: playedResult(new Float64Array(results.points), new Int8Array(results.wins)),
    timing: [playerTiming(0), playerTiming(1)],
    elapsedMs: elapsedMs + (saved?.elapsedMs ?? 0),
    resumedGames: 2 * (saved?.played.length ?? 0),
  };
}

function saveRun({ path, identity }: { path: string; identity: RunIdentity }, results: SharedResults, outcome: BenchOutcome): void {
  const points = new Float64Array(results.points);
  const wins = new Int8Array(results.wins);
  const played = playedPairs(wins).map((pair): [number, number, number] => [pair, points[pair]!, wins[pair]!]);
  writeSavedRun(path, { ...identity, players: [...identity.players], elapsedMs: outcome.elapsedMs, timing: [...outcome.timing], played });
}

function inWorker(job: ShareJob): Promise<void> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./bots-worker.ts', import.meta.url), { workerData: job, execArgv: loaderFlags(process.execArgv) });
    worker.once('message', () => resolve());
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
  /** Float64 per thread and player: the player's timing fields (TIMING_FIELDS) on that thread. */
  readonly timing: SharedArrayBuffer;
}

/** Shared results holding the saved run's pairs, if any, as played. */
function newSharedResults(pairs: number, threads: number, saved: SavedRun | null): SharedResults {
  const results = {
    points: new SharedArrayBuffer(8 * pairs),
    wins: new SharedArrayBuffer(pairs),
    next: new SharedArrayBuffer(4),
    timing: new SharedArrayBuffer(8 * threads * 2 * TIMING_FIELDS.length),
  };
  const points = new Float64Array(results.points);
  const wins = new Int8Array(results.wins).fill(-1);
  for (const [pair, pairPoints, pairWins] of saved?.played ?? []) {
    points[pair] = pairPoints;
    wins[pair] = pairWins;
  }
  return results;
}

export interface ShareJob {
  readonly players: readonly [PlayerName, PlayerName];
  readonly seed: number;
  readonly results: SharedResults;
  readonly weights: string | undefined;
  /** This thread's place in the shared timing. */
  readonly thread: number;
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

/** In a worker thread (bots-worker.ts): plays pairs until none is left to hand out. */
export function playShare(job: ShareJob): void {
  if (job.weights !== undefined) useWeightsFile(job.weights);
  const players = [BenchPlayer.start(job.players[0]), BenchPlayer.start(job.players[1])] as const;
  try {
    const points = new Float64Array(job.results.points);
    const wins = new Int8Array(job.results.wins);
    const next = new Int32Array(job.results.next);
    const timing = new Float64Array(job.results.timing, 8 * job.thread * 2 * TIMING_FIELDS.length, 2 * TIMING_FIELDS.length);
    for (let pair = Atomics.add(next, 0, 1); pair < points.length; pair = Atomics.add(next, 0, 1)) {
      if (Atomics.load(wins, pair) >= 0) continue;
      players.forEach((player, side) => player.startPair(job.seed, pair, side));
      const result = playPair(players[0].choose, players[1].choose, job.seed, pair);
      players.forEach((player, side) => timing.set(timingFields(player.timing()), side * TIMING_FIELDS.length));
      points[pair] = result.points;
      Atomics.store(wins, pair, result.wins);
    }
  } finally {
    for (const player of players) player.close();
  }
}

function timingFields(timing: PlayerTiming): number[] {
  return TIMING_FIELDS.map((field) => timing[field]);
}

/** The standing over the pairs played so far. */
function progressLine(result: BenchmarkResult, pairs: number): string {
  if (result.games === 0) return `  0 of ${pairs * 2} games`;
  return `  ${result.games} of ${pairs * 2} games: ${signed(result.ppg)} ± ${result.standardError.toFixed(3)} ppg so far`;
}

function playedPairs(wins: Int8Array): number[] {
  return [...wins.keys()].filter((pair) => Atomics.load(wins, pair) >= 0);
}

/** The result over the pairs played, in their order. */
function playedResult(points: Float64Array, wins: Int8Array): BenchmarkResult {
  const played = playedPairs(wins);
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
