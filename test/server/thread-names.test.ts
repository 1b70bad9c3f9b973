import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { JournalThread } from '../../src/db/journal-thread.js';
import { sharedTestServices, TestDatabase } from '../support/database.js';
import { threads } from '../support/threads.js';

const threadNames = () => threads().map((thread) => thread.name);

describe('the server\'s threads have names an operator can tell apart', function () {
  this.timeout(60_000);

  before(function () {
    if (!existsSync('/proc/thread-self')) this.skip();
  });

  // Analysis threads: test/server/thread-priority.test.ts.
  it('the embedded database\'s thread', async function () {
    await sharedTestServices();
    assert.ok(threadNames().includes('tavla-database'), `threads: ${threadNames().join(', ')}`);
    assert.equal(readFileSync('/proc/self/comm', 'utf8').trim(), 'node', 'the main thread keeps the process\'s name');
  });

  it('the journal\'s thread on PostgreSQL', async function () {
    const testDatabase = await TestDatabase.create(this, 'postgresql', 'thread_names');
    const database = await testDatabase.open();
    const journal = JournalThread.start(database);
    try {
      await journal.ready;
      assert.ok(threadNames().includes('tavla-journal'), `threads: ${threadNames().join(', ')}`);
    } finally {
      await journal.close();
      await database.close();
      await testDatabase.drop();
    }
  });
});
