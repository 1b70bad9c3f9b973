import { randomUUID } from 'node:crypto';
import {
  gnubgIds,
  type FairDiceReveal,
  type GameRecord,
  type LoggedAction,
  type LoggedPlayer,
  type MatchAction,
  type MatchLogEntry,
  type MatchState,
  type Seat,
} from '../engine/index.js';
import type { StoredEventJson } from '../db/entities.js';
import type { JournalEntry } from '../db/journal.js';

/** Where a room's records go: an ordered write-behind queue that never makes the room wait. */
export interface Journal {
  append(entry: JournalEntry): void;
}

export interface MatchStart {
  readonly roomId: string;
  readonly match: MatchState;
  readonly players: readonly [LoggedPlayer, LoggedPlayer];
  readonly rated: boolean;
  readonly diceCommitment: string;
}

/** Turns what happens in one match into its event log and its game and match rows. */
export class MatchRecorder {
  readonly matchId = randomUUID();
  private seq = 0;
  private gameStartedAt = new Date();

  constructor(
    private readonly journal: Journal,
    start: MatchStart,
  ) {
    const at = new Date();
    const { match, players, rated, diceCommitment } = start;
    journal.append({ kind: 'match-started', matchId: this.matchId, roomId: start.roomId, settings: match.settings, rated, players, diceCommitment, at });
    this.log({ type: 'match-created', settings: match.settings, players, rated, diceCommitment }, at);
    this.gameStarted(match);
  }

  /** An action the engine accepted; `rollIndex` is the fair-dice index of a roll's dice. */
  played(action: MatchAction, rollIndex: number | undefined): void {
    const entry: LoggedAction = rollIndex === undefined ? action : { ...action, rollIndex };
    this.log(entry);
  }

  timedOut(seat: Seat): void {
    this.log({ type: 'timeout', seat });
  }

  /** `before` is the match just before the action that ended the game, `after` just after it. */
  gameEnded(before: MatchState, after: MatchState): void {
    const index = before.games.length - 1;
    const game = after.games[index]!;
    const outcome = game.outcome!;
    const at = new Date();
    const finalPositionId = gnubgIds(before).positionId;
    this.log({ type: 'game-end', game: index + 1, outcome, score: after.score, positionId: finalPositionId }, at);
    this.journal.append({
      kind: 'game-finished',
      matchId: this.matchId,
      number: index + 1,
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
    this.journal.append({ kind: 'match-finished', matchId: this.matchId, score, winner, forfeitedBy, fairDice, at });
  }

  private gameStarted(match: MatchState): void {
    this.gameStartedAt = new Date();
    this.log({ type: 'game-start', game: match.gameNumber, score: match.score, crawford: match.crawford }, this.gameStartedAt);
  }

  private log(entry: MatchLogEntry, at = new Date()): void {
    const { type, ...data } = entry;
    this.seq += 1;
    const json = JSON.stringify({ seq: this.seq, type, data, at } satisfies Omit<StoredEventJson, 'at'> & { at: Date });
    this.journal.append({ kind: 'event', matchId: this.matchId, seq: this.seq, type, json });
  }
}

function checkerMoves(game: GameRecord): number {
  return game.events.reduce((count, event) => count + (event.type === 'play' ? event.moves.length : 0), 0);
}
