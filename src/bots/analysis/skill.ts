/**
 * GNU Backgammon's yardsticks for a player's decisions (its analysis.c and gnubg.c): how bad one
 * decision was by the equity it lost, and a player's rating by the equity lost per decision.
 * Equity is normalised money equity (EMG) throughout: points per game at a 1-cube in money
 * play; match-winning chances mapped linearly so that winning the cube's value is +1 and losing
 * it is -1.
 */

/** gnubg's arSkillLevel, most severe first; a decision must lose more than the threshold. */
const SKILL_THRESHOLDS: ReadonlyArray<readonly [Skill, number]> = [
  ['very bad', 0.16],
  ['bad', 0.08],
  ['doubtful', 0.04],
];

/** One decision's label: more than 0.04 lost is doubtful, more than 0.08 bad (an error), more than 0.16 very bad (a blunder). */
export type Skill = 'doubtful' | 'bad' | 'very bad';

export function skillOf(equityLost: number): Skill | null {
  return SKILL_THRESHOLDS.find(([, threshold]) => equityLost > threshold)?.[0] ?? null;
}

/** gnubg's rating of a player by error rate, as gnubg words it. */
export type Rating = 'Supernatural' | 'World class' | 'Expert' | 'Advanced' | 'Intermediate' | 'Casual player' | 'Beginner' | 'Awful!';

/** gnubg's ratings by error rate (equity lost per decision), best first, each for rates below its bound. */
export const RATINGS: ReadonlyArray<readonly [Rating, number]> = [
  ['Supernatural', 0.002],
  ['World class', 0.005],
  ['Expert', 0.008],
  ['Advanced', 0.012],
  ['Intermediate', 0.018],
  ['Casual player', 0.026],
  ['Beginner', 0.035],
  ['Awful!', Number.POSITIVE_INFINITY],
];

/** The rating of an error rate given in equity per decision (not thousandths). */
export function ratingOf(errorPerDecision: number): Rating {
  return RATINGS.find(([, bound]) => errorPerDecision < bound)![0];
}

/**
 * A cube decision counts in the error rate, as in gnubg, when it is close: when doubling
 * (and the answer the doubler would get) costs less than a very bad decision's worth against
 * the best choice. Doubles, takes and drops always count.
 */
export const CLOSE_CUBE_DECISION = 0.16;

/** What one player's decisions add up to, over a game or many. */
export interface DecisionTotals {
  /** Checker plays with a choice (more than one legal play). */
  readonly unforcedMoves: number;
  /** Cube decisions that count: close ones, every double, take and drop. */
  readonly cubeDecisions: number;
  /** Equity lost in all of them. */
  readonly checkerEquityLost: number;
  readonly cubeEquityLost: number;
  readonly doubtful: number;
  /** Decisions marked bad. */
  readonly errors: number;
  /** Decisions marked very bad. */
  readonly blunders: number;
  /** The luck of the player's rolls (equity), and how many rolls it is over. */
  readonly luck: number;
  readonly rolls: number;
}

export const NO_DECISIONS: DecisionTotals = Object.freeze({
  unforcedMoves: 0,
  cubeDecisions: 0,
  checkerEquityLost: 0,
  cubeEquityLost: 0,
  doubtful: 0,
  errors: 0,
  blunders: 0,
  luck: 0,
  rolls: 0,
});

export function addTotals(a: DecisionTotals, b: DecisionTotals): DecisionTotals {
  const sum = {} as Record<keyof DecisionTotals, number>;
  for (const key of Object.keys(NO_DECISIONS) as (keyof DecisionTotals)[]) sum[key] = a[key] + b[key];
  return sum;
}

/** A player's figures as shown: rates per decision and per roll in thousandths (mEMG), gnubg's scale. */
export interface PlayerSummary extends DecisionTotals {
  readonly decisions: number;
  readonly equityLost: number;
  /** Equity lost per counted decision x 1000; null without decisions. */
  readonly errorRate: number | null;
  readonly checkerErrorRate: number | null;
  readonly cubeErrorRate: number | null;
  readonly rating: Rating | null;
  /** Luck per roll x 1000. */
  readonly luckRate: number | null;
}

export function summarise(totals: DecisionTotals): PlayerSummary {
  const decisions = totals.unforcedMoves + totals.cubeDecisions;
  const equityLost = totals.checkerEquityLost + totals.cubeEquityLost;
  const perThousand = (amount: number, count: number) => (count === 0 ? null : (1000 * amount) / count);
  return {
    ...totals,
    decisions,
    equityLost,
    errorRate: perThousand(equityLost, decisions),
    checkerErrorRate: perThousand(totals.checkerEquityLost, totals.unforcedMoves),
    cubeErrorRate: perThousand(totals.cubeEquityLost, totals.cubeDecisions),
    rating: decisions === 0 ? null : ratingOf(equityLost / decisions),
    luckRate: perThousand(totals.luck, totals.rolls),
  };
}
