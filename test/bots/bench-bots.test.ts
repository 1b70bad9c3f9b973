import assert from 'node:assert/strict';
import { playBench, type BenchRun } from '../../bench/bots-share.js';

describe('bench:bots', function () {
  this.timeout(120_000);

  it('gives the same games whatever the number of threads (dice and noise come from the seed and the pair)', async () => {
    const run: BenchRun = { players: ['beginner', 'pubeval'], games: 12, seed: 3, threads: 1, progressEveryMs: 0 };
    const alone = await playBench(run);
    const threaded = await playBench({ ...run, threads: 2 });
    assert.deepEqual(threaded.result, alone.result);
    assert.equal(threaded.timing[0].decisions, alone.timing[0].decisions);
    assert.equal(threaded.timing[1].decisions, alone.timing[1].decisions);
    assert.equal(alone.result.games, 12);
  });
});
