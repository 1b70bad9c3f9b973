import { ArraySchema } from '@colyseus/schema';
import {
  canConfirmPlay,
  currentPosition,
  gnubgIds,
  isPostCrawford,
  seatToAct,
  type Dice,
  type MatchPhase,
  type MatchState,
  type Seat,
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
  state.version += 1;
  state.matchId = view.matchId;
  state.phase = view.waiting ? 'waiting' : match.phase;
  state.gameNumber = match.gameNumber;
  state.matchLength = match.settings.matchLength;
  replaceNumbers(state.score, match.score);
  state.crawford = match.crawford;
  state.postCrawford = isPostCrawford(match);
  state.turn = match.phase === 'opening' || view.waiting ? -1 : match.turn;
  state.toAct = view.waiting ? -1 : (seatToAct(match) ?? -1);
  writeBoards(state, match);
  writeTurn(state, match);
  state.cubeValue = match.cube.value;
  state.cubeOwner = match.cube.owner ?? -1;
  state.doubleOffered = match.phase === 'doubled';
  state.resignSeat = match.resignation?.seat ?? -1;
  state.resignKind = match.resignation?.kind ?? '';
  const rolls = latestRolls(match);
  view.seats.forEach((holder, seat) => writePlayer(state.players[seat]!, holder, view.clock, seat as Seat));
  rolls.forEach((roll, seat) => writeLatestRoll(state.players[seat]!, roll));
  state.spectators = view.spectators;
  state.diceCommitment = view.diceCommitment;
  state.winner = match.winner ?? -1;
  state.lastResult = view.lastResult;
  const ids = gnubgIds(match);
  state.positionId = ids.positionId;
  state.gnubgMatchId = ids.matchId;
  state.clockDelayMs = view.clock?.delayMs ?? 0;
  state.clockSeat = view.clock?.runningSeat ?? -1;
  state.clockStartedAt = view.clock?.startedAt ?? 0;
  state.lastEventSeq = view.lastEventSeq;
}

function writeBoards(state: MatchStateSchema, match: MatchState): void {
  replaceNumbers(state.checkers0, currentPosition(match, 0).player);
  replaceNumbers(state.checkers1, currentPosition(match, 1).player);
}

function writeTurn(state: MatchStateSchema, match: MatchState): void {
  const turn = match.turnInProgress;
  replaceNumbers(state.dice, match.dice ?? []);
  replaceNumbers(state.diceLeft, turn?.diceLeft ?? []);
  writeMoves(state.moves, turn?.steps.flatMap((step) => step.moves) ?? []);
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

function writeLatestRoll(player: PlayerState, roll: LatestRoll | null): void {
  replaceNumbers(player.lastDice, roll?.dice ?? []);
  player.lastDiceBlocked = roll?.blocked ?? false;
}

// Reading an ArraySchema goes through a proxy; comparing against a plain copy of what was last
// written keeps a publish that changes little from costing a read of every element.
const lastWritten = new WeakMap<ArraySchema<number>, number[]>();

function replaceNumbers(target: ArraySchema<number>, values: readonly number[]): void {
  const previous = lastWritten.get(target) ?? [];
  if (previous.length === values.length && previous.every((value, index) => value === values[index])) return;
  for (let index = 0; index < values.length; index++) {
    if (index >= target.length) target.push(values[index]!);
    else if (previous[index] !== values[index]) target[index] = values[index]!;
  }
  while (target.length > values.length) target.pop();
  lastWritten.set(target, [...values]);
}

/**
 * Keeps the moves already shown and changes only what differs: a move adds one entry to the patch
 * and an undo removes one, instead of the whole list cleared and sent again.
 */
function writeMoves(target: ArraySchema<MoveState>, moves: readonly { from: number; to: number; hit: boolean }[]): void {
  moves.forEach((move, index) => {
    const shown = target[index];
    if (!shown) return void target.push(new MoveState({ from: move.from, to: move.to, hit: move.hit }));
    shown.from = move.from;
    shown.to = move.to;
    shown.hit = move.hit;
  });
  while (target.length > moves.length) target.pop();
}
