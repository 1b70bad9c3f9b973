import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import type { ColyseusTestServer } from '@colyseus/testing';
import { sharedTestServices } from '../support/database.js';
import { bootServer } from '../support/match-clients.js';
import { rawRequest, type RawAnswer } from '../support/raw-http.js';
import { seededRandom } from '../support/random-games.js';
import { RandomRecordedMatch } from '../support/recorded-matches.js';

function rawGet(path: string, headers: Record<string, string> = {}, pauseMs = 0): Promise<RawAnswer> {
  return rawRequest({ path, headers, pauseMs });
}

describe('long answers of the HTTP API', function () {
  this.timeout(120_000);
  let server: ColyseusTestServer;
  let matchId: string;
  let eventCount: number;

  before(async () => {
    server = await bootServer();
    const services = await sharedTestServices();
    // A long money session: tens of thousands of events make an answer of several megabytes.
    const session = new RandomRecordedMatch(services.journal, seededRandom(20261204), { matchLength: 0 });
    while (session.entries.length < 35_000) session.step();
    matchId = session.result().matchId;
    eventCount = session.entries.filter((entry) => entry.kind === 'event').length;
    await services.journal.flushed();
  });

  after(async () => {
    await server.shutdown();
  });

  it('ends an answer of several megabytes', async () => {
    const answer = await rawGet(`/matches/${matchId}`);
    assert.equal(answer.status, 200);
    assert.ok(answer.body.length > 3_000_000, `the answer is ${answer.body.length} bytes`);
    const match = JSON.parse(answer.body.toString('utf8'));
    assert.equal(match.events.length, eventCount);
  });

  it('ends it for a reader that takes its time over every chunk', async () => {
    const answer = await rawGet(`/matches/${matchId}`, {}, 2);
    assert.equal(answer.status, 200);
    assert.equal(JSON.parse(answer.body.toString('utf8')).events.length, eventCount);
  });

  it('compresses long answers with gzip for a client that accepts it', async () => {
    const plain = await rawGet(`/matches/${matchId}`);
    const zipped = await rawGet(`/matches/${matchId}`, { 'accept-encoding': 'gzip' }, 1);
    assert.equal(zipped.headers['content-encoding'], 'gzip');
    assert.ok(zipped.body.length * 5 < plain.body.length, `gzip gave ${zipped.body.length} bytes of ${plain.body.length}`);
    assert.deepEqual(JSON.parse(gunzipSync(zipped.body).toString('utf8')), JSON.parse(plain.body.toString('utf8')));
    assert.equal(plain.headers['content-encoding'], undefined);
  });

  it('ends the .mat export and a long match list the same way', async () => {
    const mat = await rawGet(`/matches/${matchId}/mat`, { 'accept-encoding': 'gzip' });
    assert.equal(mat.status, 200);
    assert.match(gunzipSync(mat.body).toString('utf8'), /Game 1/);
    const list = await rawGet('/matches?status=playing&pageSize=100');
    assert.equal(list.status, 200);
    assert.ok(JSON.parse(list.body.toString('utf8')).items.some((match: { id: string }) => match.id === matchId));
  });
});
