import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { getPriority } from 'node:os';
import { AnalysisPool } from '../../src/bots/analysis/index.js';
import type { CubeSituation } from '../../src/bots/cube-decisions.js';
import { BACKGROUND_NICE, HELPER_NICE_STEPS, HELPER_THREAD_NAME } from '../../src/thread-priority.js';
import { startPosition } from '../../src/engine/index.js';
import { threads, type ThreadInfo } from '../support/threads.js';

const MONEY: CubeSituation = { matchLength: 0, away: 0, opponentAway: 0, postCrawford: false, cubeDead: false, value: 1, owner: 'centred', jacoby: false };

/** A fresh Node process that lowers its helper threads, then starts a worker thread, and reports its threads. */
function helperThreadsInFreshProcess(): { lowered: number; main: number; threads: ThreadInfo[] } {
  const script = `
    import { Worker } from 'node:worker_threads';
    const { yieldHelperThreads } = await import('./src/thread-priority.ts');
    const { threads } = await import('./test/support/threads.ts');
    const lowered = yieldHelperThreads();
    const worker = new Worker('setInterval(() => {}, 1000)', { eval: true });
    await new Promise((resolve) => worker.once('online', resolve));
    console.log(JSON.stringify({ lowered, main: process.pid, threads: threads() }));
    await worker.terminate();
  `;
  return JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' }));
}

describe('thread priorities', function () {
  this.timeout(60_000);

  before(function () {
    if (!existsSync('/proc/thread-self')) this.skip();
  });

  it('analysis threads analyse at the weakest CPU priority, named tavla-analysis, leaving the rooms\' thread as it was', async function () {
    const before = new Map(threads().map((thread) => [thread.id, thread.nice]));
    const pool = new AnalysisPool(1);
    try {
      await pool.analysePosition(startPosition(), MONEY, [3, 1], 0);
      const niced = threads().filter((thread) => !before.has(thread.id) && thread.nice === BACKGROUND_NICE);
      assert.equal(niced.length, 1, 'one new thread, the analysis thread, at nice 19');
      assert.equal(niced[0]!.name, 'tavla-analysis');
      assert.equal(threads().find((thread) => thread.id === process.pid)!.nice, before.get(process.pid), 'the main thread keeps its priority');
    } finally {
      await pool.close();
    }
  });

  it('V8\'s helper threads run below the main thread and the worker threads started after', function () {
    const { lowered, main, threads: after } = helperThreadsInFreshProcess();
    const helpers = after.filter((thread) => thread.name === HELPER_THREAD_NAME);
    assert.ok(lowered >= 2, `V8 has several helper threads (lowered ${lowered})`);
    assert.equal(helpers.length, lowered);
    const mainNice = getPriority(process.pid);
    assert.ok(helpers.every((thread) => thread.nice === Math.min(BACKGROUND_NICE, mainNice + HELPER_NICE_STEPS)), JSON.stringify(helpers));
    const others = after.filter((thread) => thread.name !== HELPER_THREAD_NAME);
    assert.deepEqual(others.find((thread) => thread.id === main), { id: main, name: 'node', nice: mainNice }, 'the main thread keeps its name and priority');
    assert.ok(others.every((thread) => thread.nice === mainNice), `every other thread, the worker among them, keeps its priority: ${JSON.stringify(others)}`);
    assert.ok(others.length >= 3, `the main thread, the worker and libuv's or V8's own: ${JSON.stringify(others)}`);
  });
});
