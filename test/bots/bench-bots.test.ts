import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { playBench, type BenchRun } from '../../bench/bots-share.js';
import { DEFAULT_SETTINGS, Trainer } from '../../src/bots/training/trainer.js';
import { writeWeightsFile } from '../../src/bots/weights-file.js';

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

  it('plays the nets of another weights file when given one', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'tavla-bench-'));
    try {
      const untrained = join(directory, 'net.json');
      writeWeightsFile(untrained, Trainer.fresh({ ...DEFAULT_SETTINGS, hidden: 4, seed: 5 }).checkpoint('test'));
      const run: BenchRun = { players: ['net0', 'pubeval'], games: 40, seed: 3, threads: 1, progressEveryMs: 0 };
      const committed = await playBench(run);
      const other = await playBench({ ...run, weights: untrained });
      assert.ok(other.result.ppg < committed.result.ppg, `untrained ${other.result.ppg} against committed ${committed.result.ppg}`);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
