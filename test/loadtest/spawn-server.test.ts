import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { requireService } from '../support/services.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TSX = fileURLToPath(new URL('../../node_modules/.bin/tsx', import.meta.url));
/** A Redis database index no other test uses (the load test empties it before and after). */
const REDIS_URL = 'redis://127.0.0.1:6379/12';

interface Run {
  readonly code: number;
  readonly output: string;
}

/** The load test as a user runs it, on a few matches for a few seconds: the servers it starts run in production mode. */
function loadtest(args: readonly string[]): Promise<Run> {
  const tiny = ['--spawn-server', '--matches', '4', '--ramp', '4', '--warmup', '1', '--duration', '3', '--idle', '1', '--redis-url', REDIS_URL];
  return new Promise((resolve) => {
    execFile(TSX, ['loadtest/index.ts', ...tiny, ...args], { cwd: ROOT, timeout: 150_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, output: `${stdout}${stderr}` });
    });
  });
}

function assertHeld(run: Run, room: 'match' | 'baseline', processes: number): void {
  assert.equal(run.code, 0, run.output.slice(-3000));
  const summary = run.output.split('\n').find((line) => line.startsWith(`SUMMARY OK room=${room} processes=${processes} `));
  assert.ok(summary, `no successful ${room} summary with ${processes} process(es) in:\n${run.output.slice(-3000)}`);
  assert.match(summary, / errors=0 /);
  assert.match(summary, / cpu_per_action=\d+us /);
}

/** The servers' CPU per action split by thread, the database's own thread named (Linux). */
function assertThreadSplit(run: Run, databaseThread: string): void {
  if (process.platform !== 'linux') return;
  const line = run.output.split('\n').find((text) => text.trimStart().startsWith('by thread'));
  assert.ok(line, `no CPU split by thread in:\n${run.output.slice(-3000)}`);
  assert.match(line, /\bmain \d+ µs/);
  assert.match(line, new RegExp(`\\b${databaseThread} \\d+ µs`));
}

describe('the load test with the servers it starts', function () {
  this.timeout(180_000);

  it('runs the match room and the baseline room on one production-mode process on the embedded database', async () => {
    const run = await loadtest(['--room', 'both']);
    assertHeld(run, 'match', 1);
    assertHeld(run, 'baseline', 1);
    assertThreadSplit(run, 'tavla-database');
  });

  it('runs the match room on two processes behind Redis on a PostgreSQL database of its own', async function () {
    await requireService(this, 'postgres');
    await requireService(this, 'redis');
    const run = await loadtest(['--processes', '2']);
    assertHeld(run, 'match', 2);
    assertThreadSplit(run, 'tavla-journal');
  });
});
