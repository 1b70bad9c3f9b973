/**
 * Cube decisions against GNU Backgammon's own 0-ply cube analysis (where gnubg is installed), on
 * a fixed set of positions, each in several money and match situations (COMPARED_SITUATIONS):
 * - the cube model alone: given gnubg's cubeless probabilities, how often Tavla's verdicts
 *   (double or not; take or pass) are gnubg's, and how far its cubeful equities are from gnubg's;
 * - the bots at 0-ply: the same, from the net's own probabilities.
 * Equities are match-winning chances in match play, points per unit of the cube in money play.
 * Run: npm run bench:cube -- [--positions 40] [--seed 1]
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { cubeEfficiency, cubeEquities, shouldDouble, shouldTake, type CubeEquities } from '../src/bots/cube-decisions.js';
import { assertGnubgInstalled, GnubgUnavailable } from '../src/bots/gnubg/external.js';
import { caseSituation, comparedCases, gnubgCubeAnalyses, inGnubgTwoSidedBearoff, type CubeCase } from '../src/bots/gnubg/cube-analysis.js';
import { netEvaluator } from '../src/bots/index.js';
import { newOutcome, type Outcome } from '../src/bots/outcome.js';
import { benchPositions } from './positions.js';

const argsSchema = z.object({ positions: z.coerce.number().int().min(1).max(2000), seed: z.coerce.number().int().min(0) });
const { values } = parseArgs({ options: { positions: { type: 'string', default: '40' }, seed: { type: 'string', default: '1' } } });
const parsed = argsSchema.safeParse(values);
if (!parsed.success) {
  console.error(`bench:cube: ${z.prettifyError(parsed.error)}`);
  process.exit(2);
}
try {
  assertGnubgInstalled();
} catch (error) {
  if (!(error instanceof GnubgUnavailable)) throw error;
  console.error(`bench:cube: ${error.message}`);
  process.exit(1);
}

const perKind = Math.max(1, Math.round(parsed.data.positions / 5));
const cases = comparedCases(benchPositions(perKind, parsed.data.seed).map((entry) => entry.position));
const started = Date.now();
const analyses = gnubgCubeAnalyses(cases);
console.log(`${cases.length} cube decisions (${perKind * 5} positions in ${cases.length / (perKind * 5)} situations), gnubg's 0-ply analysis in ${((Date.now() - started) / 1000).toFixed(1)} s`);

const evaluator = netEvaluator();
const netOutcome = (cubeCase: CubeCase): Outcome => evaluator.evaluate(cubeCase.position, newOutcome());
report("cube model, given gnubg's probabilities", (_, index) => analyses[index]!.outcome);
report("the bots' net at 0-ply", netOutcome);

function report(label: string, outcomeOf: (cubeCase: CubeCase, index: number) => Outcome): void {
  console.log(`  ${label}:`);
  const exact = (index: number) => inGnubgTwoSidedBearoff(cases[index]!.position);
  reportOn('outside gnubg\'s two-sided bear-off database', (index) => !exact(index), outcomeOf);
  reportOn('in it (gnubg: exact cubeful equities)', exact, outcomeOf);
}

function reportOn(label: string, included: (index: number) => boolean, outcomeOf: (cubeCase: CubeCase, index: number) => Outcome): void {
  let count = 0;
  let doubles = 0;
  let takes = 0;
  let gnubgDoubles = 0;
  let agreedDoubles = 0;
  let largest = 0;
  let sum = 0;
  cases.forEach((cubeCase, index) => {
    if (!included(index)) return;
    const theirs = analyses[index]!.equities;
    const ours = cubeEquities(outcomeOf(cubeCase, index), caseSituation(cubeCase), cubeEfficiency(cubeCase.position));
    count++;
    doubles += shouldDouble(ours) === shouldDouble(theirs) ? 1 : 0;
    takes += shouldTake(ours) === shouldTake(theirs) ? 1 : 0;
    if (shouldDouble(theirs)) {
      gnubgDoubles++;
      agreedDoubles += shouldDouble(ours) ? 1 : 0;
    }
    const difference = largestDifference(ours, theirs);
    largest = Math.max(largest, difference);
    sum += difference;
  });
  if (count === 0) return;
  const share = (agreed: number, of: number) => `${((100 * agreed) / Math.max(1, of)).toFixed(1)}%`;
  console.log(`    ${label}, ${count} decisions: same double verdict ${share(doubles, count)} (of gnubg's ${gnubgDoubles} doubles ${share(agreedDoubles, gnubgDoubles)}), same take verdict ${share(takes, count)}; cubeful equities differ by ${(sum / count).toFixed(5)} on average, at most ${largest.toFixed(5)}`);
}

function largestDifference(ours: CubeEquities, theirs: CubeEquities): number {
  return Math.max(Math.abs(ours.noDouble - theirs.noDouble), Math.abs(ours.doubleTake - theirs.doubleTake), Math.abs(ours.doublePass - theirs.doublePass));
}
