import { turnAround, type Play, type Position } from '../engine/index.js';
import { encodePosition, INPUT_COUNT, SparseInputs } from './encoding.js';
import { Network } from './network.js';
import { equityOf, flipOutcome, isContact, makeConsistent, newOutcome, terminalOutcome, type Outcome, type OutcomeValue } from './outcome.js';

/** Something that knows some positions' outcomes exactly (e.g. a bear-off database). */
export interface ExactOutcomes {
  /** Writes the exact outcome for the side on roll and returns true, or returns false when it does not know. */
  outcomeOf(position: Position, into: Outcome): boolean;
}

/**
 * The neural evaluator: one net for contact positions and one for races, exact outcomes for
 * finished games and for whatever `exact` knows. Not re-entrant: it reuses scratch buffers.
 */
export class NetEvaluator {
  private readonly inputs = new SparseInputs();
  private readonly candidate = newOutcome();
  private readonly denseInputs = new Float64Array(INPUT_COUNT);
  private readonly sums: Float64Array;
  /** Per net, the first play of the current roll that it judged: the others are computed from it. */
  private readonly contactBase: BaseEvaluation;
  private readonly raceBase: BaseEvaluation;

  constructor(
    readonly contact: Network,
    readonly race: Network,
    readonly exact: ExactOutcomes | null = null,
  ) {
    this.sums = new Float64Array(Math.max(contact.hiddenCount, race.hiddenCount));
    this.contactBase = new BaseEvaluation(contact.hiddenCount);
    this.raceBase = new BaseEvaluation(race.hiddenCount);
  }

  /** Writes the five probabilities for the side on roll. */
  evaluate(position: Position, into: Outcome): Outcome {
    const net = this.netFor(position, into);
    if (net) makeConsistent(net.evaluate(encodePosition(position, this.inputs), into));
    return into;
  }

  /**
   * The net that judges this position, or null when its outcome is known exactly (then
   * already written into `into`).
   */
  netFor(position: Position, into: Outcome): Network | null {
    if (terminalOutcome(position, into)) return null;
    if (this.exact?.outcomeOf(position, into)) return null;
    return isContact(position) ? this.contact : this.race;
  }

  /** The inputs of a position, written into the evaluator's scratch vector. */
  encode(position: Position): SparseInputs {
    return encodePosition(position, this.inputs);
  }

  /** The mover's cubeless equity after a play, looking no further than the position it leaves (0-ply). */
  equityAfter(play: Play, opponentOutcome: Outcome = this.candidate): number {
    return -equityOf(this.evaluate(turnAround(play.position), opponentOutcome));
  }

  /**
   * The index of the play with the best 0-ply equity for the mover (the first of equals); -1
   * when there are no plays. `chosen` receives the chosen position's outcome as seen by the
   * opponent, who is on roll next.
   */
  bestPlay(plays: readonly Play[], chosen: Outcome): number {
    this.startRoll();
    let best = -1;
    let bestEquity = -Infinity;
    for (let i = 0; i < plays.length; i++) {
      const equity = -equityOf(this.evaluateLikeBase(turnAround(plays[i]!.position), this.candidate));
      if (equity > bestEquity) {
        bestEquity = equity;
        best = i;
        chosen.set(this.candidate);
      }
    }
    return best;
  }

  /**
   * Each play's 0-ply equity for the mover, in the order of `plays`: cubeless money equity, or
   * what `value` makes of the mover's outcome.
   */
  equitiesAfter(plays: readonly Play[], value?: OutcomeValue): Float64Array {
    this.startRoll();
    const equities = new Float64Array(plays.length);
    for (let i = 0; i < plays.length; i++) {
      const opponent = this.evaluateLikeBase(turnAround(plays[i]!.position), this.candidate);
      equities[i] = value ? value(flipOutcome(opponent, opponent)) : -equityOf(opponent);
    }
    return equities;
  }

  /** Forgets the base evaluations: the plays that follow belong to another roll. */
  private startRoll(): void {
    this.contactBase.valid = false;
    this.raceBase.valid = false;
  }

  /** `evaluate`, computed from the net's base evaluation of this roll (which it sets when there is none). */
  private evaluateLikeBase(position: Position, into: Outcome): Outcome {
    const net = this.netFor(position, into);
    if (!net) return into;
    const base = net === this.contact ? this.contactBase : this.raceBase;
    const dense = this.denseInputs;
    dense.fill(0);
    const inputs = encodePosition(position, this.inputs);
    for (let k = 0; k < inputs.count; k++) dense[inputs.indexes[k]!] = inputs.values[k]!;
    if (base.valid) {
      net.outputsFromSums(net.hiddenSumsFrom(base.inputs, base.sums, dense, this.sums), into);
    } else {
      net.outputsFromSums(net.hiddenSums(dense, base.sums), into);
      base.inputs.set(dense);
      base.valid = true;
    }
    return makeConsistent(into);
  }
}

class BaseEvaluation {
  valid = false;
  readonly inputs = new Float64Array(INPUT_COUNT);
  readonly sums: Float64Array;

  constructor(hiddenCount: number) {
    this.sums = new Float64Array(hiddenCount);
  }
}
