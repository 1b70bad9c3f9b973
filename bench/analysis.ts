/**
 * Games analysed per second: seeded 5-point matches between two bot levels are played, then each
 * of their games is analysed at each depth as the server's analysis threads do (one thread).
 * Prints games and decisions per second, CPU time per game, and the error rates found.
 * Run: npm run bench:analysis -- --games 20 --plies 0,1 [--a intermediate --b beginner --seed 1]
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { addTotals, analyseGame, DEFAULT_ANALYSIS_PLIES, NO_DECISIONS, summarise, type DecisionTotals } from '../src/bots/analysis/index.js';
import { LEVEL_NAMES, netEvaluator, type LevelName } from '../src/bots/index.js';
import { botPlayer } from '../src/bots/player.js';
import { Prng } from '../src/bots/prng.js';
import { playLoggedMatch, type LoggedMatch } from '../test/support/logged-matches.js';

const level = z.enum(LEVEL_NAMES as [LevelName, ...LevelName[]]);
const argsSchema = z.object({
  games: z.coerce.number().int().min(1),
  plies: z.string().transform((list) => list.split(',').map(Number)).pipe(z.array(z.union([z.literal(0), z.literal(1), z.literal(2)])).min(1)),
  a: level,
  b: level,
  seed: z.coerce.number().int().min(0),
});

const { values } = parseArgs({
  options: {
    games: { type: 'string', default: '20' },
    plies: { type: 'string', default: '0,1' },
    a: { type: 'string', default: 'intermediate' },
    b: { type: 'string', default: 'beginner' },
    seed: { type: 'string', default: '1' },
  },
});
const parsed = argsSchema.safeParse(values);
if (!parsed.success) {
  console.error(`bench:analysis: ${z.prettifyError(parsed.error)}\nlevels: ${LEVEL_NAMES.join(', ')}`);
  process.exit(2);
}
const { games, plies, a, b, seed } = parsed.data;

/** Seeded 5-point matches until they hold `games` games: each game with the match log it is analysed from. */
function playGames(): { match: LoggedMatch; number: number }[] {
  const noise = Prng.fromSeed(seed + 1_000_000);
  const random = () => noise.next();
  const played: { match: LoggedMatch; number: number }[] = [];
  for (let matchSeed = seed; played.length < games; matchSeed++) {
    const match = playLoggedMatch({ players: [botPlayer(a, random), botPlayer(b, random)], settings: { matchLength: 5 }, seed: matchSeed });
    for (let number = 1; number <= match.final.games.length && played.length < games; number++) played.push({ match, number });
  }
  return played;
}

netEvaluator();
const started = performance.now();
const played = playGames();
console.log(`${played.length} games of 5-point matches, ${a} (seat 0) against ${b}, seed ${seed}: played in ${((performance.now() - started) / 1000).toFixed(1)} s`);
console.log(`default depth of the server's analysis: ${DEFAULT_ANALYSIS_PLIES}-ply\n`);
console.log('depth | games/s | ms per game (wall / CPU) | decisions/s | error rate seat 0 / seat 1 (mEMG) | errors + blunders per game');
for (const depth of plies) {
  const totals: [DecisionTotals, DecisionTotals] = [NO_DECISIONS, NO_DECISIONS];
  let decisions = 0;
  const cpuStart = process.cpuUsage();
  const wallStart = performance.now();
  for (const { match, number } of played) {
    const analysis = analyseGame(match.log, number, depth);
    decisions += analysis.decisions.length;
    for (const seat of [0, 1] as const) totals[seat] = addTotals(totals[seat], analysis.players[seat]);
  }
  const wallMs = performance.now() - wallStart;
  const cpu = process.cpuUsage(cpuStart);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const [white, black] = totals.map(summarise);
  const mistakes = (white!.errors + white!.blunders + black!.errors + black!.blunders) / played.length;
  console.log(
    `${depth}-ply | ${((1000 * played.length) / wallMs).toFixed(2)} | ${(wallMs / played.length).toFixed(0)} / ${(cpuMs / played.length).toFixed(0)} | ` +
      `${((1000 * decisions) / wallMs).toFixed(0)} | ${white!.errorRate?.toFixed(1)} / ${black!.errorRate?.toFixed(1)} | ${mistakes.toFixed(2)}`,
  );
}
