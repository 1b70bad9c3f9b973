import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { User } from '../../src/db/entities.js';
import { IN_MEMORY, openDatabase, type Database } from '../../src/db/orm.js';
import { answerErrors } from '../../src/http/errors.js';
import { failedWhileStopping } from '../../src/http/stopping.js';

describe('HTTP requests while the server stops', function () {
  this.timeout(60_000);
  let database: Database;
  let server: Server;
  let base: string;
  let releaseSlowRequest: () => void = () => undefined;

  before(async () => {
    database = await openDatabase({ kind: 'pglite', dataDir: IN_MEMORY });
    const app = express();
    app.get('/users', async (_request, response) => response.json({ users: await database.em().count(User) }));
    // A request already inside its handler when the shutdown begins: it reaches the database after it closed.
    app.get('/slow', async (_request, response) => {
      await new Promise<void>((resolve) => (releaseSlowRequest = resolve));
      response.json({ users: await database.em().count(User) });
    });
    app.use(failedWhileStopping(database));
    app.use(answerErrors);
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(() => new Promise((resolve) => server.close(resolve)));

  it('are answered as usual before, and 503 SERVER_STOPPING with Retry-After once the database is closing', async () => {
    assert.equal((await fetch(`${base}/users`)).status, 200);
    const caughtHalfWay = fetch(`${base}/slow`);
    await new Promise((resolve) => setTimeout(resolve, 200));
    await database.close();
    releaseSlowRequest();
    for (const response of [await caughtHalfWay, await fetch(`${base}/users`)]) {
      assert.equal(response.status, 503);
      assert.equal(response.headers.get('retry-after'), '5');
      assert.deepEqual(await response.json(), { error: 'the server is shutting down: try again in a few seconds', code: 'SERVER_STOPPING' });
    }
  });
});
