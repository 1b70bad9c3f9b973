import assert from 'node:assert/strict';
import type { ColyseusTestServer } from '@colyseus/testing';
import { parseConfig } from '../../src/config.js';
import { tapLog } from '../../src/log.js';
import { bootServer, enter, leaveAll, sdkClient, TEST_PORT, waitUntil, type MatchClient } from '../support/match-clients.js';
import { ServerProcess } from '../support/server-processes.js';

interface LogEntry {
  level: number;
  msg: string;
  roomId?: string;
  matchId?: string;
  userIds?: (string | null)[];
}

describe('the server log', function () {
  this.timeout(30_000);
  let server: ColyseusTestServer;
  const lines: LogEntry[] = [];
  const open: MatchClient[] = [];

  before(async () => {
    server = await bootServer(undefined, { LOG_LEVEL: 'info' });
    tapLog((line) => lines.push(JSON.parse(line) as LogEntry));
  });

  after(async () => {
    tapLog(null);
    await leaveAll(open);
    await server.shutdown();
  });

  it('is JSON in production and test, readable in development, unless LOG_FORMAT says', () => {
    assert.equal(parseConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32), DICE_KEY: 'd'.repeat(64) }).logFormat, 'json');
    assert.equal(parseConfig({ NODE_ENV: 'test' }).logFormat, 'json');
    assert.equal(parseConfig({}).logFormat, 'pretty');
    assert.equal(parseConfig({ LOG_FORMAT: 'json' }).logFormat, 'json');
    assert.throws(() => parseConfig({ LOG_LEVEL: 'loud' }), /LOG_LEVEL: must be one of/);
  });

  it('names the match, its room and its players on every line about a match', async () => {
    const white = await enter(sdkClient('logged-white').create('match', { clock: false }));
    const black = await enter(sdkClient('logged-black').joinById(white.roomId));
    open.push(white, black);
    await waitUntil(white, () => ['rolling', 'moving'].includes(white.state.phase), 'the match to start');
    const started = lines.find((entry) => entry.msg === 'match started' && entry.roomId === white.roomId);
    assert.ok(started, 'a line says the match started');
    assert.equal(started.matchId, (white.state as unknown as { matchId: string }).matchId);
    assert.equal(started.userIds?.filter(Boolean).length, 2);
  });

  it('prints nothing but JSON lines from the start, the settings files it looks for included', async () => {
    const server = await ServerProcess.start(TEST_PORT + 130, { NODE_ENV: 'test', LOG_LEVEL: 'info', DATA_DIR: 'memory://' });
    try {
      const printed = server.log.split('\n').filter((line) => line.trim() !== '');
      assert.ok(printed.length >= 2, `the server logged its start: ${server.log}`);
      for (const line of printed) assert.doesNotThrow(() => JSON.parse(line), `not a JSON line: ${line}`);
    } finally {
      await server.stop();
    }
  });
});
