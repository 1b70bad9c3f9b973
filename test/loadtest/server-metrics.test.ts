import assert from 'node:assert/strict';
import { bucketQuantile, JournalWatch, type JournalScrape } from '../../loadtest/server-metrics.js';

const bounds = [0.001, 0.01, 0.1, Infinity];

function scrape(counts: readonly number[], writeCounts: readonly number[] = [0, 0, 0, 0]): JournalScrape {
  return {
    backlog: 0,
    eventsWritten: 0,
    writeSecondsSum: 0,
    writeCount: 0,
    actionBuckets: bounds.map((le, i) => ({ le, count: counts[i]! })),
    writeBuckets: bounds.map((le, i) => ({ le, count: writeCounts[i]! })),
  };
}

describe('load test: the server figures read from /metrics', () => {
  it('finds the bucket bound under which a share of the interval lies, from cumulative buckets', () => {
    const before = scrape([10, 20, 20, 20]).actionBuckets;
    // 100 more: 90 under 1 ms, 9 under 10 ms, 1 under 100 ms.
    const after = scrape([100, 119, 120, 120]).actionBuckets;
    assert.equal(bucketQuantile(before, after, 0.5), 0.001);
    assert.equal(bucketQuantile(before, after, 0.99), 0.01);
    assert.equal(bucketQuantile(before, after, 1), 0.1);
    assert.ok(Number.isNaN(bucketQuantile(after, after, 0.99)));
  });

  it('gives the slowest process p99 in milliseconds, and Infinity beyond the last bound', () => {
    const watch = new JournalWatch();
    watch.next([scrape([0, 0, 0, 0]), scrape([0, 0, 0, 0])]);
    const figures = watch.next([scrape([100, 100, 100, 100]), scrape([0, 50, 100, 100])]);
    assert.equal(figures?.serverActionP99Ms, 100);
    const later = watch.next([scrape([100, 100, 100, 101]), scrape([0, 50, 100, 100])]);
    assert.equal(later?.serverActionP99Ms, Infinity);
  });

  it("gives the slowest process's p99 of the journal's batch writes, NaN in an interval without writes", () => {
    const watch = new JournalWatch();
    watch.next([scrape([0, 0, 0, 0]), scrape([0, 0, 0, 0])]);
    const figures = watch.next([scrape([0, 0, 0, 0], [100, 100, 100, 100]), scrape([0, 0, 0, 0], [10, 98, 100, 100])]);
    assert.equal(figures?.writeP99Ms, 100);
    const idle = watch.next([scrape([0, 0, 0, 0], [100, 100, 100, 100]), scrape([0, 0, 0, 0], [10, 98, 100, 100])]);
    assert.ok(Number.isNaN(idle?.writeP99Ms));
  });
});
