import assert from 'node:assert/strict';
import type { ColyseusTestServer } from '@colyseus/testing';
import { bootServer, enter, sdkClient, TEST_PORT } from '../support/match-clients.js';

const baseUrl = `http://127.0.0.1:${TEST_PORT}`;

describe('invite links', function () {
  this.timeout(30_000);
  let server: ColyseusTestServer;

  before(async () => {
    server = await bootServer();
  });

  after(async () => {
    await server.shutdown();
  });

  it("answer a program with the room and code, send a browser to the web client's join view, and 404 once the match is gone", async () => {
    const host = await enter(sdkClient('inviting-host').create('match', { private: true, clock: false }));
    const invite = host.received.find((entry) => entry.type === 'seat')!.message.invite as { code: string; link: string };

    const asJson = await fetch(`${baseUrl}${invite.link}`, { headers: { accept: 'application/json' } });
    assert.equal(asJson.status, 200);
    assert.deepEqual(await asJson.json(), { room: 'match', roomId: host.roomId, invite: invite.code });

    const asPage = await fetch(`${baseUrl}${invite.link}`, { headers: { accept: 'text/html' }, redirect: 'manual' });
    assert.equal(asPage.status, 303);
    assert.equal(asPage.headers.get('location'), `/#/play/${host.roomId}?invite=${invite.code}`);

    await host.leave();
    await server.cleanup();
    const gone = await fetch(`${baseUrl}${invite.link}`, { headers: { accept: 'application/json' } });
    assert.equal(gone.status, 404);
    assert.equal(((await gone.json()) as { code: string }).code, 'NO_SUCH_ROOM');
  });

  it('refuses a link that cannot name a room', async () => {
    const hostile = await fetch(`${baseUrl}/match/${encodeURIComponent('<script>alert(1)</script>')}?invite=x`);
    assert.equal(hostile.status, 400);
    assert.equal(((await hostile.json()) as { code: string }).code, 'VALIDATION_ERROR');
  });
});
