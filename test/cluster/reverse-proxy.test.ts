import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Room } from '@colyseus/sdk';
import { enter, playOneStep, waitUntil } from '../support/match-clients.js';
import { clientAt, guestAt, TestCluster, type Endpoint } from '../support/server-processes.js';
import { requireService } from '../support/services.js';

const FIRST_PORT = Number(process.env.TAVLA_TEST_PORT ?? 2568) + 110;
const PROXY_PORT = FIRST_PORT + 9;
const EXAMPLE = new URL('../../docs/nginx/tavla.conf', import.meta.url);

/** The documented nginx example, listening on PROXY_PORT in front of the processes on `ports` instead of 2567 and 2568. */
function exampleFor(ports: readonly [number, number]): string {
  const example = readFileSync(EXAMPLE, 'utf8');
  assert.ok(example.includes('listen 80;') && example.includes('127.0.0.1:2568'), 'the example has changed shape');
  return example.replaceAll('listen 80;', `listen 127.0.0.1:${PROXY_PORT};`).replaceAll('2567', String(ports[0])).replaceAll('2568', String(ports[1]));
}

function startNginx(ports: readonly [number, number]): ChildProcess {
  const prefix = mkdtempSync(join(tmpdir(), 'tavla-nginx-'));
  writeFileSync(join(prefix, 'tavla.conf'), exampleFor(ports));
  writeFileSync(
    join(prefix, 'nginx.conf'),
    `error_log ${prefix}/error.log;\npid ${prefix}/nginx.pid;\nevents {}\nhttp {\n  access_log off;\n  client_body_temp_path ${prefix};\n  proxy_temp_path ${prefix};\n  include ${prefix}/tavla.conf;\n}\n`,
  );
  return spawn('/usr/sbin/nginx', ['-p', prefix, '-c', join(prefix, 'nginx.conf'), '-g', 'daemon off;'], { stdio: 'inherit' });
}

async function answers(url: string): Promise<boolean> {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(1_000) })).ok;
  } catch {
    return false;
  }
}

describe('several processes behind the documented nginx reverse proxy', function () {
  this.timeout(180_000);
  let cluster: TestCluster;
  let nginx: ChildProcess | null = null;
  const open: Room[] = [];
  const proxy: Endpoint = { httpUrl: `http://127.0.0.1:${PROXY_PORT}`, wsUrl: `ws://127.0.0.1:${PROXY_PORT}` };

  before(async function () {
    await requireService(this, 'nginx');
    const env = { PUBLIC_ADDRESS: `127.0.0.1:${PROXY_PORT}/{port}`, TRUSTED_PROXIES: '127.0.0.1' };
    cluster = await TestCluster.start(this, 'proxied', 10, [FIRST_PORT, FIRST_PORT + 1], env);
    nginx = startNginx([FIRST_PORT, FIRST_PORT + 1]);
    const started = Date.now();
    while (!(await answers(`${proxy.httpUrl}/health`))) {
      assert.ok(Date.now() - started < 10_000, 'nginx did not start');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });

  after(async () => {
    await Promise.all(open.map((room) => room.leave().catch(() => undefined)));
    nginx?.kill('SIGTERM');
    await cluster?.stop();
  });

  it('lets two clients who know only the public address play a whole match', async () => {
    const white = await enter(clientAt(proxy, await guestAt(proxy)).create('match', { matchLength: 1, cube: false, clock: false }));
    open.push(white);
    const black = await enter(clientAt(proxy, await guestAt(proxy)).joinById(white.roomId));
    open.push(black);
    const players = [white, black];
    await waitUntil(white, () => ['rolling', 'moving'].includes(white.state.phase), 'the match to start', 10_000);
    while (white.state.phase !== 'over') await playOneStep(players);
    assert.ok(white.state.winner === 0 || white.state.winner === 1);
  });

  it('refuses to forward to a port that is not one of the processes', async () => {
    const response = await fetch(`${proxy.httpUrl}/22/anything`);
    assert.equal(response.status, 404);
  });
});
