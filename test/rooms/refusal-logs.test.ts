import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import type { ColyseusTestServer } from '@colyseus/testing';
import { tapLog } from '../../src/log.js';
import { bootServer, sdkClient } from '../support/match-clients.js';

describe('refused match creations in the log', function () {
  this.timeout(30_000);
  let server: ColyseusTestServer;
  const logged: string[] = [];
  const original = { error: console.error, warn: console.warn };

  before(async () => {
    server = await bootServer();
    console.error = console.warn = (...args: unknown[]) => {
      logged.push(args.map((arg) => (arg instanceof Error ? (arg.stack ?? arg.message) : typeof arg === 'string' ? arg : inspect(arg))).join(' '));
    };
    tapLog((line) => {
      const entry = JSON.parse(line) as { level: number; msg: string };
      if (entry.level >= 40) logged.push(entry.msg);
    });
  });

  after(async () => {
    Object.assign(console, original);
    tapLog(null);
    await server.shutdown();
  });

  it('answers the client with the reason and logs no stack trace, however many times it is tried', async () => {
    const client = sdkClient();
    for (let attempt = 0; attempt < 20; attempt++) {
      await assert.rejects(client.create('match', { matchLength: 26 + attempt }), /matchLength: Too big/);
      await assert.rejects(client.create('match', { colour: 'green' }), /Unrecognized key/);
      await assert.rejects(client.create('match', { reservation: `guessed-${attempt}` }), /no such seat reservation/);
    }
    assert.deepEqual(logged, []);
  });
});
