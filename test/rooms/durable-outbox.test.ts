import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { eventsOf } from '../../src/db/records.js';
import { JournalThread } from '../../src/db/journal-thread.js';
import type { Database } from '../../src/db/orm.js';
import { DurableOutbox } from '../../src/rooms/durable-outbox.js';
import { TestDatabase } from '../support/database.js';
import { RandomRecordedMatch } from '../support/recorded-matches.js';
import { seededRandom } from '../support/random-games.js';

describe('a room’s outbox on the journal', function () {
  this.timeout(60_000);
  let testDatabase: TestDatabase;
  let database: Database;
  let journal: JournalThread;

  before(async function () {
    testDatabase = await TestDatabase.create(this, 'pglite', 'outbox');
    database = await testDatabase.open();
    journal = JournalThread.start(database);
    await journal.ready;
  });

  after(async () => {
    await journal?.close();
    await database?.close();
  });

  it('sends at once what shows nothing unwritten, and holds the rest until the events before it are stored', async () => {
    const errors: unknown[] = [];
    const outbox = new DurableOutbox(journal, (error) => errors.push(error));
    const sent: string[] = [];
    outbox.send(randomUUID(), () => sent.push('nothing to wait for'));
    assert.deepEqual(sent, ['nothing to wait for']);

    const match = new RandomRecordedMatch(journal, seededRandom(3), { matchLength: 1 });
    for (let step = 0; step < 20 && !match.over; step++) match.step();
    const { matchId } = match.result();
    const appended = match.entries.filter((entry) => entry.kind === 'event').length;
    assert.ok(journal.pending > 0);
    const unwrittenAtSend = new Promise<number>((resolve) => {
      outbox.send(matchId, () => {
        sent.push('after the events');
        resolve(journal.pending);
      });
    });
    // Another match of the same room with nothing to write: it still waits its turn.
    outbox.send(randomUUID(), () => sent.push('after that'));
    assert.deepEqual(sent, ['nothing to wait for']);
    assert.equal(outbox.waiting, 2);

    assert.equal(await unwrittenAtSend, 0, 'sent once every event was written');
    assert.equal((await eventsOf(database.em(), matchId)).length, appended);
    assert.deepEqual(sent, ['nothing to wait for', 'after the events', 'after that']);
    assert.equal(outbox.waiting, 0);
    assert.deepEqual(errors, []);
  });

  it('goes on sending after a send that throws', async () => {
    const errors: unknown[] = [];
    const outbox = new DurableOutbox(journal, (error) => errors.push(error));
    const match = new RandomRecordedMatch(journal, seededRandom(4), { matchLength: 1 });
    match.step();
    const { matchId } = match.result();
    const sent: string[] = [];
    const done = new Promise<void>((resolve) => {
      outbox.send(matchId, () => {
        throw new Error('a closed connection');
      });
      outbox.send(matchId, () => (sent.push('next'), resolve()));
    });
    await done;
    assert.deepEqual(sent, ['next']);
    assert.equal(errors.length, 1);
  });
});
