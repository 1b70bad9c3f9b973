import assert from 'node:assert/strict';
import { mostMatchesThatFit, openFilesProblem } from '../../loadtest/open-files.js';

describe('load test: the open-file limit and the matches it leaves room for', () => {
  it('fits two sockets a match in the busiest process, servers and generator alike', () => {
    // 20,000 files less 200 for the rest: 19,800 clients a process.
    assert.equal(mostMatchesThatFit(20_000, 2, 1), 9_900);
    assert.equal(mostMatchesThatFit(20_000, 2, 2), 19_800);
    assert.equal(mostMatchesThatFit(20_000, 1, 2), 9_900);
    assert.equal(mostMatchesThatFit(20_000, 2, null), 19_800);
  });

  it('says why 10,000 matches do not fit one server process at 20,000 files, and nothing when they fit', () => {
    assert.match(openFilesProblem(10_000, 2, 1, 20_000) ?? '', /20000 client sockets .* at most 9900 matches fit/);
    assert.equal(openFilesProblem(9_900, 2, 1, 20_000), null);
    assert.equal(openFilesProblem(10_000, 2, 2, 20_000), null);
    assert.equal(openFilesProblem(1_000_000, 1, 1, null), null);
  });
});
