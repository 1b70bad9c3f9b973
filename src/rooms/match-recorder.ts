import { randomUUID } from 'node:crypto';
import {
  endedGame,
  gnubgIds,
  type FairDice,
  type FairDiceReveal,
  type GameRecord,
  type LoggedAction,
  type LoggedPlayer,
  type MatchAction,
  type MatchLogEntry,
  type MatchState,
  type Seat,
} from '../engine/index.js';
import type { JournalEntry } from '../db/journal.js';
import { turnsTaken } from '../ratings/rated.js';

/** Where a room's records go: an ordered write-behind queue that never makes the room wait. */
export interface Journal {
  append(entry: JournalEntry): void;
}

export interface MatchStart {
  /** The id the match is stored under; a new one when not given. */
  readonly matchId?: string;
  readonly roomId: string;
  readonly match: MatchState;
  readonly players: readonly [LoggedPlayer, LoggedPlayer];
  readonly rated: boolean;
  /** Played by invitation: kept out of public listings. */
  readonly private?: boolean;
  /** The match's dice, their client seeds already set: the log gives each roll its index in their sequence. */
  readonly fairDice: FairDice;
  /** Which of the client seeds the server drew, its player having sent none. */
  readonly diceSeedsDrawnByServer?: readonly [boolean, boolean];
}

/** Turns what happens in one match into its event log and its game and match rows. */
export class MatchRecorder {
  readonly matchId: string;
  private seq = 0;
  private gameStartedAt = new Date();
  private readonly fairDice: FairDice;

  /** `continuing`: a match resumed from its log, whose start is already recorded. */
  constructor(
    private readonly journal: Journal,
    start: MatchStart,
    continuing?: { readonly lastSeq: number; readonly gameStartedAt: Date },
  ) {
    this.matchId = start.matchId ?? randomUUID();
    this.fairDice = start.fairDice;
    if (continuing) {
      this.seq = continuing.lastSeq;
      this.gameStartedAt = continuing.gameStartedAt;
      return;
    }
    const at = new Date();
    const { match, players, rated } = start;
    const isPrivate = start.private ?? false;
    const { commitment: diceCommitment, clientSeeds: diceClientSeeds } = this.fairDice;
    const started = { settings: match.settings, players, rated, private: isPrivate, diceCommitment, diceClientSeeds };
    journal.append({ kind: 'match-started', matchId: this.matchId, roomId: start.roomId, ...started, at });
    const drawn = start.diceSeedsDrawnByServer;
    this.log({ type: 'match-created', ...started, ...(drawn ? { diceSeedsDrawnByServer: drawn } : {}) }, at);
    this.gameStarted(match);
  }

  /** The seq of the last event logged. */
  get lastSeq(): number {
    return this.seq;
  }

  /**
   * An action the engine accepted, taking the match from `before` to `after`: logged (a roll with
   * the index of its dice, the latest drawn), and with it the end of the game it ended, if any.
   */
  applied(before: MatchState, action: MatchAction, after: MatchState): void {
    const rolled = action.type === 'roll' || action.type === 'opening-roll';
    const entry: LoggedAction = rolled ? { ...action, rollIndex: this.fairDice.nextIndex - 1 } : action;
    this.log(entry);
    const ended = endedGame(before, after);
    if (ended) this.gameEnded(before, after, ended);
  }

  timedOut(seat: Seat): void {
    this.log({ type: 'timeout', seat });
  }

  /** `before` is the match just before the action that ended the game, `after` just after it. */
  private gameEnded(before: MatchState, after: MatchState, { number, outcome }: NonNullable<ReturnType<typeof endedGame>>): void {
    const game = after.games[number - 1]!;
    const at = new Date();
    const finalPositionId = gnubgIds(before).positionId;
    this.log({ type: 'game-end', game: number, outcome, score: after.score, positionId: finalPositionId }, at);
    this.journal.append({
      kind: 'game-finished',
      matchId: this.matchId,
      number,
      scoreBefore: game.score,
      crawford: game.crawford,
      outcome,
      cube: before.cube.value,
      finalPositionId,
      moves: checkerMoves(game),
      startedAt: this.gameStartedAt,
      at,
    });
    if (after.phase !== 'over') this.gameStarted(after);
  }

  matchEnded(match: MatchState, fairDice: FairDiceReveal): void {
    const at = new Date();
    const { winner, forfeitedBy, score } = match;
    this.log({ type: 'match-end', winner, score, forfeitedBy, fairDice }, at);
    this.journal.append({ kind: 'match-finished', matchId: this.matchId, score, winner, forfeitedBy, turns: turnsTaken(match), fairDice, at });
  }

  private gameStarted(match: MatchState): void {
    this.gameStartedAt = new Date();
    this.log({ type: 'game-start', game: match.gameNumber, score: match.score, crawford: match.crawford }, this.gameStartedAt);
  }

  private log(entry: MatchLogEntry, at = new Date()): void {
    this.seq += 1;
    this.journal.append({ kind: 'event', matchId: this.matchId, seq: this.seq, type: entry.type, json: storedEventJson(this.seq, entry, at) });
  }
}

/**
 * The event as stored (StoredEventJson): `{"seq":…,"type":…,"data":{the entry's other fields},"at":…}`,
 * the text JSON.stringify writes for it. Every action is logged, so the entry is written once as it
 * is and its type cut from the front, instead of being copied without its type into a new object.
 */
export function storedEventJson(seq: number, entry: MatchLogEntry, at: Date): string {
  const type = JSON.stringify(entry.type);
  return `{"seq":${seq},"type":${type},"data":${dataJson(entry, type)},"at":"${at.toISOString()}"}`;
}

function dataJson(entry: MatchLogEntry, typeJson: string): string {
  const text = JSON.stringify(entry);
  const head = `{"type":${typeJson}`;
  if (!text.startsWith(head)) {
    const { type: _type, ...data } = entry;
    return JSON.stringify(data);
  }
  return text.length === head.length + 1 ? '{}' : `{${text.slice(head.length + 1)}`;
}

function checkerMoves(game: GameRecord): number {
  return game.events.reduce((count, event) => count + (event.type === 'play' ? event.moves.length : 0), 0);
}
