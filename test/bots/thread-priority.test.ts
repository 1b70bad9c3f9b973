import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { AnalysisPool } from '../../src/bots/analysis/index.js';
import type { CubeSituation } from '../../src/bots/cube-decisions.js';
import { BACKGROUND_NICE } from '../../src/bots/thread-priority.js';
import { startPosition } from '../../src/engine/index.js';

const MONEY: CubeSituation = { matchLength: 0, away: 0, opponentAway: 0, postCrawford: false, cubeDead: false, value: 1, owner: 'centred', jacoby: false };

/** The nice value of each thread of this process, by thread id (field 19 of /proc/self/task/<tid>/stat). */
function threadNiceValues(): Map<number, number> {
  const values = new Map<number, number>();
  for (const thread of readdirSync('/proc/self/task')) {
    const stat = readFileSync(`/proc/self/task/${thread}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    values.set(Number(thread), Number(fields[16]));
  }
  return values;
}

describe('analysis threads', function () {
  this.timeout(60_000);

  it('analyse at the weakest CPU priority, named tavla-analysis, leaving the rooms\' thread as it was', async function () {
    if (!existsSync('/proc/thread-self')) this.skip();
    const before = threadNiceValues();
    const pool = new AnalysisPool(1);
    try {
      await pool.analysePosition(startPosition(), MONEY, [3, 1], 0);
      const niced = [...threadNiceValues()].filter(([thread, nice]) => !before.has(thread) && nice === BACKGROUND_NICE);
      assert.equal(niced.length, 1, 'one new thread, the analysis thread, at nice 19');
      assert.equal(readFileSync(`/proc/self/task/${niced[0]![0]}/comm`, 'utf8').trim(), 'tavla-analysis');
      assert.equal(threadNiceValues().get(process.pid), before.get(process.pid), 'the main thread keeps its priority');
    } finally {
      await pool.close();
    }
  });
});
