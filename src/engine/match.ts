import { beaveredCube, beaverRefusal, CENTRED_CUBE, doublingRefusal, takenCube, type Cube } from './cube.js';
import { assertDice, type Dice } from './dice.js';
import { fail } from './errors.js';
import type { Play } from './legal.js';
import { positionId } from './gnubg-id.js';
import { encodeMatchId, type MatchIdFields } from './match-id.js';
import { startPosition, type Position } from './position.js';
import type { GameEvent, GameOutcome, GameRecord, MatchRecord, ResignationKind, Seat } from './record.js';
import { hasWon, pointsFor, resignationPoints, winKind, type ScoringRules } from './result.js';
import { canConfirm, confirmTurn, moveChecker, startTurn, undoMove, type Turn } from './turn.js';

export const MAX_MATCH_LENGTH = 25;

export interface MatchSettings {
  /** Points to win the match, 1..25; 0 for money play. */
  readonly matchLength: number;
  /** Whether the doubling cube is used at all. */
  readonly cube: boolean;
  /** Money play only: gammons count only once the cube has been turned. */
  readonly jacoby: boolean;
  /** Money play only: a doubled player may take and at once redouble, keeping the cube. */
  readonly beavers: boolean;
}

/**
 * opening: waiting for the opening roll (one die each); rolling: the player on turn may double
 * or roll; moving: the player on turn is playing the roll; doubled: the opponent must take or
 * drop; resigning: the other side must accept or reject a resignation; over: the match ended.
 */
export type MatchPhase = 'opening' | 'rolling' | 'moving' | 'doubled' | 'resigning' | 'over';

export interface ResignationOffer {
  readonly seat: Seat;
  readonly kind: ResignationKind;
}

export interface MatchState {
  readonly settings: MatchSettings;
  /** Points so far, seat 0 first. */
  readonly score: readonly [number, number];
  readonly gameNumber: number;
  /** This game is the Crawford game: no doubling. */
  readonly crawford: boolean;
  /** The Crawford game has been played or is being played: later games are post-Crawford. */
  readonly crawfordReached: boolean;
  readonly phase: MatchPhase;
  /** The seat on roll (meaningless before the opening roll). */
  readonly turn: Seat;
  /** Each seat's checkers, seen from its own side, as they stood when this turn began. */
  readonly sides: readonly [readonly number[], readonly number[]];
  readonly dice: Dice | null;
  readonly turnInProgress: Turn | null;
  readonly cube: Cube;
  readonly resignation: ResignationOffer | null;
  /** The phase a rejected resignation returns to. */
  readonly resumePhase: 'rolling' | 'moving';
  /** Every game so far; the last one is the game being played unless the match is over. */
  readonly games: readonly GameRecord[];
  readonly winner: Seat | null;
  /** Set when the match ended because this seat forfeited it (time, abandonment). */
  readonly forfeitedBy: Seat | null;
}

export type MatchAction =
  /** The opening roll: seat 0's die and seat 1's die. */
  | { readonly type: 'opening-roll'; readonly dice: Dice }
  | { readonly type: 'roll'; readonly seat: Seat; readonly dice: Dice }
  | { readonly type: 'move'; readonly seat: Seat; readonly from: number; readonly to: number }
  | { readonly type: 'undo'; readonly seat: Seat }
  | { readonly type: 'confirm'; readonly seat: Seat }
  | { readonly type: 'double'; readonly seat: Seat }
  | { readonly type: 'take'; readonly seat: Seat }
  | { readonly type: 'beaver'; readonly seat: Seat }
  | { readonly type: 'drop'; readonly seat: Seat }
  | { readonly type: 'resign'; readonly seat: Seat; readonly kind: ResignationKind }
  | { readonly type: 'accept'; readonly seat: Seat }
  | { readonly type: 'reject'; readonly seat: Seat }
  | { readonly type: 'forfeit'; readonly seat: Seat };

export const DEFAULT_SETTINGS: MatchSettings = Object.freeze({ matchLength: 5, cube: true, jacoby: false, beavers: false });

export function matchSettings(settings: Partial<MatchSettings> = {}): MatchSettings {
  const money = settings.matchLength === 0;
  const full: MatchSettings = { ...DEFAULT_SETTINGS, jacoby: money, ...settings };
  assertSettings(full);
  return full;
}

function assertSettings(settings: MatchSettings): void {
  const { matchLength } = settings;
  if (!Number.isInteger(matchLength) || matchLength < 0 || matchLength > MAX_MATCH_LENGTH) {
    fail('INVALID_SETTINGS', `match length must be 0 (money) or 1 to ${MAX_MATCH_LENGTH}, not ${String(matchLength)}`);
  }
  for (const flag of ['cube', 'jacoby', 'beavers'] as const) {
    if (typeof settings[flag] !== 'boolean') fail('INVALID_SETTINGS', `${flag} must be true or false`);
  }
  if (matchLength > 0 && (settings.jacoby || settings.beavers)) {
    fail('INVALID_SETTINGS', 'the Jacoby rule and beavers are for money play only');
  }
}

export function newMatch(settings: Partial<MatchSettings> = {}): MatchState {
  return startGame({
    settings: matchSettings(settings),
    score: [0, 0],
    gameNumber: 0,
    crawford: false,
    crawfordReached: false,
    phase: 'opening',
    turn: 0,
    sides: [startPosition().player, startPosition().opponent],
    dice: null,
    turnInProgress: null,
    cube: CENTRED_CUBE,
    resignation: null,
    resumePhase: 'rolling',
    games: [],
    winner: null,
    forfeitedBy: null,
  }, false);
}

function startGame(state: MatchState, crawford: boolean): MatchState {
  const start = startPosition();
  return {
    ...state,
    gameNumber: state.gameNumber + 1,
    crawford,
    crawfordReached: state.crawfordReached || crawford,
    phase: 'opening',
    turn: 0,
    sides: [start.player, start.opponent],
    dice: null,
    turnInProgress: null,
    cube: CENTRED_CUBE,
    resignation: null,
    games: [...state.games, { score: state.score, crawford, events: [], outcome: null }],
  };
}

export function otherSeat(seat: Seat): Seat {
  return seat === 0 ? 1 : 0;
}

/** The board now, seen from `seat` (by default the seat on roll), moves of a turn in progress included. */
export function currentPosition(state: MatchState, seat: Seat = state.turn): Position {
  const onRoll = state.turnInProgress?.position ?? { player: state.sides[state.turn], opponent: state.sides[otherSeat(state.turn)] };
  return seat === state.turn ? onRoll : { player: onRoll.opponent, opponent: onRoll.player };
}

/** The seat whose answer or action the match waits for, or null once it is over. */
export function seatToAct(state: MatchState): Seat | null {
  switch (state.phase) {
    case 'over':
    case 'opening':
      return null;
    case 'doubled':
      return otherSeat(state.turn);
    case 'resigning':
      return otherSeat(state.resignation!.seat);
    default:
      return state.turn;
  }
}

export function scoringRules(state: MatchState): ScoringRules {
  return { jacoby: state.settings.jacoby && state.settings.matchLength === 0, cubeTurned: state.cube.value > 1 };
}

/** Why the seat may not double now, or null when it may. */
export function whyNoDouble(state: MatchState, seat: Seat): string | null {
  if (state.phase !== 'rolling' || state.turn !== seat) return 'a double is offered only by the player on roll, before rolling';
  return doublingRefusal({
    cube: state.cube,
    seat,
    beforeRoll: true,
    crawfordGame: state.crawford,
    cubeEnabled: state.settings.cube,
  });
}

/** Applies one action; refuses it with an EngineError (and changes nothing) when it is not allowed. */
export function applyAction(state: MatchState, action: MatchAction): MatchState {
  switch (action.type) {
    case 'opening-roll':
      return openingRoll(state, action.dice);
    case 'roll':
      return roll(expectTurn(state, action.seat, 'rolling', 'roll'), action.dice);
    case 'move':
      return withTurn(expectTurn(state, action.seat, 'moving', 'move'), (turn) => moveChecker(turn, action.from, action.to));
    case 'undo':
      return withTurn(expectTurn(state, action.seat, 'moving', 'undo'), undoMove);
    case 'confirm':
      return confirm(expectTurn(state, action.seat, 'moving', 'confirm a play'));
    case 'double':
      return double(state, action.seat);
    case 'take':
      return take(state, action.seat);
    case 'beaver':
      return beaver(state, action.seat);
    case 'drop':
      return drop(state, action.seat);
    case 'resign':
      return resign(state, action.seat, action.kind);
    case 'accept':
      return acceptResignation(state, action.seat);
    case 'reject':
      return rejectResignation(state, action.seat);
    case 'forfeit':
      return forfeit(state, action.seat);
    default:
      return fail('INVALID_ACTION', `unknown action ${String((action as { type?: unknown }).type)}`);
  }
}

/** Throws, as applyAction would, unless `seat` may roll now: so a room draws dice only for a roll that counts. */
export function assertMayRoll(state: MatchState, seat: Seat): void {
  expectTurn(state, seat, 'rolling', 'roll');
}

function expectTurn(state: MatchState, seat: Seat, phase: MatchPhase, verb: string): MatchState {
  expectSeat(seat);
  if (state.phase === 'over') fail('INVALID_ACTION', 'the match is over');
  if (state.phase !== phase || state.turn !== seat) {
    fail('INVALID_ACTION', `you cannot ${verb} now: ${describeWaiting(state)}`);
  }
  return state;
}

function expectSeat(seat: unknown): asserts seat is Seat {
  if (seat !== 0 && seat !== 1) fail('INVALID_ACTION', `seat must be 0 or 1, not ${String(seat)}`);
}

/** What the match waits for, as a sentence for error messages. */
export function describeWaiting(state: MatchState): string {
  const seat = seatToAct(state);
  switch (state.phase) {
    case 'opening':
      return 'waiting for the opening roll';
    case 'rolling':
      return `waiting for seat ${seat} to roll or double`;
    case 'moving':
      return `waiting for seat ${seat} to play the roll`;
    case 'doubled':
      return `waiting for seat ${seat} to take or drop`;
    case 'resigning':
      return `waiting for seat ${seat} to accept or reject the resignation`;
    case 'over':
      return 'the match is over';
  }
}

function openingRoll(state: MatchState, dice: Dice): MatchState {
  if (state.phase !== 'opening') fail('INVALID_ACTION', `no opening roll now: ${describeWaiting(state)}`);
  assertDice(dice);
  if (dice[0] === dice[1]) return state;
  const starter: Seat = dice[0] > dice[1] ? 0 : 1;
  const starterDice: Dice = starter === 0 ? dice : [dice[1], dice[0]];
  return roll({ ...state, turn: starter, phase: 'rolling' }, starterDice);
}

function roll(state: MatchState, dice: Dice): MatchState {
  assertDice(dice);
  const turn = startTurn(currentPosition(state), dice);
  if (turn.movesNeeded === 0) return endTurn(state, { moves: [], position: turn.start }, dice);
  return { ...state, phase: 'moving', dice, turnInProgress: turn };
}

function withTurn(state: MatchState, change: (turn: Turn) => Turn): MatchState {
  return { ...state, turnInProgress: change(state.turnInProgress!) };
}

function confirm(state: MatchState): MatchState {
  const turn = state.turnInProgress!;
  return endTurn(state, confirmTurn(turn), turn.dice);
}

/** Records the play, then either ends the game or passes the turn. */
function endTurn(state: MatchState, play: Play, dice: Dice): MatchState {
  const mover = state.turn;
  const recorded = record(state, { type: 'play', seat: mover, dice, moves: play.moves });
  const sides = seatSides(mover, play.position);
  const next: MatchState = { ...recorded, sides, dice: null, turnInProgress: null };
  if (hasWon(play.position.player)) {
    const kind = winKind(play.position.opponent);
    return endGame(next, { winner: mover, kind, points: pointsFor(kind, state.cube.value, scoringRules(state)), by: 'bearoff' });
  }
  return { ...next, phase: 'rolling', turn: otherSeat(mover) };
}

function seatSides(seat: Seat, position: Position): MatchState['sides'] {
  return seat === 0 ? [position.player, position.opponent] : [position.opponent, position.player];
}

function double(state: MatchState, seat: Seat): MatchState {
  expectSeat(seat);
  if (state.phase === 'over') fail('INVALID_ACTION', 'the match is over');
  const refusal = whyNoDouble(state, seat);
  if (refusal) fail('INVALID_ACTION', `you cannot double: ${refusal}`);
  return { ...record(state, { type: 'double', seat, cube: state.cube.value * 2 }), phase: 'doubled' };
}

function expectDoubleAnswer(state: MatchState, seat: Seat, verb: string): void {
  expectSeat(seat);
  if (state.phase !== 'doubled' || seat === state.turn) fail('INVALID_ACTION', `you cannot ${verb} now: ${describeWaiting(state)}`);
}

function take(state: MatchState, seat: Seat): MatchState {
  expectDoubleAnswer(state, seat, 'take');
  return { ...record(state, { type: 'take', seat }), cube: takenCube(state.cube, seat), phase: 'rolling' };
}

function beaver(state: MatchState, seat: Seat): MatchState {
  expectDoubleAnswer(state, seat, 'beaver');
  const refusal = beaverRefusal(state.cube, state.settings.beavers && state.settings.matchLength === 0);
  if (refusal) fail('INVALID_ACTION', `you cannot beaver: ${refusal}`);
  const cube = beaveredCube(state.cube, seat);
  return { ...record(state, { type: 'beaver', seat, cube: cube.value }), cube, phase: 'rolling' };
}

function drop(state: MatchState, seat: Seat): MatchState {
  expectDoubleAnswer(state, seat, 'drop');
  const recorded = record(state, { type: 'drop', seat });
  return endGame(recorded, { winner: state.turn, kind: 'single', points: state.cube.value, by: 'drop' });
}

const RESIGNATION_KINDS: readonly ResignationKind[] = ['single', 'gammon', 'backgammon'];

function resign(state: MatchState, seat: Seat, kind: ResignationKind): MatchState {
  expectSeat(seat);
  if (state.phase !== 'rolling' && state.phase !== 'moving') {
    fail('INVALID_ACTION', `you cannot resign now: ${describeWaiting(state)}`);
  }
  if (!RESIGNATION_KINDS.includes(kind)) fail('INVALID_ACTION', `a resignation is single, gammon or backgammon, not ${String(kind)}`);
  return {
    ...record(state, { type: 'resign', seat, kind }),
    phase: 'resigning',
    resumePhase: state.phase,
    resignation: { seat, kind },
  };
}

function expectResignationAnswer(state: MatchState, seat: Seat, verb: string): ResignationOffer {
  expectSeat(seat);
  const offer = state.resignation;
  if (state.phase !== 'resigning' || !offer || offer.seat === seat) {
    fail('INVALID_ACTION', `you cannot ${verb} now: ${describeWaiting(state)}`);
  }
  return offer;
}

function acceptResignation(state: MatchState, seat: Seat): MatchState {
  const offer = expectResignationAnswer(state, seat, 'accept a resignation');
  const recorded = { ...record(state, { type: 'accept', seat }), resignation: null };
  const points = resignationPoints(offer.kind, state.cube.value, scoringRules(state));
  return endGame(recorded, { winner: seat, kind: offer.kind, points, by: 'resignation' });
}

function rejectResignation(state: MatchState, seat: Seat): MatchState {
  expectResignationAnswer(state, seat, 'reject a resignation');
  return { ...record(state, { type: 'reject', seat }), phase: state.resumePhase, resignation: null };
}

function forfeit(state: MatchState, seat: Seat): MatchState {
  expectSeat(seat);
  if (state.phase === 'over') fail('INVALID_ACTION', 'the match is over');
  return { ...state, phase: 'over', winner: otherSeat(seat), forfeitedBy: seat, dice: null, turnInProgress: null, resignation: null };
}

function record(state: MatchState, event: GameEvent): MatchState {
  const games = state.games.slice();
  const game = games[games.length - 1]!;
  games[games.length - 1] = { ...game, events: [...game.events, event] };
  return { ...state, games };
}

/** Scores the game, then ends the match or starts the next game (Crawford when it is due). */
function endGame(state: MatchState, outcome: GameOutcome): MatchState {
  const games = state.games.slice();
  games[games.length - 1] = { ...games[games.length - 1]!, outcome };
  const score: [number, number] = [state.score[0], state.score[1]];
  score[outcome.winner] += outcome.points;
  const ended: MatchState = { ...state, games, score, dice: null, turnInProgress: null, resignation: null };
  const { matchLength } = state.settings;
  if (matchLength > 0 && score[outcome.winner] >= matchLength) {
    return { ...ended, phase: 'over', winner: outcome.winner };
  }
  return startGame(ended, isCrawfordDue(ended));
}

/** The Crawford game is the first game after a player first reaches match point (one point away). */
export function isCrawfordDue(state: Pick<MatchState, 'settings' | 'score' | 'crawfordReached'>): boolean {
  const { matchLength } = state.settings;
  if (matchLength === 0 || state.crawfordReached) return false;
  return state.score.some((points) => points === matchLength - 1);
}

export function isPostCrawford(state: MatchState): boolean {
  return state.crawfordReached && !state.crawford;
}

export function canConfirmPlay(state: MatchState): boolean {
  return state.phase === 'moving' && state.turnInProgress !== null && canConfirm(state.turnInProgress);
}

/** The game an action ended, taking the match from `before` to `after`, or null while the game goes on. */
export function endedGame(before: MatchState, after: MatchState): { readonly number: number; readonly outcome: GameOutcome } | null {
  if (after.games.length === before.games.length && after.phase !== 'over') return null;
  const index = before.games.length - 1;
  const outcome = after.games[index]?.outcome;
  return outcome ? { number: index + 1, outcome } : null;
}

/** The match as a record for export, with players' names. */
export function matchRecord(state: MatchState, players: readonly [string, string]): MatchRecord {
  const games = state.games.filter((game) => game.events.length > 0 || game.outcome !== null);
  return { players, matchLength: state.settings.matchLength, games };
}

/** gnubg's Position ID and Match ID for the match as it stands, to paste into GNU Backgammon. */
export function gnubgIds(state: MatchState): { positionId: string; matchId: string } {
  return { positionId: positionId(currentPosition(state)), matchId: gnubgMatchId(state) };
}

/** gnubg's Match ID alone: score, cube, dice and whose turn. */
export function gnubgMatchId(state: MatchState): string {
  return encodeMatchId(matchIdFields(state));
}

function finishedGameState(state: MatchState): MatchIdFields['gameState'] {
  const ending = state.games[state.games.length - 1]?.outcome?.by;
  return ending === 'drop' ? 'dropped' : ending === 'resignation' ? 'resigned' : 'over';
}

/** What the state's gnubg Match ID encodes. */
export function matchIdFields(state: MatchState): MatchIdFields {
  const playing = state.phase !== 'over' && state.phase !== 'opening';
  return {
    cubeValue: state.cube.value,
    cubeOwner: state.cube.owner,
    diceOwner: state.turn,
    crawford: state.crawford,
    gameState: playing ? 'playing' : state.phase === 'opening' ? 'none' : finishedGameState(state),
    turn: seatToAct(state) ?? state.turn,
    doubleOffered: state.phase === 'doubled',
    resignation: state.resignation?.kind ?? 'none',
    dice: state.dice,
    matchLength: state.settings.matchLength,
    score: state.score,
    jacoby: state.settings.jacoby,
  };
}
