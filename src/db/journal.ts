import type { FairDiceReveal, GameOutcome, LoggedPlayer, MatchSettings, Seat } from '../engine/index.js';

/** A match that has started: its players and settings. */
export interface MatchStarted {
  readonly kind: 'match-started';
  readonly matchId: string;
  readonly roomId: string;
  readonly settings: MatchSettings;
  readonly rated: boolean;
  readonly players: readonly [LoggedPlayer, LoggedPlayer];
  /** Played by invitation: kept out of public listings. */
  readonly private: boolean;
  readonly diceCommitment: string;
  /** The players' seeds mixed into every roll, seat 0 first. */
  readonly diceClientSeeds: readonly string[];
  readonly at: Date;
}

/** One entry of a match's event log. */
export interface MatchEventWritten {
  readonly kind: 'event';
  readonly matchId: string;
  readonly seq: number;
  readonly type: string;
  /**
   * The stored form, `{ seq, type, data, at }` as JSON text: serialized when the event happens, a
   * few microseconds each, so that writing a batch only joins texts instead of holding the event
   * loop to serialize hundreds of events at once.
   */
  readonly json: string;
}

export interface GameFinished {
  readonly kind: 'game-finished';
  readonly matchId: string;
  readonly number: number;
  readonly scoreBefore: readonly [number, number];
  readonly crawford: boolean;
  readonly outcome: GameOutcome;
  readonly cube: number;
  readonly finalPositionId: string;
  readonly moves: number;
  readonly startedAt: Date;
  readonly at: Date;
}

/** The end of a match; a rated one also moves both players' ratings (see ratings/rated.ts). */
export interface MatchFinished {
  readonly kind: 'match-finished';
  readonly matchId: string;
  readonly score: readonly [number, number];
  readonly winner: Seat | null;
  readonly forfeitedBy: Seat | null;
  /** Turns each seat took, seat 0 first: too few and the match is not rated. */
  readonly turns: readonly [number, number];
  readonly fairDice: FairDiceReveal;
  readonly at: Date;
}

/** What a match room hands to the database, in the order it happened. */
export type JournalEntry = MatchStarted | MatchEventWritten | GameFinished | MatchFinished;
