import { fail } from './errors.js';
import type { FairDiceReveal } from './fair-dice.js';
import { applyAction, currentPosition, endedGame, newMatch, type MatchAction, type MatchSettings, type MatchState } from './match.js';
import type { GameOutcome, Seat } from './record.js';

export interface LoggedPlayer {
  /** The account that held the seat; null for a bot. */
  readonly userId: string | null;
  readonly name: string;
  readonly rating: number;
}

/**
 * Facts the log keeps for its readers besides the actions. Replay needs only `match-created`;
 * the others restate what the actions imply, at the moment it happened.
 */
export type MatchNote =
  | {
      readonly type: 'match-created';
      readonly settings: MatchSettings;
      readonly players: readonly [LoggedPlayer, LoggedPlayer];
      readonly rated: boolean;
      /** Absent in logs written before private matches were recorded. */
      readonly private?: boolean;
      readonly diceCommitment: string;
      /**
       * The seeds mixed into every roll of the match, seat 0 first, fixed before its first roll;
       * absent in logs written before players could send seeds (their rolls used none).
       */
      readonly diceClientSeeds?: readonly string[];
      /** Which of those seeds the server drew because that player sent none; absent in logs written before it was kept. */
      readonly diceSeedsDrawnByServer?: readonly [boolean, boolean];
    }
  | { readonly type: 'game-start'; readonly game: number; readonly score: readonly [number, number]; readonly crawford: boolean }
  /** A clock ran out; the forfeit action follows. */
  | { readonly type: 'timeout'; readonly seat: Seat }
  | {
      readonly type: 'game-end';
      readonly game: number;
      readonly outcome: GameOutcome;
      readonly score: readonly [number, number];
      readonly positionId: string;
    }
  | {
      readonly type: 'match-end';
      readonly winner: Seat | null;
      readonly score: readonly [number, number];
      readonly forfeitedBy: Seat | null;
      readonly fairDice: FairDiceReveal;
    };

/** An action as played; a roll carries the index of its dice in the fair-dice sequence. */
export type LoggedAction = MatchAction & { readonly rollIndex?: number };

/** One entry of a match's event log, in the order it happened. */
export type MatchLogEntry = LoggedAction | MatchNote;

const NOTE_TYPES: ReadonlySet<string> = new Set<MatchNote['type']>(['match-created', 'game-start', 'timeout', 'game-end', 'match-end']);

export function isMatchNote(entry: MatchLogEntry): entry is MatchNote {
  return NOTE_TYPES.has(entry.type);
}

/**
 * The match after the first `count` entries of its log (all of them by default). The log must
 * start with `match-created`; an action the rules refuse throws an EngineError, as it would have
 * when it was played.
 */
export function replayMatch(entries: readonly MatchLogEntry[], count = entries.length): MatchState {
  let state: MatchState | null = null;
  for (const entry of entries.slice(0, count)) state = replayEntry(state, entry);
  if (!state) return fail('INVALID_LOG', 'a match log starts with its match-created entry');
  return state;
}

/** Every state the match went through: the state after each entry, in order. */
export function* replaySteps(entries: readonly MatchLogEntry[]): Generator<MatchState> {
  let state: MatchState | null = null;
  for (const entry of entries) {
    state = replayEntry(state, entry);
    yield state;
  }
}

function replayEntry(state: MatchState | null, entry: MatchLogEntry): MatchState {
  if (entry.type === 'match-created') {
    if (state) fail('INVALID_LOG', 'a match log has one match-created entry, at its start');
    return newMatch(entry.settings);
  }
  if (!state) return fail('INVALID_LOG', 'a match log starts with its match-created entry');
  if (isMatchNote(entry)) return state;
  return applyAction(state, entry);
}

/** The match right after an entry of its log, for showing it there. */
export interface LoggedPosition {
  readonly state: MatchState;
  /** Set after the action that ended a game and after its game-end note: the number of that game. */
  readonly endedGame: number | null;
}

/**
 * The match right after the first `count` entries of its log. Unlike `replayMatch`, which is
 * already at the next game's opening once an action ends a game, this shows the game that ended
 * as it finished (its final board and cube, the score it left, `phase` 'over') after that action
 * and after its game-end note; the next game begins with its game-start note.
 */
export function positionAfter(entries: readonly MatchLogEntry[], count = entries.length): LoggedPosition {
  let shown: LoggedPosition | null = null;
  let state: MatchState | null = null;
  for (const entry of entries.slice(0, count)) {
    const before = state;
    state = replayEntry(state, entry);
    const ended = before && !isMatchNote(entry) ? endedGame(before, state) : null;
    if (ended && state.phase !== 'over') shown = { state: asFinishedGame(before!, state, ended.number), endedGame: ended.number };
    else if (entry.type !== 'game-end' || !shown) shown = { state, endedGame: ended?.number ?? null };
  }
  if (!shown) return fail('INVALID_LOG', 'a match log starts with its match-created entry');
  return shown;
}

/** The match at the end of game `number`, from the states just before and after the action that ended it. */
function asFinishedGame(before: MatchState, after: MatchState, number: number): MatchState {
  const board = currentPosition(before);
  const sides: MatchState['sides'] = before.turn === 0 ? [board.player, board.opponent] : [board.opponent, board.player];
  return { ...before, sides, turnInProgress: null, dice: null, resignation: null, phase: 'over', score: after.score, games: after.games.slice(0, number) };
}
