import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { RunQueueWait } from '../../loadtest/stats.js';

describe('load test: the run-queue wait of a process main thread', () => {
  it('is a share of the time passed where the system tells it, NaN for a process that is not there', function () {
    if (!existsSync('/proc/self/schedstat')) this.skip();
    const wait = new RunQueueWait('self');
    const until = performance.now() + 20;
    while (performance.now() < until);
    const percent = wait.percentSinceLast();
    assert.ok(Number.isFinite(percent) && percent >= 0 && percent <= 100, `got ${percent}`);
    assert.ok(Number.isNaN(new RunQueueWait(2 ** 30).percentSinceLast()));
  });
});
