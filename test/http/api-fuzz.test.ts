import assert from 'node:assert/strict';
import type { ColyseusTestServer } from '@colyseus/testing';
import fc from 'fast-check';
import { registerAccount, type Session } from '../support/accounts.js';
import { startServices, stopServices, type Services } from '../../src/services.js';
import { DATABASE_KINDS, TestDatabase } from '../support/database.js';
import { bootServer, TEST_PORT } from '../support/match-clients.js';
import { rawRequest, type RawAnswer } from '../support/raw-http.js';
import { seededRandom } from '../support/random-games.js';
import { RandomRecordedMatch } from '../support/recorded-matches.js';

const FUZZ_SEED = 20261204;

/** Strings an attacker tries: injections, control characters, odd Unicode, very long ones. */
const HOSTILE_STRINGS = [
  "' OR '1'='1' --", '1; DROP TABLE users', "Robert'); DROP TABLE matches;--", '$where', '{"$gt":""}', '../../etc/passwd',
  '%00', '\u0000', 'a\u0000b@x.com', '\u0007\u001b[31m', '\r\nSet-Cookie: x=1', '<script>alert(1)</script>', '${7*7}', '{{7*7}}',
  '\u202e', '\ud800', '💥'.repeat(50), 'x'.repeat(10_000), '', ' ', 'null', 'undefined', 'NaN', 'Infinity', '-1', '0', '1e309',
  '99999999999999999999999', '0x10', '1.5', 'true', '__proto__', 'constructor', 'prototype', 'a@b.c', 'player@example.org',
];
const HOSTILE_NUMBERS = [0, -1, 1, 1.5, -0, 2 ** 31, 2 ** 53, Number.MAX_SAFE_INTEGER + 2, 1e308, -1e308, Number.MIN_VALUE];
const POLLUTING_KEYS = ['__proto__', 'constructor', 'prototype', 'isAdmin', 'role', 'guest', 'rating', 'id'];

const hostileString = fc.oneof(fc.constantFrom(...HOSTILE_STRINGS), fc.string({ maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 40 }));
const hostileScalar = fc.oneof(hostileString, fc.constantFrom<unknown>(...HOSTILE_NUMBERS, true, false, null), fc.double());
const hostileValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, hostileScalar, fc.array(tie('value'), { maxLength: 3 }), fc.dictionary(fc.oneof(hostileString, fc.constantFrom(...POLLUTING_KEYS)), tie('value'), { maxKeys: 3 })),
})).value;

interface Route {
  method: 'GET' | 'POST';
  path: string;
  query?: string[];
  body?: string[];
  token?: boolean;
}

const ROUTES: Route[] = [
  { method: 'GET', path: '/health' },
  { method: 'GET', path: '/matches', query: ['status', 'page', 'pageSize'] },
  { method: 'GET', path: '/matches/:match' },
  { method: 'GET', path: '/matches/:match/position', query: ['after'] },
  { method: 'GET', path: '/matches/:match/mat' },
  { method: 'GET', path: '/matches/:match/dice' },
  { method: 'GET', path: '/users/:user', token: true },
  { method: 'GET', path: '/users/:user/stats' },
  { method: 'GET', path: '/users/:user/matches', query: ['page', 'pageSize'] },
  { method: 'GET', path: '/users/:user/ratings' },
  { method: 'GET', path: '/leaderboard', query: ['page', 'pageSize'] },
  { method: 'GET', path: '/auth/me', token: true },
  { method: 'GET', path: '/match/:room', query: ['invite'] },
  { method: 'POST', path: '/auth/register', body: ['email', 'password', 'name'] },
  { method: 'POST', path: '/auth/login', body: ['email', 'password'] },
  { method: 'POST', path: '/auth/guest', body: [] },
  { method: 'POST', path: '/auth/convert', body: ['email', 'password', 'name'], token: true },
  { method: 'POST', path: '/auth/refresh', body: ['refreshToken'] },
  { method: 'POST', path: '/auth/logout', body: ['refreshToken'] },
  { method: 'POST', path: '/matchmake/joinOrCreate/match', body: ['matchLength', 'private', 'invite'], token: true },
  { method: 'POST', path: '/matchmake/create/quickmatch', body: ['matchLength'], token: true },
];

const CONTENT_TYPES = ['application/json', 'application/json; charset=utf-8', 'multipart/form-data; boundary=x', 'application/x-www-form-urlencoded', 'text/plain', '', 'application/json; charset=latin1'];

interface FuzzRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string | null;
}

interface Known {
  matchId: string;
  userId: string;
  session: Session;
}

function requestArbitrary(known: Known): fc.Arbitrary<FuzzRequest> {
  const segment = (real: string) => fc.oneof(fc.constant(real), hostileString.map((text) => percentEncoded(text) || '%20'));
  const queryValue = fc.oneof(fc.constantFrom('1', '20', '100', 'playing', 'finished'), hostileString);
  return fc
    .record({
      route: fc.constantFrom(...ROUTES),
      match: segment(known.matchId),
      user: segment(known.userId),
      room: segment('abc123'),
      query: fc.dictionary(fc.oneof(fc.constantFrom('status', 'page', 'pageSize', 'after', 'invite', 'sort', '__proto__'), hostileString), queryValue, { maxKeys: 4 }),
      fields: fc.dictionary(fc.oneof(fc.constantFrom('email', 'password', 'name', 'refreshToken', 'matchLength', 'private'), fc.constantFrom(...POLLUTING_KEYS), hostileString), hostileValue, { maxKeys: 5 }),
      rawBody: fc.option(fc.oneof(hostileString, fc.constantFrom('{', '[]', 'null', '"text"', '{"a":1}{"b":2}', '[' .repeat(5_000), `{"email":"${'x'.repeat(70_000)}"}`)), { freq: 4 }),
      contentType: fc.constantFrom(...CONTENT_TYPES),
      token: fc.oneof(fc.constant(known.session.token), fc.constant(null), hostileString),
    })
    .map(({ route, match, user, room, query, fields, rawBody, contentType, token }) => {
      const path = route.path.replace(':match', match).replace(':user', user).replace(':room', room);
      const search = new URLSearchParams(Object.entries(query).map(([key, value]): [string, string] => [key, String(value)])).toString();
      const headers: Record<string, string> = {};
      if (route.token && token !== null) headers.authorization = `Bearer ${token.replace(/[^\x21-\x7e]/g, '')}`;
      let body: string | null = null;
      if (route.method === 'POST') {
        body = rawBody ?? JSON.stringify(fields);
        if (contentType) headers['content-type'] = contentType;
      }
      return { method: route.method, path: search ? `${path}?${search}` : path, headers, body };
    });
}

/** Every byte of the text's UTF-8 percent-encoded (a lone surrogate, which encodeURIComponent refuses, included). */
function percentEncoded(text: string): string {
  return [...Buffer.from(text, 'utf8')].map((byte) => `%${byte.toString(16).padStart(2, '0')}`).join('');
}

function send(request: FuzzRequest): Promise<RawAnswer> {
  return rawRequest({ method: request.method, path: request.path, headers: request.headers, chunks: request.body === null ? [] : [request.body], timeoutMs: 10_000 });
}

function describeRequest(request: FuzzRequest): string {
  return `${request.method} ${request.path.slice(0, 200)} ${JSON.stringify(request.headers)} ${request.body?.slice(0, 200) ?? ''}`;
}

for (const kind of DATABASE_KINDS) describe(`the HTTP API under hostile requests, on ${kind}`, function () {
  this.timeout(180_000);
  let server: ColyseusTestServer;
  let known: Known;
  let testDatabase: TestDatabase;
  let services: Services;

  before(async function () {
    testDatabase = await TestDatabase.create(this, kind, 'http_fuzz');
    services = await startServices(testDatabase.target);
    server = await bootServer(services);
    const played = new RandomRecordedMatch(services.journal, seededRandom(FUZZ_SEED), { matchLength: 1 }).playOut();
    await services.journal.flushed();
    const session = await registerAccount('fuzzed');
    known = { matchId: played.matchId, userId: session.user.id, session };
  });

  after(async () => {
    await server?.shutdown();
    if (services) await stopServices(services, 2_000);
    await testDatabase?.drop();
  });

  it('answers every route with a 2xx or a 4xx that explains itself: no 500, no hang, no polluted prototype', async () => {
    const prototypeKeys = Object.getOwnPropertyNames(Object.prototype).sort();
    const check = fc.assert(
      fc.asyncProperty(requestArbitrary(known), async (request) => {
        const answer = await send(request);
        const where = `${describeRequest(request)} -> ${answer.status} ${answer.body.toString('utf8').slice(0, 300)}`;
        assert.ok(answer.status >= 200 && answer.status < 500, where);
        if (answer.status >= 400) {
          assert.match(answer.headers['content-type'] ?? '', /^application\/json/, where);
          const body = answer.json as { error?: unknown; code?: unknown };
          assert.equal(typeof body.error, 'string', where);
          assert.ok(typeof body.code === 'string' || typeof body.code === 'number', where);
        }
      }),
      { numRuns: 1_500, seed: FUZZ_SEED, endOnFailure: true },
    );
    // fast-check prints the whole counterexample, which can be a URL of 30,000 characters.
    await check.catch((error: Error) => assert.fail(error.message.slice(0, 4_000)));
    assert.deepEqual(Object.getOwnPropertyNames(Object.prototype).sort(), prototypeKeys);
    assert.equal(({} as Record<string, unknown>).isAdmin, undefined);
    assert.equal((await fetch(`http://127.0.0.1:${TEST_PORT}/health`)).status, 200);
  });
});
