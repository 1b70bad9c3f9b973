import assert from 'node:assert/strict';
import type { ColyseusTestServer } from '@colyseus/testing';
import { User } from '../../src/db/entities.js';
import { registerAccount } from '../support/accounts.js';
import { sharedTestServices } from '../support/database.js';
import { bootServer, enter, expectError, playOneStep, sdkClient, TEST_PORT, waitUntil } from '../support/match-clients.js';

const baseUrl = `http://127.0.0.1:${TEST_PORT}`;
const ADMIN_PASSWORD = 'correct horse battery staple';

function basic(password: string): string {
  return `Basic ${Buffer.from(`admin:${password}`).toString('base64')}`;
}

async function monitorApi(authorization?: string): Promise<{ status: number; body: any }> {
  const response = await fetch(`${baseUrl}/monitor/api`, { headers: authorization ? { authorization } : {} });
  return { status: response.status, body: await response.json() };
}

/** The value of a metric line (`name{labels} value`), 0 when absent. */
function metricValue(text: string, line: string): number {
  const found = text.split('\n').find((candidate) => candidate.startsWith(`${line} `));
  return found ? Number(found.slice(line.length + 1)) : 0;
}

async function metricsText(): Promise<string> {
  const response = await fetch(`${baseUrl}/metrics`, { headers: { authorization: basic(ADMIN_PASSWORD) } });
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type') ?? '', /^text\/plain/);
  return response.text();
}

describe('the monitor and the metrics, for administrators only', function () {
  this.timeout(60_000);
  let server: ColyseusTestServer;

  before(async () => {
    server = await bootServer(undefined, { ADMIN_PASSWORD });
  });

  after(async () => {
    await server.shutdown();
  });

  it('refuses anonymous visitors, wrong passwords and ordinary accounts', async () => {
    const anonymous = await monitorApi();
    assert.equal(anonymous.status, 401);
    assert.equal(anonymous.body.code, 'NOT_AUTHENTICATED');
    assert.equal((await monitorApi(basic('not the password'))).status, 401);
    const player = await registerAccount('ordinary');
    const ordinary = await monitorApi(`Bearer ${player.token}`);
    assert.equal(ordinary.status, 403);
    assert.equal(ordinary.body.code, 'NOT_AN_ADMINISTRATOR');
    assert.equal((await monitorApi('Bearer forged.token.value')).status, 401);
    assert.equal((await fetch(`${baseUrl}/monitor/`)).status, 401, 'the monitor page itself is closed too');
    assert.equal((await fetch(`${baseUrl}/metrics`)).status, 401);
    assert.equal((await fetch(`${baseUrl}/metrics`, { headers: { authorization: `Bearer ${player.token}` } })).status, 403);
  });

  it('lists the live rooms to the administrator password and to an administrator account', async () => {
    const room = await enter(sdkClient('watched-host').create('match', { clock: false }));
    try {
      const byPassword = await monitorApi(basic(ADMIN_PASSWORD));
      assert.equal(byPassword.status, 200);
      assert.ok(byPassword.body.rooms.some((listed: { roomId: string }) => listed.roomId === room.roomId));
      const chief = await registerAccount('chief');
      const em = (await sharedTestServices()).database.em();
      await em.nativeUpdate(User, { id: chief.user.id }, { admin: true });
      const byAccount = await monitorApi(`Bearer ${chief.token}`);
      assert.equal(byAccount.status, 200);
      assert.ok(byAccount.body.rooms.some((listed: { roomId: string }) => listed.roomId === room.roomId));
    } finally {
      await room.leave();
    }
  });

  it('has the metrics count games finished, refused messages, handled messages and events written as a match is played', async () => {
    const before = await metricsText();
    const white = await enter(sdkClient('metered-white').create('match', { matchLength: 1, cube: false, clock: false }));
    const black = await enter(sdkClient('metered-black').joinById(white.roomId));
    try {
      await waitUntil(white, () => ['rolling', 'moving'].includes(white.state.phase), 'the match to start');
      await expectError(white, 'teleport');
      while (white.state.phase !== 'over') await playOneStep([white, black]);
      await (await sharedTestServices()).journal.flushed();
      const after = await metricsText();
      assert.equal(metricValue(after, 'tavla_games_finished_total') - metricValue(before, 'tavla_games_finished_total'), 1);
      assert.equal(metricValue(after, 'tavla_messages_refused_total{code="UNKNOWN_MESSAGE"}') - metricValue(before, 'tavla_messages_refused_total{code="UNKNOWN_MESSAGE"}'), 1);
      assert.ok(metricValue(after, 'tavla_action_handling_seconds_count') > metricValue(before, 'tavla_action_handling_seconds_count') + 4);
      assert.ok(metricValue(after, 'tavla_journal_events_written_total') > metricValue(before, 'tavla_journal_events_written_total'));
      assert.ok(metricValue(after, 'tavla_rooms') >= 1);
      assert.ok(metricValue(after, 'tavla_matches{status="over"}') >= 1);
      assert.match(after, /^nodejs_eventloop_lag_p99_seconds /m);
      assert.match(after, /^nodejs_heap_size_used_bytes /m);
      assert.match(after, /^tavla_journal_backlog /m);
    } finally {
      await Promise.all([white.leave(), black.leave()]);
    }
  });
});
