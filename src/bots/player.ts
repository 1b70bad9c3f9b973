import {
  beaverRefusal,
  gammonsCount,
  legalMoves,
  moveChecker,
  movesMade,
  otherSeat,
  positionsEqual,
  resignationPoints,
  scoringRules,
  seatToAct,
  whyNoDouble,
  type MatchState,
  type Move,
  type Position,
  type ResignationKind,
  type Seat,
  type Turn,
} from '../engine/index.js';
import { cubeEfficiency, cubeEquities, cubeSituation, deadCubeMatchEquity, shouldBeaver, shouldDouble, shouldTake } from './cube-decisions.js';
import { choosePlay, netSearch } from './index.js';
import { gaussian, LEVELS, type BotLevel, type LevelName } from './levels.js';
import { matchEquity } from './met.js';
import { equityOf, flipOutcome, LOSE_BACKGAMMON, LOSE_GAMMON, newOutcome, WIN, WIN_BACKGAMMON, WIN_GAMMON, type Outcome } from './outcome.js';
import { randomPlayer } from './random-player.js';
import type { SeatIntent, SeatPlayer } from './seat-player.js';

export type { SeatIntent, SeatPlayer } from './seat-player.js';

export type BotName = 'random' | LevelName;

export const BOT_NAMES = ['random', ...(Object.keys(LEVELS) as LevelName[])] as const satisfies readonly BotName[];

/** A server-side player of the named level. Pure except for `random`, which drives noise (and the random bot). */
export function botPlayer(name: BotName, random: () => number = Math.random): SeatPlayer {
  if (name === 'random') return randomPlayer(random);
  const level: BotLevel | undefined = LEVELS[name];
  if (!level) throw new Error(`unknown bot ${String(name)}: one of ${BOT_NAMES.join(', ')}`);
  return new LevelPlayer(level, random);
}

/** Below this chance an outcome counts as impossible when the bot considers resigning. */
const HOPELESS = 0.0005;

class LevelPlayer implements SeatPlayer {
  readonly name: string;
  readonly rating: number;
  /** The play chosen for the turn being played: the turn's start board and dice, and the board to reach. */
  private plan: { readonly turn: Pick<Turn, 'start' | 'dice'>; readonly target: Position } | null = null;

  constructor(
    private readonly level: BotLevel,
    private readonly random: () => number,
  ) {
    this.name = `${level.name} bot`;
    this.rating = level.rating ?? 1500;
  }

  decide(match: MatchState, seat: Seat): SeatIntent | null {
    if (seatToAct(match) !== seat) return null;
    switch (match.phase) {
      case 'rolling':
        return this.onRoll(match, seat);
      case 'doubled':
        return this.answerDouble(match, seat);
      case 'resigning':
        return this.acceptsResignation(match, seat) ? { type: 'accept' } : { type: 'reject' };
      case 'moving':
        return this.nextMove(match.turnInProgress!);
      default:
        return null;
    }
  }

  private onRoll(match: MatchState, seat: Seat): SeatIntent {
    const outcome = this.prospects(sidesOf(match, seat));
    const resignation = this.resignationToOffer(match, seat, outcome);
    if (resignation) return { type: 'resign', kind: resignation };
    if (whyNoDouble(match, seat) !== null) return { type: 'roll' };
    const equities = cubeEquities(this.blurred(outcome), cubeSituation(match, seat), cubeEfficiency(sidesOf(match, seat)));
    return shouldDouble(equities) ? { type: 'double' } : { type: 'roll' };
  }

  private answerDouble(match: MatchState, seat: Seat): SeatIntent {
    const doubler = otherSeat(seat);
    const position = sidesOf(match, doubler);
    const equities = cubeEquities(this.blurred(this.prospects(position)), cubeSituation(match, doubler), cubeEfficiency(position));
    if (!shouldTake(equities)) return { type: 'drop' };
    const beaverAllowed = match.settings.matchLength === 0 && beaverRefusal(match.cube, match.settings.beavers) === null;
    return beaverAllowed && shouldBeaver(equities) ? { type: 'beaver' } : { type: 'take' };
  }

  /** Accepts when the resignation gives at least what playing on is worth (cubeless, as the board stands). */
  private acceptsResignation(match: MatchState, seat: Seat): boolean {
    const offer = match.resignation!;
    const mine = this.prospectsOfSeat(match, seat);
    const rules = scoringRules(match);
    const offered = resignationPoints(offer.kind, match.cube.value, rules);
    if (match.settings.matchLength === 0) return offered >= moneyPoints(mine, gammonsCount(rules)) * match.cube.value;
    const situation = cubeSituation(match, seat);
    const accepted = matchEquity(situation.away - offered, situation.opponentAway, situation.postCrawford);
    return accepted >= deadCubeMatchEquity(mine, situation);
  }

  /** Resigns what it is sure to lose, once a game: a rejected offer is not repeated. */
  private resignationToOffer(match: MatchState, seat: Seat, outcome: Outcome): ResignationKind | null {
    if (outcome[WIN]! > HOPELESS) return null;
    const events = match.games[match.games.length - 1]?.events ?? [];
    if (events.some((event) => event.type === 'resign' && event.seat === seat)) return null;
    if (outcome[LOSE_GAMMON]! < HOPELESS) return 'single';
    if (outcome[LOSE_GAMMON]! > 1 - HOPELESS && outcome[LOSE_BACKGAMMON]! < HOPELESS) return 'gammon';
    if (outcome[LOSE_BACKGAMMON]! > 1 - HOPELESS) return 'backgammon';
    return null;
  }

  /** The seat's prospects: before the roll, or after the best play of dice already rolled. */
  private prospectsOfSeat(match: MatchState, seat: Seat): Outcome {
    const mover = match.turn;
    const outcome = match.dice ? this.afterBestPlay(match) : this.prospects(sidesOf(match, mover));
    return seat === mover ? outcome : flipOutcome(outcome, outcome);
  }

  private afterBestPlay(match: MatchState): Outcome {
    const turn = match.turnInProgress!;
    const evaluator = netSearch();
    const play = choosePlay({ name: 'judge', evaluator: 'net', plies: 0, noise: 0 }, turn.start, turn.dice);
    const position = play ? play.position : turn.start;
    const opponentOutcome = evaluator.evaluatePosition({ player: position.opponent, opponent: position.player }, 0, newOutcome());
    return flipOutcome(opponentOutcome, opponentOutcome);
  }

  /** The side on roll's prospects, at the level's depth (1-ply at most: cube decisions need no more). */
  private prospects(position: Position): Outcome {
    const plies = this.level.evaluator === 'net' ? Math.min(this.level.plies, 1) : 0;
    return netSearch().evaluatePosition(position, plies, newOutcome());
  }

  /** The prospects as a noisy level misjudges them for its cube decisions (changes `outcome`). */
  private blurred(outcome: Outcome): Outcome {
    const noise = this.level.evaluator === 'net' ? this.level.noise : 0;
    if (noise > 0) blurWinningChances(outcome, noise / 2, this.random);
    return outcome;
  }

  private nextMove(turn: Turn): SeatIntent {
    if (movesMade(turn) >= turn.movesNeeded) return { type: 'confirm' };
    const target = this.targetOf(turn);
    const move = (target && moveTowards(turn, target)) ?? legalMoves(turn)[0]!;
    return { type: 'move', from: move.from, to: move.to };
  }

  private targetOf(turn: Turn): Position | null {
    const plan = this.plan;
    // Compared by value: a state that crossed to a worker thread is a new object at every decision.
    if (plan && sameRoll(plan.turn, turn)) return plan.target;
    const play = choosePlay(this.level, turn.start, turn.dice, this.random);
    if (!play) return null;
    this.plan = { turn: { start: turn.start, dice: turn.dice }, target: play.position };
    return play.position;
  }
}

function sameRoll(a: Pick<Turn, 'start' | 'dice'>, b: Pick<Turn, 'start' | 'dice'>): boolean {
  return a.dice[0] === b.dice[0] && a.dice[1] === b.dice[1] && positionsEqual(a.start, b.start);
}

/** A single-die move after which the turn can still reach `target`, or null when none can. */
function moveTowards(turn: Turn, target: Position): Move | null {
  for (const move of legalMoves(turn)) {
    const next = moveChecker(turn, move.from, move.to);
    if (movesMade(next) >= next.movesNeeded ? positionsEqual(next.position, target) : moveTowards(next, target)) return move;
  }
  return null;
}

/** The board at the start of the turn, seen from `seat` as if it were on roll. */
function sidesOf(match: MatchState, seat: Seat): Position {
  return { player: match.sides[seat], opponent: match.sides[otherSeat(seat)] };
}

function moneyPoints(outcome: Outcome, gammons: boolean): number {
  return gammons ? equityOf(outcome) : 2 * outcome[WIN]! - 1;
}

/** Moves the winning chance by a Gaussian error, keeping the gammon rates of wins and losses. */
function blurWinningChances(outcome: Outcome, deviation: number, random: () => number): void {
  const p = outcome[WIN]!;
  const blurred = Math.min(1, Math.max(0, p + deviation * gaussian(random)));
  const winScale = p > 0 ? blurred / p : 0;
  const lossScale = p < 1 ? (1 - blurred) / (1 - p) : 0;
  outcome[WIN] = blurred;
  for (const k of [WIN_GAMMON, WIN_BACKGAMMON]) outcome[k] = outcome[k]! * winScale;
  for (const k of [LOSE_GAMMON, LOSE_BACKGAMMON]) outcome[k] = outcome[k]! * lossScale;
}
