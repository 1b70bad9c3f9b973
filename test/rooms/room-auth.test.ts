import assert from 'node:assert/strict';
import { JWT } from '@colyseus/auth';
import {
  enter,
  expectError,
  sdkClient,
  useTestServer,
  waitUntil,
  type MatchClient,
} from '../support/match-clients.js';
import { User } from '../../src/db/entities.js';
import { clientWithToken, postJson, signUpGuest } from '../support/accounts.js';
import { sharedTestServices } from '../support/database.js';

describe('rooms and access tokens', function () {
  this.timeout(30_000);
  const table = useTestServer();

  async function refusal(token: string | undefined, room: 'match' | 'quickmatch'): Promise<{ code: number; message: string }> {
    const client = clientWithToken(token);
    const attempt = room === 'match' ? client.create('match', { clock: false }) : client.joinOrCreate('quickmatch', {});
    const error = await attempt.then(
      () => assert.fail('the join was accepted'),
      (error: { code: number; message: string }) => error,
    );
    return { code: error.code, message: error.message };
  }

  it('refuses a join without a token, or with a forged, expired or revoked one, saying which', async () => {
    const session = await signUpGuest();
    const claims = await JWT.verify<Record<string, unknown>>(session.token);
    const [header, , signature] = session.token.split('.');
    const forged = `${header}.${Buffer.from(JSON.stringify({ ...claims, name: 'someone else' })).toString('base64url')}.${signature}`;
    const now = Math.floor(Date.now() / 1000);
    const expired = await JWT.sign({ ...claims, iat: now - 3600, exp: now - 60 });
    const revoked = await signUpGuest();
    await postJson('/auth/logout', { refreshToken: revoked.refreshToken });
    const cases: [string | undefined, string][] = [
      [undefined, 'TOKEN_MISSING'],
      [forged, 'TOKEN_INVALID'],
      [expired, 'TOKEN_EXPIRED'],
      [revoked.token, 'TOKEN_REVOKED'],
    ];
    for (const room of ['match', 'quickmatch'] as const) {
      for (const [token, code] of cases) {
        const error = await refusal(token, room);
        assert.equal(error.code, 401, `${room} ${code}`);
        assert.match(error.message, new RegExp(`^${code}: `), `${room} ${code}`);
      }
    }
  });

  it('seats a player under the name of their account, whatever the join options say', async () => {
    const session = await signUpGuest();
    const host = await enter(clientWithToken(session.token).create('match', { clock: false }));
    table.open.push(host);
    await waitUntil(host, () => host.state.players[0]?.name === session.user.name, 'the seat to show the account name');
    await assert.rejects(clientWithToken(session.token).create('match', { clock: false, name: 'Admin' }), /Unrecognized key: "name"/);
  });

  it('seats a player at the account’s rating now, not the one in a token signed before a rated match', async () => {
    const session = await signUpGuest();
    const { database } = await sharedTestServices();
    await database.em().nativeUpdate(User, { id: session.user.id }, { rating: 1612.5 });
    const host = await enter(clientWithToken(session.token).create('match', { clock: false }));
    table.open.push(host);
    await waitUntil(host, () => host.state.players[0]?.rating === 1612.5, 'the seat to show the current rating');
  });

  it('lets nobody act in another account’s seat: a third account only watches', async () => {
    const [white] = await table.seatTwo();
    const intruder = await enter(sdkClient().joinById(white.roomId));
    table.open.push(intruder);
    assert.equal(intruder.seat, null);
    for (const type of ['roll', 'confirm', 'double', 'resign']) {
      assert.equal((await expectError(intruder, type, type === 'resign' ? { kind: 'single' } : undefined)).code, 'SPECTATOR');
    }
  });

  it('gives the seat to the same account joining from another device; the old connection watches', async () => {
    const [white, black] = await table.seatTwo();
    const phone = await enter(sdkClient('bob').joinById(white.roomId));
    table.open.push(phone);
    assert.equal(phone.seat, 1);
    await waitUntil(black, () => black.seat === null, 'the old connection to lose the seat');
    const told = black.received.filter((entry) => entry.type === 'seat').at(-1)!.message;
    assert.match(told.reason, /another connection of your account/);
    assert.equal((await expectError(black as MatchClient, 'roll')).code, 'SPECTATOR');
    assert.ok(white.state.players[1]!.connected);
  });
});
