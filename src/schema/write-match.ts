import { ArraySchema } from '@colyseus/schema';
import {
  canConfirmPlay,
  currentPosition,
  encodeMatchId,
  isPostCrawford,
  matchIdFields,
  positionId,
  sameMatchIdFields,
  seatToAct,
  type Dice,
  type MatchIdFields,
  type MatchPhase,
  type MatchState,
  type Move,
  type Position,
  type Seat,
  type TurnStep,
} from '../engine/index.js';
import { MatchStateSchema, MoveState, PlayerState } from './match-state.js';

/** Who holds a seat, as the room knows it. */
export interface SeatHolder {
  readonly name: string;
  readonly rating: number;
  readonly connected: boolean;
  readonly bot: boolean;
  readonly wantsRematch: boolean;
}

export interface ClockView {
  readonly delayMs: number;
  readonly reserveMs: readonly [number, number];
  readonly runningSeat: Seat | null;
  readonly startedAt: number;
}

/** Everything the wire state is written from. */
export interface MatchView {
  /** The id the match is stored under. */
  readonly matchId: string;
  /** The seq of the match's last logged event, which `match` shows. */
  readonly lastEventSeq: number;
  readonly match: MatchState;
  /** Before both seats are taken the match waits; the engine state is then the fresh match. */
  readonly waiting: boolean;
  readonly seats: readonly [SeatHolder | null, SeatHolder | null];
  readonly spectators: number;
  readonly diceCommitment: string;
  readonly lastResult: string;
  readonly clock: ClockView | null;
}

/** Every value of the state's `phase`, and what the match waits for in it. */
export const WIRE_PHASES: Readonly<Record<MatchPhase | 'waiting', string>> = {
  waiting: 'a player to take the second seat (or a matched player to arrive)',
  opening: 'the opening roll, which the server makes as soon as both seats are taken',
  rolling: '`toAct` to `roll` or `double` (the server rolls by itself when no double is possible and `autoRoll` is on)',
  moving: '`toAct` to `move` checkers, `undo`, and `confirm` the play',
  doubled: '`toAct` to `take`, `drop` or `beaver` the double',
  resigning: '`toAct` to `accept` or `reject` the resignation offered by `resignSeat`',
  over: 'nothing: the match is over (`winner`); both players may ask for a `rematch`',
};

const COLOURS = ['white', 'black'] as const;

export function createMatchState(): MatchStateSchema {
  const state = new MatchStateSchema();
  state.players = new ArraySchema(newPlayer(0), newPlayer(1));
  return state;
}

function newPlayer(seat: Seat): PlayerState {
  const player = new PlayerState();
  player.seat = seat;
  player.colour = COLOURS[seat];
  return player;
}

/** Writes the whole view; the schema sends only what changed, and the version always moves on. */
export function writeMatchState(state: MatchStateSchema, view: MatchView): void {
  const { match } = view;
  const shadow = shadowOf(state);
  const players = [state.players[0]!, state.players[1]!] as const;
  state.version += 1;
  state.matchId = view.matchId;
  state.phase = view.waiting ? 'waiting' : match.phase;
  state.gameNumber = match.gameNumber;
  state.matchLength = match.settings.matchLength;
  replaceNumbers(state.score, match.score, shadow.score);
  state.crawford = match.crawford;
  state.postCrawford = isPostCrawford(match);
  state.turn = match.phase === 'opening' || view.waiting ? -1 : match.turn;
  state.toAct = view.waiting ? -1 : (seatToAct(match) ?? -1);
  replaceNumbers(state.checkers0, currentPosition(match, 0).player, shadow.checkers[0]);
  replaceNumbers(state.checkers1, currentPosition(match, 1).player, shadow.checkers[1]);
  writeTurn(state, match, shadow);
  state.cubeValue = match.cube.value;
  state.cubeOwner = match.cube.owner ?? -1;
  state.doubleOffered = match.phase === 'doubled';
  state.resignSeat = match.resignation?.seat ?? -1;
  state.resignKind = match.resignation?.kind ?? '';
  const rolls = latestRolls(match);
  for (const seat of [0, 1] as const) {
    writePlayer(players[seat], view.seats[seat], view.clock, seat);
    replaceNumbers(players[seat].lastDice, rolls[seat]?.dice ?? NONE, shadow.lastDice[seat]);
    players[seat].lastDiceBlocked = rolls[seat]?.blocked ?? false;
  }
  state.spectators = view.spectators;
  state.diceCommitment = view.diceCommitment;
  state.winner = match.winner ?? -1;
  state.lastResult = view.lastResult;
  state.positionId = shadow.positionIdOf(currentPosition(match));
  state.gnubgMatchId = shadow.matchIdOf(match);
  state.clockDelayMs = view.clock?.delayMs ?? 0;
  state.clockSeat = view.clock?.runningSeat ?? -1;
  state.clockStartedAt = view.clock?.startedAt ?? 0;
  state.lastEventSeq = view.lastEventSeq;
}

function writeTurn(state: MatchStateSchema, match: MatchState, shadow: Shadow): void {
  const turn = match.turnInProgress;
  replaceNumbers(state.dice, match.dice ?? NONE, shadow.dice);
  replaceNumbers(state.diceLeft, turn?.diceLeft ?? NONE, shadow.diceLeft);
  writeMoves(state.moves, turn?.steps ?? NO_STEPS, shadow);
  state.canConfirm = canConfirmPlay(match);
}

function writePlayer(player: PlayerState, holder: SeatHolder | null, clock: ClockView | null, seat: Seat): void {
  player.name = holder?.name ?? '';
  player.rating = holder?.rating ?? 0;
  player.connected = holder?.connected ?? false;
  player.bot = holder?.bot ?? false;
  player.wantsRematch = holder?.wantsRematch ?? false;
  player.reserveMs = clock?.reserveMs[seat] ?? 0;
}

interface LatestRoll {
  readonly dice: Dice;
  /** No checker could move: the turn passed at once. */
  readonly blocked: boolean;
}

/** Each seat's latest roll in the current game: the turn in progress, else its last recorded play. */
function latestRolls(match: MatchState): [LatestRoll | null, LatestRoll | null] {
  const rolls: [LatestRoll | null, LatestRoll | null] = [null, null];
  if (match.turnInProgress && match.dice) rolls[match.turn] = { dice: match.dice, blocked: false };
  const events = match.games[match.games.length - 1]?.events ?? [];
  for (let index = events.length - 1; index >= 0 && (rolls[0] === null || rolls[1] === null); index--) {
    const event = events[index]!;
    if (event.type === 'play' && rolls[event.seat] === null) rolls[event.seat] = { dice: event.dice, blocked: event.moves.length === 0 };
  }
  return rolls;
}

const NONE: readonly number[] = [];
const NO_STEPS: readonly TurnStep[] = [];

/** An array of numbers as last written into the state, and the array it was written from. */
class ShadowNumbers {
  source: readonly number[] | null = null;
  readonly copy: number[] = [];
}

/**
 * What was last written into one state, as plain values: reading an ArraySchema goes through a
 * proxy, and the engine's states share every array an action left unchanged, so most of a
 * publish compares references, or plain numbers, and touches only the schema entries that change.
 */
class Shadow {
  readonly score = new ShadowNumbers();
  readonly checkers = [new ShadowNumbers(), new ShadowNumbers()] as const;
  readonly dice = new ShadowNumbers();
  readonly diceLeft = new ShadowNumbers();
  readonly lastDice = [new ShadowNumbers(), new ShadowNumbers()] as const;
  steps: readonly TurnStep[] = NO_STEPS;
  readonly moves: Move[] = [];
  private board: Position | null = null;
  private positionId = '';
  private matchIdFields: MatchIdFields | null = null;
  private matchId = '';

  /** The Position ID, encoded again only when the board changed. */
  positionIdOf(position: Position): string {
    const board = this.board;
    if (board?.player !== position.player || board.opponent !== position.opponent) {
      this.board = position;
      this.positionId = positionId(position);
    }
    return this.positionId;
  }

  /** The gnubg Match ID, encoded again only when what it holds changed (not on a checker move). */
  matchIdOf(match: MatchState): string {
    const fields = matchIdFields(match);
    if (this.matchIdFields === null || !sameMatchIdFields(fields, this.matchIdFields)) {
      this.matchIdFields = fields;
      this.matchId = encodeMatchId(fields);
    }
    return this.matchId;
  }
}

/** Only writeMatchState writes a state, so its shadow, made when it is first written, follows it. */
const shadows = new WeakMap<MatchStateSchema, Shadow>();

function shadowOf(state: MatchStateSchema): Shadow {
  let shadow = shadows.get(state);
  if (!shadow) shadows.set(state, (shadow = new Shadow()));
  return shadow;
}

function replaceNumbers(target: ArraySchema<number>, values: readonly number[], shadow: ShadowNumbers): void {
  if (shadow.source === values) return;
  shadow.source = values;
  const copy = shadow.copy;
  for (let index = 0; index < values.length; index++) {
    const value = values[index]!;
    if (index >= copy.length) {
      target.push(value);
      copy.push(value);
    } else if (copy[index] !== value) {
      target[index] = value;
      copy[index] = value;
    }
  }
  for (let extra = copy.length - values.length; extra > 0; extra--) target.pop();
  if (copy.length > values.length) copy.length = values.length;
}

/**
 * Keeps the moves already shown and changes only what differs: a move adds one entry to the patch
 * and an undo removes one, instead of the whole list cleared and sent again.
 */
function writeMoves(target: ArraySchema<MoveState>, steps: readonly TurnStep[], shadow: Shadow): void {
  if (shadow.steps === steps) return;
  shadow.steps = steps;
  const shown = shadow.moves;
  let index = 0;
  for (const step of steps) {
    for (const move of step.moves) {
      if (index >= shown.length) {
        target.push(new MoveState({ from: move.from, to: move.to, hit: move.hit }));
        shown.push(move);
      } else if (!sameMove(move, shown[index]!)) {
        const entry = target[index]!;
        entry.from = move.from;
        entry.to = move.to;
        entry.hit = move.hit;
        shown[index] = move;
      }
      index++;
    }
  }
  for (let extra = shown.length - index; extra > 0; extra--) target.pop();
  if (shown.length > index) shown.length = index;
}

function sameMove(a: Move, b: Move): boolean {
  return a.from === b.from && a.to === b.to && a.hit === b.hit;
}
