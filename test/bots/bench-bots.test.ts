import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SavedRunMismatch } from '../../bench/bots-save.js';
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
    await inTemporaryDirectory(async (directory) => {
      const untrained = join(directory, 'net.json');
      writeWeightsFile(untrained, Trainer.fresh({ ...DEFAULT_SETTINGS, hidden: 4, seed: 5 }).checkpoint('test'));
      const run: BenchRun = { players: ['net0', 'pubeval'], games: 40, seed: 3, threads: 1, progressEveryMs: 0 };
      const committed = await playBench(run);
      const other = await playBench({ ...run, weights: untrained });
      assert.ok(other.result.ppg < committed.result.ppg, `untrained ${other.result.ppg} against committed ${committed.result.ppg}`);
    });
  });

  it('goes on from a save file where a stopped run left off, with the same figures as one run', async () => {
    await inTemporaryDirectory(async (directory) => {
      const save = join(directory, 'run.json');
      const run: BenchRun = { players: ['beginner', 'pubeval'], games: 20, seed: 4, threads: 2, progressEveryMs: 0, save };
      const whole = await playBench(run);
      const saved = JSON.parse(readFileSync(save, 'utf8')) as { played: [number, number, number][]; timing: { decisions: number }[] };
      assert.equal(saved.played.length, 10);
      // As if stopped after the even pairs: their results and none of the timing kept.
      saved.played = saved.played.filter(([pair]) => pair % 2 === 0);
      saved.timing = saved.timing.map((timing) => ({ ...timing, decisions: 0, wallMs: 0, cpuMs: 0 }));
      writeFileSync(save, JSON.stringify(saved));

      const resumed = await playBench(run);
      assert.deepEqual(resumed.result, whole.result);
      assert.equal(resumed.resumedGames, 10);
      const decisions = resumed.timing[0].decisions;
      assert.ok(decisions > 0 && decisions < whole.timing[0].decisions, `${decisions} decisions: only the missing pairs were played`);
      assert.equal((JSON.parse(readFileSync(save, 'utf8')) as { played: unknown[] }).played.length, 10);
    });
  });

  it('refuses a save file of another run and leaves it as it was', async () => {
    await inTemporaryDirectory(async (directory) => {
      const save = join(directory, 'run.json');
      const run: BenchRun = { players: ['beginner', 'pubeval'], games: 4, seed: 4, threads: 1, progressEveryMs: 0, save };
      await playBench(run);
      const before = readFileSync(save, 'utf8');
      await assert.rejects(playBench({ ...run, seed: 5 }), (error: Error) => error instanceof SavedRunMismatch && /seed 4/.test(error.message));
      await assert.rejects(playBench({ ...run, players: ['intermediate', 'pubeval'] }), SavedRunMismatch);
      assert.equal(readFileSync(save, 'utf8'), before);
      writeFileSync(save, '{"format": "something else"}');
      await assert.rejects(playBench(run), (error: Error) => error instanceof SavedRunMismatch && /not a saved bench:bots run/.test(error.message));
    });
  });
});

/** Runs `work` with a fresh temporary directory, removed afterwards. */
async function inTemporaryDirectory(work: (directory: string) => Promise<void>): Promise<void> {
  const directory = mkdtempSync(join(tmpdir(), 'tavla-bench-'));
  try {
    await work(directory);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}
