/**
 * Cubeless money games between two players on seeded dice, each dice sequence played twice
 * with the sides swapped. A player is a bot level or `gnubg`: GNU Backgammon's own 0-ply
 * evaluation (where it is installed). Prints the first player's points per game with its
 * standard error and each player's mean thinking time per decision (turns with at least two
 * legal plays): wall-clock time, and the CPU time of the thread that decided (plus gnubg's own
 * process for gnubg), which a machine shared with other work inflates less.
 * Run: npm run bench:bots -- --games 2000 --a net0 --b pubeval [--seed 1] [--threads 2] [--progress 60] [--weights PATH] [--save PATH]
 * Stopped by SIGINT or SIGTERM, it reports the games played so far. With --save it keeps the
 * pairs played in that file and goes on from them when run again with the same settings.
 */
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { LEVELS } from '../src/bots/index.js';
import { readWeightsFile } from '../src/bots/weights-file.js';
import { assertGnubgInstalled, GnubgUnavailable } from '../src/bots/gnubg/external.js';
import { SavedRunMismatch } from './bots-save.js';
import { PLAYER_NAMES, playBench, signed, type BenchOutcome, type PlayerName, type PlayerTiming } from './bots-share.js';

const player = z.enum(PLAYER_NAMES);
const argsSchema = z.object({
  games: z.coerce.number().int().min(2),
  a: player,
  b: player,
  seed: z.coerce.number().int().min(0),
  threads: z.coerce.number().int().min(1).max(64),
  progress: z.coerce.number().min(0),
  weights: z.string().min(1).optional(),
  save: z.string().min(1).optional(),
});

const { values } = parseArgs({
  options: {
    games: { type: 'string', default: '2000' },
    a: { type: 'string', default: 'net0' },
    b: { type: 'string', default: 'pubeval' },
    seed: { type: 'string', default: '1' },
    threads: { type: 'string', default: '1' },
    progress: { type: 'string', default: '60' },
    weights: { type: 'string' },
    save: { type: 'string' },
  },
});
const parsed = argsSchema.safeParse(values);
if (!parsed.success) {
  console.error(`bench:bots: ${z.prettifyError(parsed.error)}\nplayers: ${PLAYER_NAMES.join(', ')}; --threads 1 to ${availableParallelism()} useful here; --progress seconds (0: quiet)`);
  process.exit(2);
}
const { games, a, b, seed, threads, progress, weights, save } = parsed.data;
if (weights !== undefined) {
  try {
    readWeightsFile(weights);
  } catch (error) {
    console.error(`bench:bots: --weights ${weights}: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  }
}
let outcome: BenchOutcome;
// Ctrl-C or SIGTERM: the threads finish their games in progress, then the figures cover the games played.
const stop = new AbortController();
console.log(`bench:bots: process ${process.pid} (SIGTERM stops it after the games in progress)`);
process.once('SIGINT', () => stop.abort());
process.once('SIGTERM', () => stop.abort());
try {
  if (a === 'gnubg' || b === 'gnubg') assertGnubgInstalled();
  outcome = await playBench({ players: [a, b], games, seed, threads, progressEveryMs: progress * 1000, weights, save }, stop.signal);
} catch (error) {
  if (error instanceof SavedRunMismatch) {
    console.error(`bench:bots: --save ${error.message}`);
    process.exit(2);
  }
  if (!(error instanceof GnubgUnavailable)) throw error;
  console.error(`bench:bots: ${error.message}`);
  process.exit(1);
}

const { result, timing, elapsedMs, resumedGames } = outcome;
const seconds = (elapsedMs / 1000).toFixed(0);
const resumed = resumedGames > 0 ? `, ${resumedGames} of them from ${save}` : '';
const stopped = result.games < 2 * Math.floor(games / 2) ? ` of ${games} (stopped early)` : '';
console.log(`${nameOf(a)} vs ${nameOf(b)}: ${result.games}${stopped} cubeless money games (seed ${seed}, ${threads} thread${threads > 1 ? 's' : ''}, ${seconds} s${weights ? `, weights ${weights}` : ''}${resumed})`);
console.log(`  ${a}: ${signed(result.ppg)} points per game ± ${result.standardError.toFixed(3)} (standard error), wins ${(100 * result.winRate).toFixed(1)}%`);
console.log(`  thinking time per decision: ${a} ${perDecision(timing[0])}; ${b} ${perDecision(timing[1])}`);

function nameOf(name: PlayerName): string {
  return name === 'gnubg' ? 'GNU Backgammon 0-ply' : LEVELS[name].name;
}

function perDecision(player: PlayerTiming): string {
  const per = (ms: number) => (ms / Math.max(1, player.decisions)).toFixed(3);
  const gnubg = player.gnubgCpuMs > 0 ? ` + ${per(player.gnubgCpuMs)} ms CPU in gnubg` : '';
  return `${per(player.wallMs)} ms wall, ${per(player.cpuMs)} ms CPU${gnubg} (${player.decisions} decisions)`;
}
