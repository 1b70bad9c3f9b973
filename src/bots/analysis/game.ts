import {
  currentPosition,
  formatPlay,
  gnubgIds,
  isMatchNote,
  otherSeat,
  positionsEqual,
  replaySteps,
  type Dice,
  type LoggedAction,
  type MatchLogEntry,
  type MatchState,
  type Seat,
} from '../../engine/index.js';
import { generatePlays } from '../../engine/legal.js';
import { cubeSituation } from '../cube-decisions.js';
import type { SearchDepth } from '../levels.js';
import { netEvaluator } from '../shared-evaluator.js';
import { bestCubeAction, cubeEquityLost, normalisedValue, whyNoCubeDecision, type CubeAction, type CubeAnalysis } from './equity.js';
import { openingLuck, rollLuck } from './luck.js';
import { judgeCube, rankPlays } from './position.js';
import { addTotals, NO_DECISIONS, skillOf, type DecisionTotals, type Skill } from './skill.js';

/** One entry of a stored match log with its sequence number. */
export interface LoggedEntry {
  readonly seq: number;
  readonly entry: MatchLogEntry;
}

/** One decision of a game as the analysis judges it. */
export interface DecisionAnalysis {
  /**
   * The decision was made in the position after this log entry (GET /matches/:id/position?after=seq
   * shows it), except a roll without a legal play: the engine passes the turn with the roll, so
   * the replay shows that position, with the roller to roll, after the entry before.
   */
  readonly seq: number;
  readonly seat: 0 | 1;
  /** A checker play (one for every roll, a roll without a legal play included), or a cube action. */
  readonly kind: 'play' | 'no-double' | 'double' | 'take' | 'drop';
  /** gnubg's IDs of the position the decision was made in. */
  readonly positionId: string;
  readonly matchId: string;
  readonly dice: readonly [number, number] | null;
  /** In gnubg's notation ('' for a roll that cannot be played), or the cube action. */
  readonly played: string;
  readonly best: string;
  /** Normalised money equity (EMG) lost against the best choice; 0 when the best was chosen. */
  readonly equityLost: number;
  readonly skill: Skill | null;
  /** Counts in the error rate: a play with a choice, a close cube decision, every double, take and drop. */
  readonly counted: boolean;
  /** Plays: the roll's distinct legal plays, and the roll's luck (EMG). */
  readonly legalPlays: number | null;
  readonly luck: number | null;
  /** Cube actions: the doubler's equities (EMG) and what was right. */
  readonly cube: { readonly noDouble: number; readonly doubleTake: number; readonly doublePass: number; readonly verdict: string } | null;
}

export interface GameAnalysis {
  readonly game: number;
  readonly plies: SearchDepth;
  readonly decisions: readonly DecisionAnalysis[];
  /** Seat 0 first. */
  readonly players: readonly [DecisionTotals, DecisionTotals];
}

/**
 * Judges every checker play and cube decision of game `game` of a match, replaying its log: each
 * play against the best play `plies` deep, each cube decision (where the player could double
 * usefully, doubled, or answered a double) against the right one, and the luck of every roll.
 * Beavers and resignations are not judged.
 */
export function analyseGame(log: readonly LoggedEntry[], game: number, plies: SearchDepth): GameAnalysis {
  const walk = new GameWalk(plies);
  let before: MatchState | null = null;
  let index = 0;
  for (const after of replaySteps(log.map((logged) => logged.entry))) {
    const { seq, entry } = log[index]!;
    const previousSeq = index > 0 ? log[index - 1]!.seq : seq;
    index += 1;
    if (before && before.gameNumber > game) break;
    if (before && before.gameNumber === game && !isMatchNote(entry)) walk.step(before, entry, after, seq, previousSeq);
    before = after;
  }
  if (!before?.games[game - 1]?.outcome) throw new Error(`game ${game} has not ended in this log`);
  return { game, plies, decisions: walk.decisions, players: walk.totals };
}

/** A roll whose play is still to come. */
interface PendingRoll {
  readonly seq: number;
  readonly state: MatchState;
  readonly luck: number;
}

/** A double waiting for its answer, and the match with the double offered. */
interface PendingDouble {
  readonly seq: number;
  readonly state: MatchState;
  readonly cube: CubeAnalysis;
}

const CUBE_WORDS: Record<CubeAction, string> = { 'no-double': 'No double', double: 'Double', take: 'Take', drop: 'Drop' };

class GameWalk {
  readonly decisions: DecisionAnalysis[] = [];
  totals: [DecisionTotals, DecisionTotals] = [NO_DECISIONS, NO_DECISIONS];
  private roll: PendingRoll | null = null;
  private double: PendingDouble | null = null;
  private readonly evaluator = netEvaluator();

  constructor(private readonly plies: SearchDepth) {}

  step(before: MatchState, action: LoggedAction, after: MatchState, seq: number, previousSeq: number): void {
    switch (action.type) {
      case 'opening-roll':
        if (action.dice[0] !== action.dice[1]) this.openingRolled(after, seq);
        return;
      case 'roll':
        if (before.phase === 'rolling') this.rolledWithoutDoubling(before, action.seat, previousSeq);
        return this.rolled(before, action.seat, action.dice, after, seq);
      case 'confirm':
        return this.played(before, action.seat);
      case 'double':
        return this.doubled(before, action.seat, after, seq, previousSeq);
      case 'take':
      case 'drop':
        return this.answered(action.type, action.seat);
      case 'beaver':
        this.double = null;
        return;
      default:
        return;
    }
  }

  private openingRolled(after: MatchState, seq: number): void {
    const starter = after.turn;
    const start = currentPosition(after);
    const value = normalisedValue(cubeSituation(after, starter));
    const opponentValue = normalisedValue(cubeSituation(after, otherSeat(starter)));
    this.roll = { seq, state: after, luck: openingLuck(this.evaluator, start, after.dice!, value, opponentValue) };
  }

  private rolledWithoutDoubling(before: MatchState, seat: Seat, previousSeq: number): void {
    const situation = cubeSituation(before, seat);
    if (whyNoCubeDecision(situation) !== null) return;
    const cube = judgeCube(currentPosition(before), situation, this.plies);
    if (cube.close) this.judgeCubeAction(before, seat, previousSeq, cube, 'no-double');
  }

  private rolled(before: MatchState, seat: Seat, dice: Dice, after: MatchState, seq: number): void {
    const position = currentPosition(before);
    const luck = rollLuck(this.evaluator, position, dice, normalisedValue(cubeSituation(before, seat)));
    if (after.phase === 'moving' && after.turn === seat) this.roll = { seq, state: after, luck };
    else this.record(this.rollWithoutPlay({ ...before, dice }, seat, seq, luck));
  }

  /** `rolled`: the match with the roll shown (the engine passes the turn at once when no play is legal). */
  private rollWithoutPlay(rolled: MatchState, seat: Seat, seq: number, luck: number): DecisionAnalysis {
    const { dice } = rolled;
    return { ...gnubgIds(rolled), seq, seat, kind: 'play', dice, played: '', best: '', equityLost: 0, skill: null, counted: false, legalPlays: 0, luck, cube: null };
  }

  private played(before: MatchState, seat: Seat): void {
    const turn = before.turnInProgress!;
    const roll = this.roll!;
    this.roll = null;
    const plays = generatePlays(turn.start, turn.dice);
    const played = plays.findIndex((play) => positionsEqual(play.position, turn.position));
    if (played < 0) throw new Error(`the play confirmed at seq ${roll.seq} is not among the legal plays`);
    const ranked = plays.length > 1 ? rankPlays(plays, cubeSituation(before, seat), this.plies, played) : [];
    const best = ranked[0];
    const playedEquity = ranked.find((entry) => entry.play === plays[played])?.equity;
    const equityLost = best && playedEquity !== undefined ? Math.max(0, best.equity - playedEquity) : 0;
    this.record({
      ...gnubgIds(roll.state),
      seq: roll.seq,
      seat,
      kind: 'play',
      dice: turn.dice,
      played: formatPlay(plays[played]!),
      best: formatPlay(best?.play ?? plays[played]!),
      equityLost,
      skill: skillOf(equityLost),
      counted: plays.length > 1,
      legalPlays: plays.length,
      luck: roll.luck,
      cube: null,
    });
  }

  private doubled(before: MatchState, seat: Seat, after: MatchState, seq: number, previousSeq: number): void {
    const cube = judgeCube(currentPosition(before), cubeSituation(before, seat), this.plies);
    this.double = { seq, state: after, cube };
    this.judgeCubeAction(before, seat, previousSeq, cube, 'double');
  }

  private answered(action: 'take' | 'drop', seat: Seat): void {
    const double = this.double;
    this.double = null;
    if (double) this.judgeCubeAction(double.state, seat, double.seq, double.cube, action);
  }

  /** `state`: the match the decision was made in, after log entry `seq`. */
  private judgeCubeAction(state: MatchState, seat: Seat, seq: number, cube: CubeAnalysis, action: CubeAction): void {
    const equityLost = Math.max(0, cubeEquityLost(cube, action));
    const { noDouble, doubleTake, doublePass, verdict } = cube;
    this.record({
      ...gnubgIds(state),
      seq,
      seat,
      kind: action,
      dice: null,
      played: CUBE_WORDS[action],
      best: CUBE_WORDS[bestCubeAction(cube, action)],
      equityLost,
      skill: skillOf(equityLost),
      counted: true,
      legalPlays: null,
      luck: null,
      cube: { noDouble, doubleTake, doublePass, verdict },
    });
  }

  private record(decision: DecisionAnalysis): void {
    this.decisions.push(decision);
    const checker = decision.kind === 'play';
    const counted = decision.counted ? 1 : 0;
    const skill = decision.skill;
    const added: DecisionTotals = {
      unforcedMoves: checker ? counted : 0,
      cubeDecisions: checker ? 0 : counted,
      checkerEquityLost: checker ? decision.equityLost : 0,
      cubeEquityLost: checker ? 0 : decision.equityLost,
      doubtful: skill === 'doubtful' ? 1 : 0,
      errors: skill === 'bad' ? 1 : 0,
      blunders: skill === 'very bad' ? 1 : 0,
      luck: decision.luck ?? 0,
      rolls: checker ? 1 : 0,
    };
    const totals = this.totals;
    totals[decision.seat] = addTotals(totals[decision.seat], added);
  }
}
