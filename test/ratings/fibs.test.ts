import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  experienceFactor,
  INITIAL_RATING,
  rateMatch,
  winProbability,
  type RatedPlayer,
} from '../../src/ratings/fibs.js';

// Every expected number below was worked out by hand from the formula (with `node -e` for the
// powers and square roots), not by calling the module.

const TOLERANCE = 1e-9;

function assertClose(actual: number, expected: number, what = 'value'): void {
  assert.ok(Math.abs(actual - expected) < TOLERANCE, `${what}: expected ${expected}, got ${actual}`);
}

function player(rating: number, experience: number): RatedPlayer {
  return { rating, experience };
}

const newcomer = player(INITIAL_RATING, 0);

describe('FIBS ratings', () => {
  it('start everyone at 1500', () => {
    assert.equal(INITIAL_RATING, 1500);
  });

  describe('experienceFactor', () => {
    it('falls from 5 by 1 per 100 points of experience, down to 1 at 400 points', () => {
      // K = max(1, 5 - experience/100)
      for (const [experience, k] of [
        [0, 5], // 5 - 0
        [50, 4.5], // 5 - 0.5
        [250, 2.5], // 5 - 2.5
        [399, 1.01], // 5 - 3.99
        [400, 1], // 5 - 4
        [1000, 1], // max(1, 5 - 10 = -5)
      ] as const) {
        assertClose(experienceFactor(experience), k, `K at experience ${experience}`);
      }
    });
  });

  describe('winProbability', () => {
    it('is 0.5 between equal ratings, whatever the match length', () => {
      // D = 0: 1 / (10^0 + 1) = 1/2
      for (const n of [1, 5, 25]) {
        assertClose(winProbability(1500, 1500, n), 0.5);
        assertClose(winProbability(1837.25, 1837.25, n), 0.5);
      }
    });

    it('gives the underdog 1 / (10^(D*sqrt(n)/2000) + 1)', () => {
      // 1700 vs 1500, n = 7: D*sqrt(n)/2000 = 200*sqrt(7)/2000 = 0.2645751311064591
      // 10^0.2645751311064591 = 1.8389720607275062
      // P_upset = 1 / 2.8389720607275062 = 0.35224016954352944; favourite: 0.6477598304564706
      assertClose(winProbability(1500, 1700, 7), 0.35224016954352944, 'underdog');
      assertClose(winProbability(1700, 1500, 7), 0.6477598304564706, 'favourite');
      // 1600 vs 1800, n = 9: 200*3/2000 = 0.3; 10^0.3 = 1.9952623149688795
      // P_upset = 1 / 2.9952623149688795 = 0.3338605754168779
      assertClose(winProbability(1600, 1800, 9), 0.3338605754168779, 'underdog, n = 9');
    });

    it('favours the stronger player more in a longer match', () => {
      assert.ok(winProbability(1700, 1500, 7) > winProbability(1700, 1500, 1));
    });

    it('is symmetric: p(a, b, n) + p(b, a, n) = 1, and a higher rating means more than 0.5', () => {
      const rating = fc.double({ min: 0, max: 4000, noNaN: true });
      const matchLength = fc.integer({ min: 1, max: 64 });
      fc.assert(
        fc.property(rating, rating, matchLength, (a, b, n) => {
          const p = winProbability(a, b, n);
          assertClose(p + winProbability(b, a, n), 1, 'p(a, b) + p(b, a)');
          assert.ok(p >= 0 && p <= 1);
          if (a > b) assert.ok(p > 0.5 || Math.abs(p - 0.5) < TOLERANCE, `p(${a}, ${b}, ${n}) = ${p}`);
        }),
      );
      // Where the difference is large enough to see in floating point, strictly above 0.5.
      assert.ok(winProbability(1501, 1500, 1) > 0.5);
      assert.ok(winProbability(2500, 1500, 25) > 0.5);
    });
  });

  describe('rateMatch', () => {
    it('moves two newcomers with equal ratings by 10 in a 1-point match', () => {
      // P_w = 0.5, K = 5 for both: 4 * sqrt(1) * 0.5 * 5 = 10 → 1510 / 1490
      const result = rateMatch(newcomer, newcomer, 1);
      assert.deepEqual(result, {
        winner: { before: 1500, after: 1510, delta: 10, experienceAfter: 1 },
        loser: { before: 1500, after: 1490, delta: -10, experienceAfter: 1 },
      });
    });

    it('scales the change by sqrt(n): equal newcomers in a 5-point match', () => {
      // P_w = 0.5, K = 5: 4 * sqrt(5) * 0.5 * 5 = 10 * sqrt(5) = 22.360679774997898
      // → 1522.3606797749978 / 1477.6393202250022
      const { winner, loser } = rateMatch(newcomer, newcomer, 5);
      assertClose(winner.delta, 22.360679774997898, 'winner delta');
      assertClose(winner.after, 1522.3606797749978, 'winner after');
      assertClose(loser.delta, -22.360679774997898, 'loser delta');
      assertClose(loser.after, 1477.6393202250022, 'loser after');
      assert.equal(winner.experienceAfter, 5);
      assert.equal(loser.experienceAfter, 5);
    });

    it('moves ratings little when the favourite wins (1700 beats 1500, n = 7)', () => {
      // P_upset = 0.35224016954352944 (see winProbability); the favourite won, so P_w = P_upset.
      // K = 5 for both: 4 * sqrt(7) * 0.35224016954352944 * 5 = 18.638797807588134
      // → 1718.6387978075882 / 1481.3612021924118
      const { winner, loser } = rateMatch(player(1700, 0), player(1500, 0), 7);
      assertClose(winner.delta, 18.638797807588134, 'winner delta');
      assertClose(winner.after, 1718.6387978075882, 'winner after');
      assertClose(loser.delta, -18.638797807588134, 'loser delta');
      assertClose(loser.after, 1481.3612021924118, 'loser after');
    });

    it('moves ratings a lot when the underdog wins (1500 beats 1700, n = 7)', () => {
      // The underdog won, so P_w = 1 - P_upset = 0.6477598304564706.
      // K = 5 for both: 4 * sqrt(7) * 0.6477598304564706 * 5 = 34.27622841370368
      // → 1534.2762284137036 / 1665.7237715862964
      const { winner, loser } = rateMatch(player(1500, 0), player(1700, 0), 7);
      assertClose(winner.delta, 34.27622841370368, 'winner delta');
      assertClose(winner.after, 1534.2762284137036, 'winner after');
      assertClose(loser.delta, -34.27622841370368, 'loser delta');
      assertClose(loser.after, 1665.7237715862964, 'loser after');
    });

    it("applies each player's own K, so the winner's gain can differ from the loser's loss", () => {
      // 1500 (experience 400, K = 1) beats 1500 (experience 250, K = 2.5), n = 3; P_w = 0.5.
      // 4 * sqrt(3) * 0.5 = 2 * sqrt(3) = 3.4641016151377544
      // winner: * 1   = +3.4641016151377544 → 1503.4641016151377
      // loser:  * 2.5 = -8.660254037844386  → 1491.3397459621556
      const { winner, loser } = rateMatch(player(1500, 400), player(1500, 250), 3);
      assertClose(winner.delta, 3.4641016151377544, 'winner delta');
      assertClose(winner.after, 1503.4641016151377, 'winner after');
      assertClose(loser.delta, -8.660254037844386, 'loser delta');
      assertClose(loser.after, 1491.3397459621556, 'loser after');
      assert.equal(winner.experienceAfter, 403);
      assert.equal(loser.experienceAfter, 253);
    });

    it('lets a veteran underdog gain little while the newcomer favourite loses a lot', () => {
      // 1600 (experience 1000, K = 1) beats 1800 (experience 0, K = 5), n = 9.
      // P_upset = 0.3338605754168779 (see winProbability); the underdog won, so
      // P_w = 1 - P_upset = 0.666139424583122; 4 * sqrt(9) * P_w = 12 * P_w = 7.993673094997464
      // winner: * 1 = +7.993673094997464  → 1607.9936730949976
      // loser:  * 5 = -39.96836547498732  → 1760.0316345250126
      const { winner, loser } = rateMatch(player(1600, 1000), player(1800, 0), 9);
      assertClose(winner.delta, 7.993673094997464, 'winner delta');
      assertClose(winner.after, 1607.9936730949976, 'winner after');
      assertClose(loser.delta, -39.96836547498732, 'loser delta');
      assertClose(loser.after, 1760.0316345250126, 'loser after');
      assert.equal(winner.experienceAfter, 1009);
      assert.equal(loser.experienceAfter, 9);
    });

    it('grows experience by the match length, which lowers K for the next match', () => {
      // Match 1: A (1500, experience 395) beats B (1500, experience 395), n = 5.
      // K = 5 - 3.95 = 1.05 for both; 4 * sqrt(5) * 0.5 * 1.05 = 4.695742752749558
      // → A 1504.6957427527495, B 1495.3042572472505, both now at experience 400 (K = 1).
      const first = rateMatch(player(1500, 395), player(1500, 395), 5);
      assertClose(first.winner.after, 1504.6957427527495, 'A after match 1');
      assertClose(first.loser.after, 1495.3042572472505, 'B after match 1');
      assert.equal(first.winner.experienceAfter, 400);
      assert.equal(first.loser.experienceAfter, 400);

      // Match 2: B (the underdog) beats A, n = 1, both K = 1.
      // D = 9.391485505499077; 10^(D/2000) = 1.0108710119333006; P_upset = 0.49729693951805276
      // P_w = 1 - P_upset = 0.5027030604819472; change = 4 * 1 * P_w * 1 = 2.010812241927789
      // → B 1497.3150694891783, A 1502.6849305108217, both at experience 401.
      const a = player(first.winner.after, first.winner.experienceAfter);
      const b = player(first.loser.after, first.loser.experienceAfter);
      const second = rateMatch(b, a, 1);
      assertClose(second.winner.delta, 2.010812241927789, 'B delta in match 2');
      assertClose(second.winner.after, 1497.3150694891783, 'B after match 2');
      assertClose(second.loser.after, 1502.6849305108217, 'A after match 2');
      assert.equal(second.winner.experienceAfter, 401);
      assert.equal(second.loser.experienceAfter, 401);
    });

    it('never takes points from the winner nor gives points to the loser', () => {
      const rated = fc.record({
        rating: fc.double({ min: 0, max: 4000, noNaN: true }),
        experience: fc.integer({ min: 0, max: 5000 }),
      });
      fc.assert(
        fc.property(rated, rated, fc.integer({ min: 1, max: 64 }), (w, l, n) => {
          const { winner, loser } = rateMatch(w, l, n);
          assert.ok(winner.delta >= 0 && winner.after >= winner.before, `winner ${JSON.stringify(winner)}`);
          assert.ok(loser.delta <= 0 && loser.after <= loser.before, `loser ${JSON.stringify(loser)}`);
          assert.equal(winner.before, w.rating);
          assert.equal(loser.before, l.rating);
          assert.equal(winner.experienceAfter, w.experience + n);
          assert.equal(loser.experienceAfter, l.experience + n);
        }),
      );
    });
  });

  describe('invalid input', () => {
    function assertRangeError(run: () => unknown, pattern: RegExp): void {
      assert.throws(run, (error: unknown) => error instanceof RangeError && pattern.test(error.message));
    }

    it('refuses a match length that is not a positive integer (money play is not rated)', () => {
      for (const n of [0, -1, 2.5, Number.NaN, Number.POSITIVE_INFINITY]) {
        assertRangeError(() => rateMatch(newcomer, newcomer, n), /match length/);
        assertRangeError(() => winProbability(1500, 1500, n), /match length/);
      }
    });

    it('refuses ratings that are not finite', () => {
      for (const rating of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
        assertRangeError(() => rateMatch(player(rating, 0), newcomer, 1), /winner's rating/);
        assertRangeError(() => rateMatch(newcomer, player(rating, 0), 1), /loser's rating/);
        assertRangeError(() => winProbability(rating, 1500, 1), /rating/);
        assertRangeError(() => winProbability(1500, rating, 1), /opponent rating/);
      }
    });

    it('refuses experience that is negative or not finite', () => {
      for (const experience of [-1, -0.5, Number.NaN, Number.POSITIVE_INFINITY]) {
        assertRangeError(() => rateMatch(player(1500, experience), newcomer, 1), /winner's experience/);
        assertRangeError(() => rateMatch(newcomer, player(1500, experience), 1), /loser's experience/);
        assertRangeError(() => experienceFactor(experience), /experience/);
      }
    });
  });
});
