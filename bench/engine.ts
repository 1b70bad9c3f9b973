/**
 * Times legalPlays over a fixed, seeded set of positions for all 21 rolls, and compares the
 * rate with GNU Backgammon's C move generator on the same kind of machine.
 * Run: npm run bench:engine [-- --per-kind 400 --rounds 7] [--gnubg]
 * With --gnubg it also times GNU Backgammon's own generator on the same positions, before and
 * after legalPlays, and prints the ratio between the two measured alongside (see gnubg-generator.ts).
 * With --fingerprint it times nothing and prints a hash of every play list instead (plays, their
 * order, moves and positions): a faster generator must print the same hash.
 */
import { parseArgs } from 'node:util';
import { ALL_ROLLS } from '../src/engine/dice.js';
import { legalPlays } from '../src/engine/legal.js';
import { playsFingerprint } from '../test/support/play-fingerprint.js';
import { buildGnubgGenerator, GnubgGeneratorUnavailable, timeGnubgGenerator, writeGnubgPositions } from './gnubg-generator.js';
import { benchPositions, POSITION_KINDS, type BenchPosition } from './positions.js';
import { median } from './spread.js';

const GNUBG_POSITION_ROLLS_PER_SECOND = 570_000;
const GNUBG_PLAYS_PER_SECOND = 10_700_000;

const { values } = parseArgs({
  options: {
    'per-kind': { type: 'string', default: '400' },
    rounds: { type: 'string', default: '7' },
    fingerprint: { type: 'boolean', default: false },
    gnubg: { type: 'boolean', default: false },
  },
});
const perKind = Number(values['per-kind']);
const rounds = Number(values.rounds);

interface Round {
  readonly seconds: number;
  /** Time this process ran on a core: on a busy machine, closer to what a quiet one would measure. */
  readonly cpuSeconds: number;
  readonly positionRolls: number;
  readonly plays: number;
}

function timeRound(positions: readonly BenchPosition[]): Round {
  let plays = 0;
  const started = process.hrtime.bigint();
  const cpuStarted = process.cpuUsage();
  for (const { position } of positions) {
    for (const dice of ALL_ROLLS) plays += legalPlays(position, dice).length;
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = process.cpuUsage(cpuStarted);
  return { seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, positionRolls: positions.length * ALL_ROLLS.length, plays };
}

function format(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

const positions = benchPositions(perKind);
if (values.fingerprint) {
  const { plays, hash } = playsFingerprint(positions.map((entry) => entry.position));
  console.log(`fingerprint of ${format(plays)} plays from ${positions.length} positions: ${hash}`);
  process.exit(0);
}
console.log(`positions: ${positions.length} (${POSITION_KINDS.map((kind) => `${kind} ${positions.filter((p) => p.kind === kind).length}`).join(', ')}) x ${ALL_ROLLS.length} rolls`);

const gnubgProgram = values.gnubg ? gnubgProgramOrExit() : null;
const gnubgPositions = gnubgProgram ? writeGnubgPositions(positions, `all-${perKind}`) : null;
const gnubgBefore = gnubgProgram && gnubgPositions ? timeGnubgGenerator(gnubgProgram, gnubgPositions, rounds) : null;
timeRound(positions);
timeRound(positions);
const results = Array.from({ length: rounds }, () => timeRound(positions));
const positionRollRate = median(results.map((round) => round.positionRolls / round.seconds));
const positionRollCpuRate = median(results.map((round) => round.positionRolls / round.cpuSeconds));
const playRate = median(results.map((round) => round.plays / round.seconds));
const playsPerRoll = results[0]!.plays / results[0]!.positionRolls;

console.log(`rounds: ${rounds} (median reported)`);
console.log(`position-rolls per second: ${format(positionRollRate)}  (${(positionRollRate / GNUBG_POSITION_ROLLS_PER_SECOND).toFixed(2)} x gnubg's 570,000)`);
console.log(`position-rolls per CPU second: ${format(positionRollCpuRate)}  (${(positionRollCpuRate / GNUBG_POSITION_ROLLS_PER_SECOND).toFixed(2)} x; wall-clock rates fall when other work shares the core)`);
console.log(`plays per second: ${format(playRate)}  (${(playRate / GNUBG_PLAYS_PER_SECOND).toFixed(2)} x gnubg's 10.7 million; ${playsPerRoll.toFixed(1)} plays per position-roll)`);
if (gnubgProgram && gnubgPositions && gnubgBefore) {
  const gnubgAfter = timeGnubgGenerator(gnubgProgram, gnubgPositions, rounds);
  const gnubgRate = (gnubgBefore.positionRollsPerCpuSecond + gnubgAfter.positionRollsPerCpuSecond) / 2;
  console.log(`gnubg's generator alongside, per CPU second: ${format(gnubgBefore.positionRollsPerCpuSecond)} before, ${format(gnubgAfter.positionRollsPerCpuSecond)} after (${format(gnubgAfter.plays)} plays${gnubgAfter.plays === results[0]!.plays ? ', the same count' : `, legalPlays found ${format(results[0]!.plays)}`})`);
  console.log(`legalPlays / gnubg's generator, per CPU second, measured alongside: ${(positionRollCpuRate / gnubgRate).toFixed(2)} x`);
}
for (const kind of POSITION_KINDS) {
  const subset = positions.filter((p) => p.kind === kind);
  const kindRounds = Array.from({ length: 3 }, () => timeRound(subset));
  const rate = median(kindRounds.map((round) => round.positionRolls / round.seconds));
  const cpuRate = median(kindRounds.map((round) => round.positionRolls / round.cpuSeconds));
  const gnubg = gnubgProgram ? timeGnubgGenerator(gnubgProgram, writeGnubgPositions(subset, `${kind}-${perKind}`), 3).positionRollsPerCpuSecond : null;
  const beside = gnubg === null ? '' : `; per CPU second ${format(cpuRate)}, gnubg's ${format(gnubg)} (${(cpuRate / gnubg).toFixed(2)} x)`;
  console.log(`  ${kind.padEnd(8)} ${format(rate)} position-rolls per second${beside}`);
}
console.log(`heap used: ${(process.memoryUsage().heapUsed / 1048576).toFixed(1)} MiB`);

function gnubgProgramOrExit(): string {
  try {
    return buildGnubgGenerator();
  } catch (error) {
    if (!(error instanceof GnubgGeneratorUnavailable)) throw error;
    console.error(`bench:engine --gnubg: ${error.message}`);
    process.exit(1);
  }
}
