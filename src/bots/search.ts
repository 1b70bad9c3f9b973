import { ALL_ROLLS, turnAround, type Play, type Position } from '../engine/index.js';
import { generatePlays } from '../engine/legal.js';
import type { NetEvaluator } from './evaluator.js';
import type { SearchDepth } from './levels.js';
import { equityOf, flipOutcome, newOutcome, OUTPUTS, type Outcome, type OutcomeValue } from './outcome.js';

/**
 * Which candidates survive to be looked at one ply deeper, as in GNU Backgammon's move
 * filters: at most `keep` plays, each within `window` equity of the best one.
 */
interface MoveFilter {
  readonly keep: number;
  readonly window: number;
}

/** FILTERS[d]: the filter applied to the equities found at depth d before searching depth d + 1. */
const FILTERS: readonly MoveFilter[] = [
  { keep: 8, window: 0.16 },
  { keep: 2, window: 0.04 },
];

/** A play's rank after the search: the equity for the mover at the deepest depth it reached. */
export interface RankedPlays {
  /** Indexes into the plays, of those searched to the requested depth. */
  readonly candidates: readonly number[];
  /** The equity for the mover of every play, at the deepest depth each reached. */
  readonly equities: Float64Array;
  /** The depth each play's equity was found at. */
  readonly depths: Uint8Array;
}

export interface RankOptions {
  /** What the mover's outcome is worth (cubeless money equity by default). */
  readonly value?: OutcomeValue;
  /** The index of a play searched to the full depth whatever the filters say (the play an analysis judges). */
  readonly alwaysSearch?: number;
}

/**
 * Looks ahead with the neural evaluator. Every play is judged at 0-ply; the best few (see
 * FILTERS) at 1-ply, and of those the best few at 2-ply. The replies inside the search are
 * chosen at 0-ply.
 */
export class Search {
  constructor(private readonly evaluator: NetEvaluator) {}

  rank(plays: readonly Play[], plies: SearchDepth, { value, alwaysSearch }: RankOptions = {}): RankedPlays {
    const equities = this.evaluator.equitiesAfter(plays, value);
    const depths = new Uint8Array(plays.length);
    let candidates = plays.map((_, index) => index);
    for (let depth = 1; depth <= plies; depth++) {
      candidates = survivors(candidates, equities, FILTERS[depth - 1]!);
      if (alwaysSearch !== undefined && !candidates.includes(alwaysSearch)) candidates.push(alwaysSearch);
      if (candidates.length === 1) break;
      const outcome = newOutcome();
      for (const index of candidates) {
        const opponent = this.evaluatePosition(turnAround(plays[index]!.position), depth, outcome);
        equities[index] = value ? value(flipOutcome(opponent, opponent)) : -equityOf(opponent);
        depths[index] = depth;
      }
    }
    return { candidates, equities, depths };
  }

  /**
   * The prospects of the side on roll, before it rolls, averaged over its rolls `plies` deep
   * (0: the net's judgement of the position itself).
   */
  evaluatePosition(position: Position, plies: number, into: Outcome): Outcome {
    if (plies === 0 || this.evaluator.netFor(position, into) === null) return this.evaluator.evaluate(position, into);
    const total = new Float64Array(OUTPUTS);
    const reply = newOutcome();
    for (const dice of ALL_ROLLS) {
      this.evaluateRoll(position, dice, plies, reply);
      const weight = dice[0] === dice[1] ? 1 : 2;
      flipOutcome(reply, reply);
      for (let k = 0; k < OUTPUTS; k++) total[k]! += weight * reply[k]!;
    }
    for (let k = 0; k < OUTPUTS; k++) into[k] = total[k]! / 36;
    return into;
  }

  /** After the side on roll plays this roll (its best play at 0-ply), the prospects of the other side. */
  private evaluateRoll(position: Position, dice: readonly [number, number], plies: number, into: Outcome): Outcome {
    const plays = generatePlays(position, dice);
    if (plays.length === 0) return this.evaluatePosition(turnAround(position), plies - 1, into);
    const best = this.evaluator.bestPlay(plays, into);
    if (plies === 1) return into;
    return this.evaluatePosition(turnAround(plays[best]!.position), plies - 1, into);
  }
}

function survivors(candidates: readonly number[], equities: Float64Array, filter: MoveFilter): number[] {
  const sorted = [...candidates].sort((a, b) => equities[b]! - equities[a]!);
  const threshold = equities[sorted[0]!]! - filter.window;
  return sorted.slice(0, filter.keep).filter((index) => equities[index]! >= threshold);
}
