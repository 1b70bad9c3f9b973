import assert from 'node:assert/strict';
import type { ColyseusTestServer } from '@colyseus/testing';
import { clientWithToken, newCredentials, postJson, signUpGuest, type Session } from '../support/accounts.js';
import { bootServer, enter, leaveAll, TEST_PORT, type MatchClient } from '../support/match-clients.js';

const baseUrl = `http://127.0.0.1:${TEST_PORT}`;

async function me(token: string): Promise<{ status: number; code: string | undefined }> {
  const response = await fetch(`${baseUrl}/auth/me`, { headers: { authorization: `Bearer ${token}` } });
  const body = (await response.json()) as { code?: string };
  return { status: response.status, code: body.code };
}

async function convert(guest: Session): Promise<Session> {
  const response = await fetch(`${baseUrl}/auth/convert`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${guest.token}` },
    body: JSON.stringify(newCredentials('Converted')),
  });
  assert.equal(response.status, 200, await response.clone().text());
  return (await response.json()) as Session;
}

async function refresh(refreshToken: string): Promise<{ status: number; body: { code?: string; token?: string } }> {
  const response = await postJson('/auth/refresh', { refreshToken });
  return { status: response.status, body: (await response.json()) as { code?: string; token?: string } };
}

describe('a guest converted to a full account', function () {
  this.timeout(30_000);
  let server: ColyseusTestServer;
  const open: MatchClient[] = [];
  before(async () => {
    server = await bootServer();
  });
  after(async () => {
    await leaveAll(open);
    await server.shutdown();
  });

  it('ends every session the guest had: its access and refresh tokens are refused, the new session works', async () => {
    const guest = await signUpGuest();
    const secondDevice = await refresh(guest.refreshToken);
    assert.equal(secondDevice.status, 200);
    const converted = await convert(guest);

    for (const token of [guest.token, secondDevice.body.token!]) {
      assert.deepEqual(await me(token), { status: 401, code: 'TOKEN_REVOKED' });
    }
    const oldRefresh = await refresh(guest.refreshToken);
    assert.equal(oldRefresh.status, 401);
    assert.equal(oldRefresh.body.code, 'TOKEN_REVOKED');

    assert.equal((await me(converted.token)).status, 200);
    const renewed = await refresh(converted.refreshToken);
    assert.equal(renewed.status, 200);
    assert.equal((await me(renewed.body.token!)).status, 200);
  });

  it('refuses a room join with the access token the guest had before converting', async () => {
    const guest = await signUpGuest();
    const converted = await convert(guest);
    await assert.rejects(clientWithToken(guest.token).create('match', { clock: false }), (error: { code: number; message: string }) => {
      assert.equal(error.code, 401);
      assert.match(error.message, /^TOKEN_REVOKED: /);
      return true;
    });
    open.push(await enter(clientWithToken(converted.token).create('match', { clock: false })));
  });
});
