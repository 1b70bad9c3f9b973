/**
 * Cubeless money games between two bot levels on seeded dice, each dice sequence played twice
 * with the sides swapped. Prints the first level's points per game with its standard error and
 * each level's mean thinking time per decision (turns with at least two legal plays): wall-clock
 * time, and the process's CPU time, which a machine shared with other work inflates less.
 * Run: npm run bench:bots -- --games 2000 --a net0 --b pubeval [--seed 1]
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { choosePlayAmong, LEVEL_NAMES, LEVELS, type LevelName } from '../src/bots/index.js';
import { Prng } from '../src/bots/prng.js';
import { duplicateGames } from '../src/bots/training/benchmark.js';
import type { PlayChooser } from '../src/bots/training/game.js';

const argsSchema = z.object({
  games: z.coerce.number().int().min(2),
  a: z.enum(LEVEL_NAMES as [LevelName, ...LevelName[]]),
  b: z.enum(LEVEL_NAMES as [LevelName, ...LevelName[]]),
  seed: z.coerce.number().int().min(0),
});

const { values } = parseArgs({
  options: {
    games: { type: 'string', default: '2000' },
    a: { type: 'string', default: 'net0' },
    b: { type: 'string', default: 'pubeval' },
    seed: { type: 'string', default: '1' },
  },
});
const parsed = argsSchema.safeParse(values);
if (!parsed.success) {
  console.error(`bench:bots: ${z.prettifyError(parsed.error)}\nlevels: ${LEVEL_NAMES.join(', ')}`);
  process.exit(2);
}
const { games, a, b, seed } = parsed.data;

interface TimedChooser {
  readonly choose: PlayChooser;
  readonly decisions: () => number;
  readonly wallMs: () => number;
  readonly cpuMs: () => number;
}

/** The level's chooser, timing every turn that offers a choice. */
function timedChooser(level: LevelName, noiseSeed: number): TimedChooser {
  const random = Prng.fromSeed(noiseSeed);
  const next = (): number => random.next();
  let decisions = 0;
  let wallNs = 0n;
  let cpuUs = 0;
  const choose: PlayChooser = (position, plays) => {
    if (plays.length < 2) return plays.length - 1;
    const wallStart = process.hrtime.bigint();
    const cpuStart = process.cpuUsage();
    const chosen = choosePlayAmong(LEVELS[level], position, plays, next);
    const cpu = process.cpuUsage(cpuStart);
    cpuUs += cpu.user + cpu.system;
    wallNs += process.hrtime.bigint() - wallStart;
    decisions++;
    return chosen;
  };
  return { choose, decisions: () => decisions, wallMs: () => Number(wallNs) / 1e6, cpuMs: () => cpuUs / 1e3 };
}

const first = timedChooser(a, seed * 2 + 1);
const second = timedChooser(b, seed * 2 + 2);
const started = Date.now();
const result = duplicateGames(first.choose, second.choose, games, seed);
const perDecision = (chooser: TimedChooser): string => {
  const decisions = Math.max(1, chooser.decisions());
  return `${(chooser.wallMs() / decisions).toFixed(3)} ms wall, ${(chooser.cpuMs() / decisions).toFixed(3)} ms CPU (${chooser.decisions()} decisions)`;
};

console.log(`${LEVELS[a].name} vs ${LEVELS[b].name}: ${result.games} cubeless money games (seed ${seed}, ${((Date.now() - started) / 1000).toFixed(0)} s)`);
console.log(`  ${a}: ${result.ppg >= 0 ? '+' : ''}${result.ppg.toFixed(3)} points per game ± ${result.standardError.toFixed(3)} (standard error), wins ${(100 * result.winRate).toFixed(1)}%`);
console.log(`  thinking time per decision: ${a} ${perDecision(first)}; ${b} ${perDecision(second)}`);
