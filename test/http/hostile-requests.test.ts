import assert from 'node:assert/strict';
import http from 'node:http';
import type { ColyseusTestServer } from '@colyseus/testing';
import { bootServer, TEST_PORT } from '../support/match-clients.js';

const ANSWER_TIMEOUT_MS = 10_000;

interface Answer {
  status: number;
  body: any;
}

interface RawRequest {
  method?: string;
  path: string;
  headers?: http.OutgoingHttpHeaders;
  /** Written in pieces; a chunked body when no content-length header is given. */
  chunks?: (string | Buffer)[];
}

/** Sends a request over a plain socket, as a hostile client would, and reads the answer. */
function send({ method = 'POST', path, headers = {}, chunks = [] }: RawRequest): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = http.request({ host: '127.0.0.1', port: TEST_PORT, method, path, headers }, (response) => {
      const received: Buffer[] = [];
      response.on('data', (chunk: Buffer) => received.push(chunk));
      response.on('end', () => {
        const text = Buffer.concat(received).toString('utf8');
        resolve({ status: response.statusCode ?? 0, body: response.headers['content-type']?.startsWith('application/json') ? JSON.parse(text) : text });
      });
    });
    request.setTimeout(ANSWER_TIMEOUT_MS, () => request.destroy(new Error(`${method} ${path} got no answer within ${ANSWER_TIMEOUT_MS} ms`)));
    // A refused body may be cut off mid-write: what counts is the answer.
    request.on('error', (error: NodeJS.ErrnoException) => (error.code === 'EPIPE' || error.code === 'ECONNRESET' ? undefined : reject(error)));
    for (const chunk of chunks) request.write(chunk);
    request.end();
  });
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
    assertRefused(await send({ path: '/auth/login', headers: { 'content-type': 'application/json' }, chunks }), 413, 'BODY_TOO_LARGE');
    const matchmaking = await send({ path: '/matchmake/create/match', headers: { 'content-type': 'application/json' }, chunks: ['{}'] });
    assertRefused(matchmaking, 411, 'LENGTH_REQUIRED');
  });

  it('answers a malformed JSON body with a 400 that has a code', async () => {
    const body = '{"email": "a@x.com", "password": ';
    const answer = await send({ path: '/auth/login', headers: { 'content-type': 'application/json', 'content-length': body.length }, chunks: [body] });
    assertRefused(answer, 400, 'MALFORMED_BODY');
  });

  it('refuses compressed request bodies instead of inflating them', async () => {
    const answer = await send({ path: '/auth/login', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': 4 }, chunks: ['abcd'] });
    assertRefused(answer, 415, 'UNSUPPORTED_ENCODING');
  });
});
