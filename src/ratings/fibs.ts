/**
 * The FIBS rating formula.
 *
 * Everyone starts at INITIAL_RATING. With D the rating difference and n the match length, the
 * underdog wins a match with probability 1 / (10^(D * sqrt(n) / 2000) + 1): a longer match
 * favours the stronger player more, since luck evens out over more games.
 *
 * After a match both ratings move by 4 * sqrt(n) * P * K, up for the winner and down for the
 * loser, where P is the probability that the actual winner would have lost (a big upset moves
 * ratings a lot, an expected win barely at all) and K is each player's own experience factor.
 * K starts at 5 and falls to 1 after 400 points of matches, so newcomers find their level fast
 * while established ratings stay steady. Because K is per player, the winner's gain and the
 * loser's loss differ when their experience differs.
 *
 * Which matches are rated is decided in rated.ts; money play never is. Ratings are kept at full
 * precision; FIBS shows two decimals, which is a matter for display.
 */

export const INITIAL_RATING = 1500;

export interface RatedPlayer {
  readonly rating: number;
  /** The sum of the lengths of the rated matches this player has played. */
  readonly experience: number;
}

export interface RatingChange {
  readonly before: number;
  readonly after: number;
  /** after - before: positive for the winner, negative for the loser. */
  readonly delta: number;
  readonly experienceAfter: number;
}

export interface MatchRatingChange {
  readonly winner: RatingChange;
  readonly loser: RatingChange;
}

/** The probability that a player rated `rating` beats one rated `opponentRating`. */
export function winProbability(rating: number, opponentRating: number, matchLength: number): number {
  checkRating(rating, 'rating');
  checkRating(opponentRating, 'opponent rating');
  checkMatchLength(matchLength);
  // The underdog formula with a signed difference: for the favourite the power of ten is below 1
  // and this gives 1 - P_upset; for the underdog it gives P_upset.
  return 1 / (10 ** (((opponentRating - rating) * Math.sqrt(matchLength)) / 2000) + 1);
}

/** K, the multiplier on a player's rating change: 5 for a newcomer, falling to 1 at 400 points. */
export function experienceFactor(experience: number): number {
  checkExperience(experience, 'experience');
  return Math.max(1, 5 - experience / 100);
}

/** The rating changes of both players after `winner` beat `loser` in a match to `matchLength`. */
export function rateMatch(winner: RatedPlayer, loser: RatedPlayer, matchLength: number): MatchRatingChange {
  checkPlayer(winner, 'winner');
  checkPlayer(loser, 'loser');
  const winnerWouldHaveLost = winProbability(loser.rating, winner.rating, matchLength);
  const stake = 4 * Math.sqrt(matchLength) * winnerWouldHaveLost;
  return {
    winner: change(winner, stake, matchLength),
    loser: change(loser, -stake, matchLength),
  };
}

/** `signedStake` is the change before the player's own K: positive to gain, negative to lose. */
function change(player: RatedPlayer, signedStake: number, matchLength: number): RatingChange {
  const delta = signedStake * experienceFactor(player.experience);
  return {
    before: player.rating,
    after: player.rating + delta,
    delta,
    experienceAfter: player.experience + matchLength,
  };
}

function checkPlayer(player: RatedPlayer, who: string): void {
  checkRating(player.rating, `${who}'s rating`);
  checkExperience(player.experience, `${who}'s experience`);
}

function checkRating(rating: number, what: string): void {
  if (!Number.isFinite(rating)) {
    throw new RangeError(`${what} must be a finite number, got ${rating}`);
  }
}

function checkExperience(experience: number, what: string): void {
  if (!Number.isFinite(experience) || experience < 0) {
    throw new RangeError(`${what} must be a finite number of at least 0, got ${experience}`);
  }
}

function checkMatchLength(matchLength: number): void {
  if (!Number.isInteger(matchLength) || matchLength < 1) {
    throw new RangeError(`match length must be an integer of at least 1 (money play is not rated), got ${matchLength}`);
  }
}
