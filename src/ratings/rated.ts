/**
 * Whether a match moves ratings: the one place that decides it, so that ratings cannot be farmed
 * by matches nobody really played.
 *
 * A match is rated only when it was created rated, is match play (money play never is), is
 * played between two different registered accounts (not guests, not bots), has a winner, and
 * each player took at least minimumTurnsEach(matchLength) turns, however it ended: a match
 * resigned, dropped, abandoned or lost on time right after the opening roll rates nobody. Between
 * the same two accounts, only the first RATED_MATCHES_PER_PAIR_PER_DAY rated matches within 24
 * hours move ratings. A rating is provisional until its account has ESTABLISHED_EXPERIENCE points
 * of rated matches; the leaderboard lists established accounts only.
 */
import type { MatchState, Seat } from '../engine/index.js';

/** Turns each player must take in any rated match. */
export const MIN_TURNS_EACH = 10;
/** And at least this many per point of the match length, so that a long match is not settled by a few turns and a big cube. */
export const MIN_TURNS_EACH_PER_POINT = 2;
/** Rated matches between the same two accounts, per 24 hours, that move their ratings. */
export const RATED_MATCHES_PER_PAIR_PER_DAY = 3;
export const PAIR_WINDOW_MS = 24 * 60 * 60 * 1000;
/** Points of rated matches (FIBS experience) after which a rating is no longer provisional. */
export const ESTABLISHED_EXPERIENCE = 50;

export type UnratedReason =
  /** Its creator asked for an unrated match. */
  | 'not-requested'
  /** Money play (match length 0) is never rated. */
  | 'money-play'
  /** A seat was a bot or an account that no longer exists, or one account held both seats. */
  | 'not-two-accounts'
  /** A guest played: guests have no rating movement. */
  | 'guest'
  | 'no-winner'
  /** A player took fewer turns than minimumTurnsEach. */
  | 'too-short'
  /** The pair already played RATED_MATCHES_PER_PAIR_PER_DAY rated matches in the last 24 hours. */
  | 'pair-limit';

export interface RatingParticipant {
  /** Null for a bot or a deleted account. */
  readonly userId: string | null;
  readonly guest: boolean;
}

/** What is known of a match when it starts. */
export interface RatingTerms {
  /** Whether its creator asked for a rated match. */
  readonly requested: boolean;
  readonly matchLength: number;
  readonly players: readonly [RatingParticipant, RatingParticipant];
}

/** What is known once it has ended. */
export interface MatchEnding {
  readonly winner: Seat | null;
  /** Turns each seat took, seat 0 first. */
  readonly turns: readonly [number, number];
  /** Rated matches the same two accounts finished in the 24 hours before this one ended. */
  readonly ratedBetweenPairInWindow: number;
}

/**
 * Why the match is not rated; empty when it is. Without `ending`, the reasons known when the
 * match starts: a match with none of them is stored as rated until its end says otherwise.
 */
export function unratedReasons(terms: RatingTerms, ending?: MatchEnding): UnratedReason[] {
  const reasons: UnratedReason[] = [];
  const [white, black] = terms.players;
  if (!terms.requested) reasons.push('not-requested');
  if (terms.matchLength === 0) reasons.push('money-play');
  if (white.userId === null || black.userId === null || white.userId === black.userId) reasons.push('not-two-accounts');
  if (white.guest || black.guest) reasons.push('guest');
  if (!ending) return reasons;
  if (ending.winner === null) reasons.push('no-winner');
  if (Math.min(...ending.turns) < minimumTurnsEach(terms.matchLength)) reasons.push('too-short');
  if (ending.ratedBetweenPairInWindow >= RATED_MATCHES_PER_PAIR_PER_DAY) reasons.push('pair-limit');
  return reasons;
}

/** The turns each player must take for a match to `matchLength` to be rated. */
export function minimumTurnsEach(matchLength: number): number {
  return Math.max(MIN_TURNS_EACH, MIN_TURNS_EACH_PER_POINT * matchLength);
}

/** Turns each seat took in the match, seat 0 first: each roll played (or that could not be played) is one. */
export function turnsTaken(match: MatchState): [number, number] {
  const turns: [number, number] = [0, 0];
  for (const game of match.games) {
    for (const event of game.events) if (event.type === 'play') turns[event.seat] += 1;
  }
  return turns;
}

/** A rating is provisional, and kept off the leaderboard, until its account has some experience. */
export function isProvisional(experience: number): boolean {
  return experience < ESTABLISHED_EXPERIENCE;
}
