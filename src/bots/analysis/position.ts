import { formatPlay, legalPlays, type Dice, type Play, type Position } from '../../engine/index.js';
import { cubeEfficiency, type CubeSituation } from '../cube-decisions.js';
import { evaluationOf, netSearch, type Evaluation } from '../index.js';
import type { SearchDepth } from '../levels.js';
import { newOutcome } from '../outcome.js';
import { analyseCube, normalisedValue, whyNoCubeDecision, type CubeAnalysis } from './equity.js';

/** A legal play with its equity for the mover (EMG) and the depth that equity was found at. */
export interface RankedPlay {
  readonly play: Play;
  readonly equity: number;
  readonly plies: number;
}

/**
 * Every legal play of the roll, best first: the plays searched to the full depth by equity, then
 * the others (left behind by the search's move filters) by the equity found at a shallower
 * depth. `played`, the index of a play to judge, is always searched to the full depth.
 */
export function rankPlays(plays: readonly Play[], situation: CubeSituation, plies: SearchDepth, played?: number): RankedPlay[] {
  if (plays.length === 0) return [];
  const { candidates, equities, depths } = netSearch().rank(plays, plies, { value: normalisedValue(situation), alwaysSearch: played });
  const searched = new Set(candidates);
  const ranked = plays.map((play, index) => ({ play, equity: equities[index]!, plies: depths[index]!, searched: searched.has(index) }));
  ranked.sort((a, b) => Number(b.searched) - Number(a.searched) || b.equity - a.equity);
  return ranked.map(({ play, equity, plies: depth }) => ({ play, equity, plies: depth }));
}

/** The cube decision of the side on roll, before it rolls, from its prospects `plies` deep. */
export function judgeCube(position: Position, situation: CubeSituation, plies: SearchDepth): CubeAnalysis {
  const outcome = netSearch().evaluatePosition(position, plies, newOutcome());
  return analyseCube(outcome, situation, cubeEfficiency(position));
}

/** What POST /analysis answers for a position. */
export interface PositionAnalysis {
  readonly plies: 0 | 1 | 2;
  /** The side on roll's cubeless prospects before rolling. */
  readonly evaluation: Evaluation;
  readonly cube: CubeAnalysis | null;
  /** Why there is no cube decision, when `cube` is null. */
  readonly cubeUnavailable: string | null;
  /** With dice: how many distinct legal plays the roll has, and the best of them. */
  readonly legalPlays: number | null;
  readonly plays: readonly { readonly play: string; readonly equity: number; readonly difference: number; readonly plies: number }[];
}

/** Plays listed at most, as gnubg lists 20 in its analysis. */
export const LISTED_PLAYS = 20;

export function analysePosition(position: Position, situation: CubeSituation, dice: Dice | null, plies: SearchDepth): PositionAnalysis {
  const outcome = netSearch().evaluatePosition(position, plies, newOutcome());
  const cubeUnavailable = whyNoCubeDecision(situation);
  const plays = dice ? legalPlays(position, dice) : [];
  const ranked = rankPlays(plays, situation, plies).slice(0, LISTED_PLAYS);
  const best = ranked[0]?.equity ?? 0;
  return {
    plies,
    evaluation: evaluationOf(outcome),
    cube: cubeUnavailable === null ? analyseCube(outcome, situation, cubeEfficiency(position)) : null,
    cubeUnavailable,
    legalPlays: dice ? plays.length : null,
    plays: ranked.map(({ play, equity, plies: depth }) => ({ play: formatPlay(play), equity, difference: equity - best, plies: depth })),
  };
}
