import assert from 'node:assert/strict';
import type { ColyseusTestServer } from '@colyseus/testing';
import { bootServer } from '../support/match-clients.js';
import { rawRequest, type RawRequest } from '../support/raw-http.js';

interface Answer {
  status: number;
  body: any;
}

async function send(request: RawRequest): Promise<Answer> {
  const answer = await rawRequest({ method: 'POST', timeoutMs: 10_000, ...request });
  return { status: answer.status, body: answer.json ?? answer.body.toString('utf8') };
}

const json = (body: unknown): RawRequest['headers'] => ({ 'content-type': 'application/json', 'content-length': Buffer.byteLength(JSON.stringify(body)) });

function assertRefused(answer: Answer, status: number, code: string): void {
  assert.equal(answer.status, status, JSON.stringify(answer.body));
  assert.equal(answer.body.code, code, JSON.stringify(answer.body));
  assert.equal(typeof answer.body.error, 'string');
}

describe('hostile HTTP requests', function () {
  this.timeout(60_000);
  let server: ColyseusTestServer;

  before(async () => {
    server = await bootServer();
  });

  after(async () => {
    await server.shutdown();
  });

  it('refuses a NUL character in any text field with a 400, before it reaches the database', async () => {
    const bodies: [string, unknown][] = [
      ['/auth/login', { email: 'a\u0000b@x.com', password: 'whatever1' }],
      ['/auth/login', { email: 'a@x.com', password: 'what\u0000ever1' }],
      ['/auth/register', { email: 'nul@example.org', password: 'long enough\u0000', name: 'Nul Tester' }],
      ['/auth/refresh', { refreshToken: 'abc\u0000def' }],
      ['/auth/logout', { refreshToken: '\u0000' }],
    ];
    for (const [path, body] of bodies) {
      assertRefused(await send({ path, headers: json(body), chunks: [JSON.stringify(body)] }), 400, 'VALIDATION_ERROR');
    }
  });

  it('refuses control characters in e-mails and names', async () => {
    for (const body of [
      { email: 'tab\t@example.org', password: 'long enough', name: 'Control Tester' },
      { email: 'ok@example.org', password: 'long enough', name: 'Bell\u0007' },
      { email: 'esc\u001b[31m@example.org', password: 'long enough', name: 'Escape Tester' },
    ]) {
      assertRefused(await send({ path: '/auth/register', headers: json(body), chunks: [JSON.stringify(body)] }), 400, 'VALIDATION_ERROR');
    }
  });

  it('takes JSON only: multipart, urlencoded, text and missing content types get a 415', async () => {
    const boundary = '----tavla';
    const multipart = `--${boundary}\r\nContent-Disposition: form-data; name="email"\r\n\r\na@x.com\r\n--${boundary}--\r\n`;
    const cases: [string, string][] = [
      [`multipart/form-data; boundary=${boundary}`, multipart],
      [`multipart/form-data; boundary=${boundary}`, 'not multipart at all'],
      ['application/x-www-form-urlencoded', 'email=a%40x.com&password=whatever1'],
      ['text/plain', '{"email":"a@x.com","password":"whatever1"}'],
      ['application/json-patch+json', '[]'],
    ];
    for (const path of ['/auth/login', '/auth/register', '/auth/guest', '/matchmake/create/match']) {
      for (const [type, body] of cases) {
        const answer = await send({ path, headers: { 'content-type': type, 'content-length': Buffer.byteLength(body) }, chunks: [body] });
        assertRefused(answer, 415, 'UNSUPPORTED_MEDIA_TYPE');
      }
      const untyped = await send({ path, headers: { 'content-length': 2 }, chunks: ['{}'] });
      assertRefused(untyped, 415, 'UNSUPPORTED_MEDIA_TYPE');
    }
  });

  it('refuses a body declared larger than 64 KiB with a 413 before reading it', async () => {
    // Declares 600 MB and sends a few bytes: an answer proves nothing waited for the rest.
    for (const path of ['/auth/login', '/matchmake/create/match', '/no-such-route']) {
      const answer = await send({ path, headers: { 'content-type': 'application/json', 'content-length': 600 * 1024 * 1024 }, chunks: ['{"email":'] });
      assertRefused(answer, 413, 'BODY_TOO_LARGE');
    }
  });

  it('stops reading a streamed body once it passes 64 KiB', async () => {
    const piece = `"${'x'.repeat(16 * 1024)}",`;
    const chunks = ['{"email":[', ...Array.from({ length: 8 }, () => piece), '"end"]}'];
    for (const path of ['/auth/login', '/matchmake/create/match']) {
      assertRefused(await send({ path, headers: { 'content-type': 'application/json' }, chunks }), 413, 'BODY_TOO_LARGE');
    }
  });

  it('answers a malformed JSON body with a 400 that has a code, on every route', async () => {
    const body = '{"email": "a@x.com", "password": ';
    for (const path of ['/auth/login', '/matchmake/joinOrCreate/match', '/matchmake/create/quickmatch']) {
      const answer = await send({ path, headers: { 'content-type': 'application/json', 'content-length': body.length }, chunks: [body] });
      assertRefused(answer, 400, 'MALFORMED_BODY');
    }
  });

  it('refuses compressed request bodies instead of inflating them', async () => {
    const answer = await send({ path: '/auth/login', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': 4 }, chunks: ['abcd'] });
    assertRefused(answer, 415, 'UNSUPPORTED_ENCODING');
  });
});
