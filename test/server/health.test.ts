import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { boot, type ColyseusTestServer } from '@colyseus/testing';
import packageJson from '../../package.json' with { type: 'json' };
import { createAppConfig } from '../../src/app.config.js';
import { parseConfig } from '../../src/config.js';
import type { HealthReport } from '../../src/http/health.js';

import { sharedTestServices } from '../support/database.js';
import { TEST_PORT } from '../support/match-clients.js';
const baseUrl = `http://127.0.0.1:${TEST_PORT}`;
const repositoryRoot = fileURLToPath(new URL('../..', import.meta.url));

describe('HTTP server', () => {
  let server: ColyseusTestServer;

  before(async () => {
    server = await boot(createAppConfig(parseConfig({}), await sharedTestServices()), TEST_PORT);
  });

  after(async () => {
    await server.shutdown();
  });

  it('answers GET /health with its status, version and uptime as JSON', async () => {
    const response = await fetch(`${baseUrl}/health`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^application\/json/);

    const body = (await response.json()) as HealthReport;
    assert.deepEqual(Object.keys(body).sort(), ['status', 'uptimeSeconds', 'version']);
    assert.equal(body.status, 'ok');
    assert.equal(body.version, packageJson.version);
    assert.ok(Number.isInteger(body.uptimeSeconds) && body.uptimeSeconds >= 0, `uptimeSeconds: ${body.uptimeSeconds}`);
  });

  it('answers an unknown route with a JSON 404', async () => {
    const response = await fetch(`${baseUrl}/no-such-route`);
    assert.equal(response.status, 404);
    assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
    assert.deepEqual(await response.json(), { error: 'Not Found', code: 'NOT_FOUND' });
  });

  it('answers a known path with the wrong method with a JSON 404', async () => {
    const response = await fetch(`${baseUrl}/health`, { method: 'DELETE' });
    assert.equal(response.status, 404);
    assert.deepEqual(await response.json(), { error: 'Not Found', code: 'NOT_FOUND' });
  });

  it('answers a malformed JSON body with a 400, not a 500', async () => {
    const response = await fetch(`${baseUrl}/matchmake/joinOrCreate/any_room`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"unterminated',
    });
    assert.equal(response.status, 400);
    assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
  });

  for (const [header, value] of [
    ['host', 'not a host name'],
    ['host', 'localhost:99999'],
    ['x-forwarded-proto', 'no such protocol'],
  ] as const) {
    it(`answers a request with ${header} "${value}" with a JSON 400 instead of leaving it hanging`, async () => {
      const response = await rawGet('/health', { [header]: value });
      assert.equal(response.status, 400);
      assert.deepEqual(JSON.parse(response.body), { error: 'Bad Request', code: 'BAD_REQUEST' });
    });
  }
});

describe('server listening on HOST', () => {
  let server: ColyseusTestServer;

  before(async () => {
    server = await boot(createAppConfig(parseConfig({ HOST: '127.0.0.1' }), await sharedTestServices()), TEST_PORT);
  });

  after(async () => {
    await server.shutdown();
  });

  it('binds to that interface only', () => {
    const address = server.server.transport.server?.address() as net.AddressInfo;
    assert.equal(address.address, '127.0.0.1');
    assert.equal(address.port, TEST_PORT);
  });
});

describe('server start-up', () => {
  it('refuses a bad PORT with a message naming it, without a stack trace or a listening server', async () => {
    const run = await runServerEntry({ PORT: 'not-a-port' });
    assert.equal(run.exitCode, 1);
    assert.match(run.stderr, /Invalid configuration:\n {2}PORT: must be a whole number from 1 to 65535/);
    assert.doesNotMatch(run.stderr, /^\s+at /m, 'no stack trace');
    assert.doesNotMatch(run.stdout, /Listening/);
  });

  it('exits with a clear message when the port is taken, instead of running without listening', async () => {
    const occupant = net.createServer();
    await new Promise<void>((resolve) => occupant.listen(0, '127.0.0.1', resolve));
    const { port } = occupant.address() as net.AddressInfo;
    try {
      const run = await runServerEntry({ HOST: '127.0.0.1', PORT: String(port) });
      assert.equal(run.exitCode, 1);
      assert.match(run.stderr, new RegExp(`Cannot listen on 127\\.0\\.0\\.1, port ${port}: listen EADDRINUSE`));
    } finally {
      await new Promise((resolve) => occupant.close(resolve));
    }
  });
});

interface RawResponse {
  status: number;
  body: string;
}

// fetch() refuses to send a malformed Host header, so these requests go through node:http.
function rawGet(path: string, headers: Record<string, string>): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const request = http.get({ host: '127.0.0.1', port: TEST_PORT, path, headers, timeout: 3000 }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    request.on('timeout', () => request.destroy(new Error(`no answer to GET ${path} within 3 s`)));
    request.on('error', reject);
  });
}

interface ProcessRun {
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

/** Runs src/index.ts as `npm start` does, with extra environment variables; stops it after 15 s at most. */
function runServerEntry(extraEnv: Record<string, string>): Promise<ProcessRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/index.ts'], {
      cwd: repositoryRoot,
      env: { ...process.env, DATA_DIR: 'memory://', ...extraEnv },
      timeout: 15_000,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (exitCode) => resolve({ exitCode, stdout, stderr }));
  });
}
