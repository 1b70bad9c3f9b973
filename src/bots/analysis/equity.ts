import { MAX_CUBE } from '../../engine/index.js';
import { cubeEquities, deadCubeMatchEquity, shouldDouble, shouldTake, type CubeEquities, type CubeSituation } from '../cube-decisions.js';
import { matchEquity } from '../met.js';
import { equityOf, type Outcome, type OutcomeValue } from '../outcome.js';
import { CLOSE_CUBE_DECISION } from './skill.js';

/**
 * A side's equity in normalised money equity (EMG), as GNU Backgammon measures errors: money
 * play's cubeless equity per unit of the cube; in match play the match-winning chances with the
 * cube where it is, mapped linearly so that winning the cube's value is +1 and losing it -1.
 */
export function normalisedValue(situation: CubeSituation): OutcomeValue {
  if (situation.matchLength === 0) return equityOf;
  return (outcome) => matchWinningChancesToEquity(deadCubeMatchEquity(outcome, situation), situation);
}

/** gnubg's mwc2eq: the equity of match-winning chances, +1 for winning the cube's value, -1 for losing it. */
export function matchWinningChancesToEquity(mwc: number, situation: CubeSituation): number {
  const { away, opponentAway, value, postCrawford } = situation;
  const win = matchEquity(away - value, opponentAway, postCrawford);
  const lose = matchEquity(away, opponentAway - value, postCrawford);
  return (2 * mwc - (win + lose)) / (win - lose);
}

/** Why the side on roll has no cube decision to make, or null when it may double and doubling can matter. */
export function whyNoCubeDecision(situation: CubeSituation): string | null {
  if (situation.cubeDead) return situation.matchLength > 0 ? 'nobody doubles in the Crawford game' : 'the cube is not in use';
  if (situation.owner === 'opponent') return 'the opponent owns the cube';
  if (2 * situation.value > MAX_CUBE) return `the cube is at ${MAX_CUBE}, its highest`;
  if (situation.matchLength > 0 && situation.away <= situation.value) return 'winning the game at this cube already wins the match';
  return null;
}

/** The doubler's cube decision: its three equities (EMG), what is right, and gnubg's wording of it. */
export interface CubeAnalysis {
  readonly noDouble: number;
  readonly doubleTake: number;
  readonly doublePass: number;
  /** Match play: the same three as match-winning chances; null in money play. */
  readonly matchWinningChances: CubeEquities | null;
  /** The equity of the right choice. */
  readonly optimal: number;
  readonly shouldDouble: boolean;
  /** What the opponent should answer to a double. */
  readonly shouldTake: boolean;
  /** E.g. "No double, take", "Redouble, pass", "Too good to double, pass". */
  readonly verdict: string;
  /** Counts in the error rate even when the doubler did not double. */
  readonly close: boolean;
}

export function analyseCube(outcome: Outcome, situation: CubeSituation, efficiency: number): CubeAnalysis {
  const raw = cubeEquities(outcome, situation, efficiency);
  const normalise = (equity: number) => (situation.matchLength === 0 ? equity : matchWinningChancesToEquity(equity, situation));
  const [noDouble, doubleTake, doublePass] = [normalise(raw.noDouble), normalise(raw.doubleTake), normalise(raw.doublePass)];
  const equities = { noDouble, doubleTake, doublePass };
  const double = shouldDouble(equities);
  const take = shouldTake(equities);
  const optimal = double ? Math.min(doubleTake, doublePass) : noDouble;
  return {
    ...equities,
    matchWinningChances: situation.matchLength === 0 ? null : raw,
    optimal,
    shouldDouble: double,
    shouldTake: take,
    verdict: verdict(double, take, noDouble >= doublePass, situation.value > 1),
    close: optimal - Math.min(doubleTake, doublePass) < CLOSE_CUBE_DECISION,
  };
}

function verdict(double: boolean, take: boolean, tooGood: boolean, redouble: boolean): string {
  const answer = take ? 'take' : 'pass';
  const verb = redouble ? 'redouble' : 'double';
  if (double) return `${capitalised(verb)}, ${answer}`;
  if (tooGood) return `Too good to ${verb}, ${answer}`;
  return `No ${verb}, ${answer}`;
}

function capitalised(text: string): string {
  return text[0]!.toUpperCase() + text.slice(1);
}

/** A cube action as the analysis judges it. */
export type CubeAction = 'no-double' | 'double' | 'take' | 'drop';

/** The equity a cube action lost against the right one, from the point of view of the side that chose it. */
export function cubeEquityLost(cube: CubeAnalysis, action: CubeAction): number {
  switch (action) {
    case 'no-double':
      return cube.optimal - cube.noDouble;
    case 'double':
      return cube.optimal - Math.min(cube.doubleTake, cube.doublePass);
    case 'take':
      return Math.max(0, cube.doubleTake - cube.doublePass);
    case 'drop':
      return Math.max(0, cube.doublePass - cube.doubleTake);
  }
}

/** The right action for the side that chooses `action`'s kind of decision. */
export function bestCubeAction(cube: CubeAnalysis, action: CubeAction): CubeAction {
  if (action === 'take' || action === 'drop') return cube.shouldTake ? 'take' : 'drop';
  return cube.shouldDouble ? 'double' : 'no-double';
}
