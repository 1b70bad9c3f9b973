import assert from 'node:assert/strict';
import { MatchSearch } from '../../loadtest/find-max.js';

/** The counts a search measures when every count up to `holdsUpTo` holds and every larger one breaks. */
function stepsOf(search: MatchSearch, holdsUpTo: number): number[] {
  const steps: number[] = [];
  for (let matches = search.next(); matches !== null; matches = search.next()) {
    assert.ok(steps.length < 50, 'the search ends');
    steps.push(matches);
    search.record(matches, matches <= holdsUpTo);
  }
  return steps;
}

describe('load test: which match counts find-max measures', () => {
  it('doubles until a step breaks, then halves the gap --refine times', () => {
    assert.deepEqual(stepsOf(new MatchSearch(1000, 64_000, 2), 3200), [1000, 2000, 4000, 3000, 3500]);
    assert.deepEqual(stepsOf(new MatchSearch(1000, 64_000, 2), 2700), [1000, 2000, 4000, 3000, 2500]);
    assert.deepEqual(stepsOf(new MatchSearch(1000, 64_000, 0), 3200), [1000, 2000, 4000]);
    assert.deepEqual(stepsOf(new MatchSearch(1000, 64_000, 3), 3200), [1000, 2000, 4000, 3000, 3500, 3250]);
  });

  it('tries the cap when doubling would pass it, then narrows below it if the cap breaks', () => {
    assert.deepEqual(stepsOf(new MatchSearch(1000, 9900, 2), 20_000), [1000, 2000, 4000, 8000, 9900]);
    assert.deepEqual(stepsOf(new MatchSearch(1000, 9900, 2), 9000), [1000, 2000, 4000, 8000, 9900, 8950]);
    assert.deepEqual(stepsOf(new MatchSearch(1000, 8000, 2), 20_000), [1000, 2000, 4000, 8000]);
  });

  it('halves while the steps break until one holds, then narrows the gap', () => {
    assert.deepEqual(stepsOf(new MatchSearch(2000, 64_000, 2), 1600), [2000, 1000, 1500, 1750]);
    assert.deepEqual(stepsOf(new MatchSearch(2000, 64_000, 2), 400), [2000, 1000, 500, 250, 375, 438]);
    assert.deepEqual(stepsOf(new MatchSearch(8, 64_000, 2), 0), [8, 4, 2, 1]);
  });

  it('starts at the cap when --matches does not fit, and stops when the gap cannot be halved', () => {
    assert.deepEqual(stepsOf(new MatchSearch(1000, 900, 2), 20_000), [900]);
    assert.deepEqual(stepsOf(new MatchSearch(1000, 0, 2), 20_000), []);
    assert.deepEqual(stepsOf(new MatchSearch(1, 64_000, 5), 1), [1, 2]);
  });
});
