import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { JWT } from '@colyseus/auth';
import type { ColyseusTestServer } from '@colyseus/testing';
import { deleteStaleGuests } from '../../src/auth/accounts.js';
import { User } from '../../src/db/entities.js';
import { sharedTestServices } from '../support/database.js';
import { newCredentials, registerAccount as register, type Session } from '../support/accounts.js';
import { bootServer, TEST_PORT } from '../support/match-clients.js';

const baseUrl = `http://127.0.0.1:${TEST_PORT}`;

async function call(path: string, body?: unknown, token?: string, headers: Record<string, string> = {}): Promise<{ status: number; body: any; headers: Headers }> {
  const response = await fetch(`${baseUrl}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: await response.json(), headers: response.headers };
}

describe('accounts and tokens', () => {
  let server: ColyseusTestServer;
  before(async () => {
    server = await bootServer();
  });
  after(async () => {
    await server.shutdown();
  });

  it('creates a guest with a generated name and a 30-minute access token carrying its claims', async () => {
    const { status, body } = await call('/auth/guest', {});
    assert.equal(status, 200);
    assert.match(body.user.name, /^Guest-\d{6}$/);
    assert.equal(body.user.guest, true);
    assert.equal(body.user.rating, 1500);
    assert.equal(body.expiresIn, 1800);
    const claims = await JWT.verify<Record<string, unknown>>(body.token);
    assert.equal(claims.sub, body.user.id);
    assert.equal(claims.name, body.user.name);
    assert.equal(claims.guest, true);
    assert.equal(claims.rating, 1500);
    assert.equal((claims.exp as number) - (claims.iat as number), 1800);
  });

  it('registers, logs in with the password, and says who the token belongs to', async () => {
    const session = await register();
    assert.equal(session.user.guest, false);
    const login = await call('/auth/login', { email: session.credentials.email.toUpperCase(), password: session.credentials.password });
    assert.equal(login.status, 200);
    assert.equal(login.body.user.id, session.user.id);
    const me = await call('/auth/me', undefined, login.body.token);
    assert.deepEqual(me.body.user, session.user);
  });

  it('refuses bad registrations with a 4xx that says what is wrong', async () => {
    const taken = await register();
    const cases: [unknown, number, RegExp][] = [
      [{ ...newCredentials(), email: 'not-an-email' }, 400, /email/],
      [{ ...newCredentials(), password: 'short' }, 400, /password/],
      [{ ...newCredentials(), name: 'a' }, 400, /name/],
      [{ ...newCredentials(), name: "Robert'); DROP TABLE users;--" }, 400, /name/],
      [{ ...newCredentials(), admin: true }, 400, /admin|unrecognized/i],
      [{ ...newCredentials(), email: taken.credentials.email }, 409, /email/],
      [{ ...newCredentials(), name: taken.credentials.name.toLowerCase() }, 409, /taken/],
    ];
    for (const [body, status, message] of cases) {
      const reply = await call('/auth/register', body);
      assert.equal(reply.status, status, JSON.stringify(body));
      assert.match(JSON.stringify(reply.body), message);
    }
  });

  it('gives the same answer for a wrong password and an unknown email, and never a 500 for odd input', async () => {
    const session = await register();
    const wrong = await call('/auth/login', { email: session.credentials.email, password: 'not the password' });
    const unknown = await call('/auth/login', { email: `nobody-${randomUUID()}@example.org`, password: 'whatever it is' });
    const injected = await call('/auth/login', { email: "' or '1'='1' --", password: "' or '1'='1" });
    for (const reply of [wrong, unknown, injected]) {
      assert.equal(reply.status, 401);
      assert.deepEqual(reply.body, { error: 'wrong email or password', code: 'INVALID_CREDENTIALS' });
    }
  });

  it('limits failed log-ins per email: the sixth try waits, even with the right password', async () => {
    const session = await register();
    for (let attempt = 0; attempt < 5; attempt++) {
      assert.equal((await call('/auth/login', { email: session.credentials.email, password: 'wrong password' })).status, 401);
    }
    const limited = await call('/auth/login', { email: session.credentials.email, password: session.credentials.password });
    assert.equal(limited.status, 429);
    assert.equal(limited.body.code, 'TOO_MANY_ATTEMPTS');
    assert.ok(Number(limited.headers.get('retry-after')) > 0);
  });

  it('limits guesses sent at the same moment as much as guesses one after the other', async () => {
    const session = await register();
    const answers = await Promise.all(Array.from({ length: 12 }, () => call('/auth/login', { email: session.credentials.email, password: 'wrong password' })));
    assert.deepEqual(answers.map((answer) => answer.status).sort(), [...Array(5).fill(401), ...Array(7).fill(429)]);
  });

  it('rotates refresh tokens; reusing a spent one ends the whole session', async () => {
    const first = await register();
    const second = await call('/auth/refresh', { refreshToken: first.refreshToken });
    assert.equal(second.status, 200);
    assert.notEqual(second.body.refreshToken, first.refreshToken);
    const reuse = await call('/auth/refresh', { refreshToken: first.refreshToken });
    assert.equal(reuse.status, 401);
    assert.equal(reuse.body.code, 'TOKEN_REUSED');
    assert.equal((await call('/auth/refresh', { refreshToken: second.body.refreshToken })).body.code, 'TOKEN_REVOKED');
    assert.equal((await call('/auth/me', undefined, second.body.token)).body.code, 'TOKEN_REVOKED');
  });

  it('logs out: the refresh token and the access tokens of that session are refused', async () => {
    const session = await register();
    assert.equal((await call('/auth/logout', { refreshToken: session.refreshToken })).status, 200);
    assert.equal((await call('/auth/refresh', { refreshToken: session.refreshToken })).body.code, 'TOKEN_REVOKED');
    const me = await call('/auth/me', undefined, session.token);
    assert.equal(me.status, 401);
    assert.equal(me.body.code, 'TOKEN_REVOKED');
  });

  it('refuses missing, forged and expired access tokens', async () => {
    const session = await register();
    const claims = await JWT.verify<Record<string, unknown>>(session.token);
    // A valid token whose payload was changed (a higher rating) keeps a signature that no longer matches.
    const [header, , signature] = session.token.split('.');
    const forged = `${header}.${Buffer.from(JSON.stringify({ ...claims, rating: 3000 })).toString('base64url')}.${signature}`;
    const expired = await JWT.sign({ ...claims, iat: Math.floor(Date.now() / 1000) - 3600, exp: Math.floor(Date.now() / 1000) - 10 });
    const cases: [string | undefined, string][] = [
      [undefined, 'TOKEN_MISSING'],
      [forged, 'TOKEN_INVALID'],
      [expired, 'TOKEN_EXPIRED'],
      ['not.a.token', 'TOKEN_INVALID'],
    ];
    for (const [token, code] of cases) {
      const reply = await call('/auth/me', undefined, token);
      assert.equal(reply.status, 401);
      assert.equal(reply.body.code, code);
    }
  });

  it('turns a guest into a full account, keeping its id and rating', async () => {
    const guest = (await call('/auth/guest', {})).body as Session;
    const credentials = newCredentials();
    const converted = await call('/auth/convert', credentials, guest.token);
    assert.equal(converted.status, 200);
    assert.equal(converted.body.user.id, guest.user.id);
    assert.equal(converted.body.user.guest, false);
    assert.equal(converted.body.user.name, credentials.name);
    const login = await call('/auth/login', { email: credentials.email, password: credentials.password });
    assert.equal(login.body.user.id, guest.user.id);
    assert.equal((await call('/auth/convert', newCredentials(), converted.body.token)).status, 409);
  });

  it('deletes stale guests only: 30 days without a log-in, no match in progress, fewer than 5 games', async () => {
    const { database } = await sharedTestServices();
    const now = new Date();
    const old = new Date(now.getTime() - 31 * 24 * 3600 * 1000);
    const stale = (await call('/auth/guest', {})).body.user.id as string;
    const recent = (await call('/auth/guest', {})).body.user.id as string;
    const playing = (await call('/auth/guest', {})).body.user.id as string;
    const registered = (await register()).user.id;
    await database.em().nativeUpdate(User, { id: { $in: [stale, playing, registered] } }, { lastLoginAt: old });
    await database.em().execute(
      `insert into matches (id, room_id, status, match_length, rated, settings, player0_id, player0_name, player1_name, score0, score1,
         dice_commitment, dice_client_seeds, started_at) values (?, 'r', 'playing', 3, true, '{}', ?, 'a', 'b', 0, 0, 'c', '[]', ?)`,
      [randomUUID(), playing, now],
    );
    await deleteStaleGuests(database.em(), now);
    const left = await database.em().find(User, { id: { $in: [stale, recent, playing, registered] } });
    assert.deepEqual(left.map((user) => user.id).sort(), [recent, playing, registered].sort());
  });
});

describe('new accounts from one address', () => {
  let server: ColyseusTestServer;
  before(async () => {
    server = await bootServer(undefined, { ACCOUNTS_PER_ADDRESS_PER_HOUR: '3' });
  });
  after(async () => {
    await server.shutdown();
  });

  it('are limited per hour, guests and registrations together, with a Retry-After', async () => {
    assert.equal((await call('/auth/guest', {})).status, 200);
    assert.equal((await call('/auth/register', newCredentials())).status, 200);
    assert.equal((await call('/auth/guest', {})).status, 200);
    for (const refused of [await call('/auth/guest', {}), await call('/auth/register', newCredentials())]) {
      assert.equal(refused.status, 429);
      assert.equal(refused.body.code, 'TOO_MANY_ACCOUNTS');
      assert.match(refused.body.error, /too many new accounts from this address: try again in \d+ seconds/);
      assert.ok(Number(refused.headers.get('retry-after')) > 3000);
    }
    // The server trusts no proxy here: a client naming another address is still itself.
    assert.equal((await call('/auth/guest', {}, undefined, { 'x-forwarded-for': '203.0.113.50' })).status, 429);
  });
});

describe('new accounts through a trusted reverse proxy', () => {
  let server: ColyseusTestServer;
  before(async () => {
    server = await bootServer(undefined, { ACCOUNTS_PER_ADDRESS_PER_HOUR: '1', TRUSTED_PROXIES: '127.0.0.1,::1' });
  });
  after(async () => {
    await server.shutdown();
  });

  it('are counted per client the proxy names, not per proxy', async () => {
    const from = (address: string) => call('/auth/guest', {}, undefined, { 'x-forwarded-for': address });
    assert.equal((await from('203.0.113.1')).status, 200);
    assert.equal((await from('203.0.113.1')).status, 429);
    assert.equal((await from('203.0.113.2')).status, 200);
    // A client's own header in front of the proxy's entry changes nothing: the proxy's entry counts.
    assert.equal((await from('203.0.113.9, 203.0.113.2')).status, 429);
  });
});
