import assert from 'node:assert/strict';
import { applyAction, newMatch, type MatchAction, type MatchState } from '../../src/engine/index.js';
import {
  ESTABLISHED_EXPERIENCE,
  isProvisional,
  MIN_TURNS_EACH,
  minimumTurnsEach,
  RATED_MATCHES_PER_PAIR_PER_DAY,
  turnsTaken,
  unratedReasons,
  type MatchEnding,
  type RatingTerms,
} from '../../src/ratings/rated.js';

const ann = { userId: 'ann', guest: false };
const ben = { userId: 'ben', guest: false };

function terms(changes: Partial<RatingTerms> = {}): RatingTerms {
  return { requested: true, matchLength: 5, players: [ann, ben], ...changes };
}

function ending(changes: Partial<MatchEnding> = {}): MatchEnding {
  return { winner: 0, turns: [40, 40], ratedBetweenPairInWindow: 0, ...changes };
}

describe('which matches are rated', () => {
  it('rates a finished match between two registered accounts who both played', () => {
    assert.deepEqual(unratedReasons(terms(), ending()), []);
    assert.deepEqual(unratedReasons(terms()), [], 'stored as rated when it starts');
  });

  it('does not rate money play, a match created unrated, or one without two accounts', () => {
    assert.deepEqual(unratedReasons(terms({ matchLength: 0 })), ['money-play']);
    assert.deepEqual(unratedReasons(terms({ requested: false })), ['not-requested']);
    assert.deepEqual(unratedReasons(terms({ players: [ann, { userId: null, guest: false }] })), ['not-two-accounts'], 'a bot');
    assert.deepEqual(unratedReasons(terms({ players: [ann, ann] })), ['not-two-accounts'], 'one account in both seats');
  });

  it('does not rate a match a guest played, in either seat, from its start', () => {
    const guest = { userId: 'guest', guest: true };
    assert.deepEqual(unratedReasons(terms({ players: [guest, ben] })), ['guest']);
    assert.deepEqual(unratedReasons(terms({ players: [ann, guest] }), ending()), ['guest']);
  });

  it('does not rate a match either player left, resigned or lost on time before taking the minimum of turns', () => {
    assert.deepEqual(unratedReasons(terms(), ending({ turns: [1, 0] })), ['too-short'], 'forfeited after the opening roll');
    assert.deepEqual(unratedReasons(terms({ matchLength: 1 }), ending({ turns: [MIN_TURNS_EACH, MIN_TURNS_EACH - 1] })), ['too-short']);
    assert.deepEqual(unratedReasons(terms({ matchLength: 1 }), ending({ turns: [MIN_TURNS_EACH, MIN_TURNS_EACH] })), []);
  });

  it('asks more turns of a longer match: two per point, at least ten', () => {
    assert.equal(minimumTurnsEach(1), 10);
    assert.equal(minimumTurnsEach(5), 10);
    assert.equal(minimumTurnsEach(7), 14);
    assert.equal(minimumTurnsEach(25), 50);
    assert.deepEqual(unratedReasons(terms({ matchLength: 25 }), ending({ turns: [49, 80] })), ['too-short']);
    assert.deepEqual(unratedReasons(terms({ matchLength: 25 }), ending({ turns: [50, 50] })), []);
  });

  it('rates only the first matches between the same two accounts in 24 hours', () => {
    assert.deepEqual(unratedReasons(terms(), ending({ ratedBetweenPairInWindow: RATED_MATCHES_PER_PAIR_PER_DAY - 1 })), []);
    assert.deepEqual(unratedReasons(terms(), ending({ ratedBetweenPairInWindow: RATED_MATCHES_PER_PAIR_PER_DAY })), ['pair-limit']);
  });

  it('does not rate a match without a winner, and gives every reason that applies', () => {
    assert.deepEqual(unratedReasons(terms(), ending({ winner: null })), ['no-winner']);
    const guest = { userId: 'guest', guest: true };
    assert.deepEqual(unratedReasons(terms({ matchLength: 0, players: [guest, guest] }), ending({ turns: [0, 0] })), [
      'money-play',
      'not-two-accounts',
      'guest',
      'too-short',
    ]);
  });

  it('counts each roll a player played, or could not play, as one turn of theirs', () => {
    let match: MatchState = newMatch({ matchLength: 1, cube: false });
    const apply = (action: MatchAction) => (match = applyAction(match, action));
    apply({ type: 'opening-roll', dice: [3, 1] });
    assert.deepEqual(turnsTaken(match), [0, 0], 'the opening roll is not played yet');
    apply({ type: 'move', seat: 0, from: 8, to: 5 });
    apply({ type: 'move', seat: 0, from: 6, to: 5 });
    apply({ type: 'confirm', seat: 0 });
    assert.deepEqual(turnsTaken(match), [1, 0]);
    apply({ type: 'forfeit', seat: 1 });
    assert.deepEqual(turnsTaken(match), [1, 0]);
  });

  it('keeps a rating provisional until the account has some experience', () => {
    assert.equal(isProvisional(0), true);
    assert.equal(isProvisional(ESTABLISHED_EXPERIENCE - 1), true);
    assert.equal(isProvisional(ESTABLISHED_EXPERIENCE), false);
  });
});
