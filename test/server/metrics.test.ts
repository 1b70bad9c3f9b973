import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import { open } from 'node:fs/promises';
import { LISTING_METRICS, Metrics } from '../../src/metrics.js';

/** A metric's value in Prometheus's text format, or undefined when the line is missing. */
function valueOf(text: string, series: string): number | undefined {
  const line = text.split('\n').find((entry) => entry.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

/**
 * Calls of process._getActiveHandles within `ms` in a fresh process with an IPC channel to its
 * parent (as under PM2), once @pm2/io is set up as the server sets it up (`trim`) or with its defaults.
 */
function handleListingsInChild(trim: boolean, ms: number): Promise<number> {
  const script = `
    let listings = 0;
    const list = process._getActiveHandles.bind(process);
    process._getActiveHandles = () => (listings++, list());
    if (${trim}) (await import('./src/pm2-metrics.ts')).trimPm2Metrics();
    else (await import('@pm2/io')).default.init({ profiling: false });
    setTimeout(() => process.send({ listings }, () => process.exit(0)), ${ms});
  `;
  const child = fork('-e', [script], { execArgv: ['--import', 'tsx', '--input-type=module'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    // @pm2/io sends its own messages to the parent too.
    child.on('message', (message: { listings?: number }) => {
      if (typeof message.listings === 'number') resolve(message.listings);
    });
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the child exited with ${code} before reporting`)));
  });
}

describe('metrics that cost the same whatever the load', function () {
  this.timeout(30_000);

  it("serves Node's figures but those that list every handle or resource on the event loop at each scrape", async () => {
    const text = await new Metrics(() => 0).registry.metrics();
    for (const series of ['process_cpu_user_seconds_total', 'nodejs_eventloop_lag_p99_seconds', 'nodejs_heap_size_used_bytes', 'process_max_fds']) {
      assert.notEqual(valueOf(text, series), undefined, series);
    }
    for (const name of LISTING_METRICS) assert.doesNotMatch(text, new RegExp(`^${name}[ {]`, 'm'), name);
  });

  it('counts the open files off the event loop, as many as the process holds', async function () {
    if (process.platform !== 'linux') this.skip();
    const metrics = new Metrics(() => 0);
    // Another file of the process (a socket of an earlier test closing) may come or go between the
    // two scrapes: the count must be exact in one of a few tries.
    for (let tries = 3; ; tries--) {
      const before = valueOf(await metrics.registry.metrics(), 'process_open_fds')!;
      const opened = await Promise.all(Array.from({ length: 50 }, () => open('/dev/null')));
      try {
        const after = valueOf(await metrics.registry.metrics(), 'process_open_fds')!;
        if (after === before + 50) return;
        if (tries === 1) assert.equal(after, before + 50);
      } finally {
        await Promise.all(opened.map((file) => file.close()));
      }
    }
  });

  it("counts this process's match rooms by status from the rooms' own reports", async () => {
    const metrics = new Metrics(() => 0);
    const [first, second, third] = [{}, {}, {}];
    metrics.matchRoomIs(first, 'waiting');
    metrics.matchRoomIs(second, 'waiting');
    metrics.matchRoomIs(third, 'playing');
    metrics.matchRoomIs(second, 'playing');
    metrics.matchRoomIs(first, 'over');
    metrics.matchRoomGone(third);
    const text = await metrics.registry.metrics();
    assert.equal(valueOf(text, 'tavla_matches{status="waiting"}'), 0);
    assert.equal(valueOf(text, 'tavla_matches{status="playing"}'), 1);
    assert.equal(valueOf(text, 'tavla_matches{status="over"}'), 1);
  });

  it("stops @pm2/io listing every handle of the process every 3 s when a parent's IPC channel is open", async () => {
    const [trimmed, untrimmed] = await Promise.all([handleListingsInChild(true, 3500), handleListingsInChild(false, 3500)]);
    assert.ok(untrimmed >= 1, `@pm2/io's own defaults list the handles (${untrimmed} times)`);
    assert.equal(trimmed, 0);
  });
});
