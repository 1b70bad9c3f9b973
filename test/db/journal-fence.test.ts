import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import pg from 'pg';
import { Match } from '../../src/db/entities.js';
import { JournalStore } from '../../src/db/journal-store.js';
import { JournalThread } from '../../src/db/journal-thread.js';
import { claimMatch, registerServer } from '../../src/db/live-servers.js';
import type { Database } from '../../src/db/orm.js';
import { eventsOf } from '../../src/db/records.js';
import { ormTransactions } from '../../src/db/transactions.js';
import { takeOverOrphanedMatches } from '../../src/recovery/takeover.js';
import { startServices, stopServices } from '../../src/services.js';
import { DATABASE_KINDS, TestDatabase } from '../support/database.js';
import { RandomRecordedMatch } from '../support/recorded-matches.js';
import { seededRandom } from '../support/random-games.js';

for (const kind of DATABASE_KINDS) {
  describe(`the journal of a process whose match another process took over, on ${kind}`, function () {
    this.timeout(60_000);
    let testDatabase: TestDatabase;
    let database: Database;

    before(async function () {
      testDatabase = await TestDatabase.create(this, kind, 'journal_fence');
      database = await testDatabase.open();
    });

    after(async () => {
      await database?.close();
      await testDatabase?.drop();
    });

    /** A match `stalled` started and logged some steps of, then taken over by `newOwner`; the steps it plays after that. */
    async function takenOver(stalled: string, newOwner: string, seed: number) {
      await Promise.all([registerServer(database, stalled), registerServer(database, newOwner)]);
      const match = new RandomRecordedMatch({ append: () => undefined }, seededRandom(seed), { matchLength: 5 });
      for (let step = 0; step < 10; step++) match.step();
      await new JournalStore(ormTransactions(database), stalled).write(match.entries);
      const { matchId } = match.result();
      const logged = match.entries.length;
      assert.ok(await claimMatch(database, { id: matchId, serverId: stalled }, newOwner, 'new-room'));
      for (let step = 0; step < 10; step++) match.step();
      return { match, matchId, after: match.entries.slice(logged) };
    }

    it('writes none of the entries of that match, and says which match it refused', async () => {
      const [stalled, newOwner] = [randomUUID(), randomUUID()];
      const { matchId, after } = await takenOver(stalled, newOwner, 3);
      const before = await eventsOf(database.em(), matchId);
      const mine = new RandomRecordedMatch({ append: () => undefined }, seededRandom(4), { matchLength: 5 });
      for (let step = 0; step < 5; step++) mine.step();
      const refused = await new JournalStore(ormTransactions(database), stalled).write([...mine.entries, ...after]);
      assert.deepEqual(refused, [matchId]);
      assert.deepEqual(await eventsOf(database.em(), matchId), before, 'the log is the one the new owner rebuilt from');
      const events = mine.entries.filter((entry) => entry.kind === 'event').length;
      assert.equal((await eventsOf(database.em(), mine.result().matchId)).length, events, 'its own matches are written');
      assert.deepEqual(await new JournalStore(ormTransactions(database), newOwner).write(after), [], 'the new owner writes');
    });

    it('never calls back what waited for a refused match, and tells the server once', async () => {
      const stalled = randomUUID();
      const { matchId, after } = await takenOver(stalled, randomUUID(), 5);
      const movedAway: string[][] = [];
      const journal = JournalThread.start(database, { serverId: stalled, onMovedAway: (matchIds) => movedAway.push([...matchIds]) });
      try {
        await journal.ready;
        let called = 0;
        for (const entry of after.slice(0, 5)) journal.append(entry);
        journal.afterWritten(matchId, () => (called += 1));
        await journal.flushed();
        for (const entry of after.slice(5)) journal.append(entry);
        await journal.flushed();
        journal.afterWritten(matchId, () => (called += 1));
        assert.equal(called, 0);
        assert.deepEqual(movedAway, [[matchId]]);
      } finally {
        await journal.close();
      }
    });

    it('writes and calls back again for a match claimed back by the process whose entries were refused', async () => {
      const [stalled, newOwner] = [randomUUID(), randomUUID()];
      const { matchId, after } = await takenOver(stalled, newOwner, 6);
      const before = await eventsOf(database.em(), matchId);
      const journal = JournalThread.start(database, { serverId: stalled });
      try {
        await journal.ready;
        for (const entry of after) journal.append(entry);
        await journal.flushed();
        assert.ok(await claimMatch(database, { id: matchId, serverId: newOwner }, stalled, 'room-back'));
        journal.playsAgain(matchId);
        for (const entry of after) journal.append(entry);
        let called = 0;
        journal.afterWritten(matchId, () => (called += 1));
        await journal.flushed();
        assert.equal(called, 1);
        const written = after.filter((entry) => entry.kind === 'event').length;
        assert.equal((await eventsOf(database.em(), matchId)).length, before.length + written);
      } finally {
        await journal.close();
      }
    });

    if (kind === 'postgresql') {
      it('is not claimed back by that process while entries of its earlier room there still wait to be written', async () => {
        const services = await startServices(testDatabase.target);
        const blocker = new pg.Client({ connectionString: (testDatabase.target as { url: string }).url });
        await blocker.connect();
        try {
          const newOwner = randomUUID();
          const { matchId, after } = await takenOver(services.serverId, newOwner, 7);
          const before = await eventsOf(database.em(), matchId);
          // The match's row locked: the journal's write of the stale entries waits, as one that keeps failing would.
          await blocker.query('begin');
          await blocker.query('select id from matches where id = $1 for update', [matchId]);
          for (const entry of after) services.journal.append(entry);
          await database.em().execute(`update servers set seen_at = now() - interval '2 minutes' where id = ?`, [newOwner]);
          assert.ok(services.journal.holds(matchId));
          // Only this match: the earlier tests' processes may count as gone by now.
          const thisMatch = (id: string) => id === matchId;
          const pass = await Promise.race([takeOverOrphanedMatches(services, undefined, thisMatch), delay(5_000).then(() => 'hung' as const)]);
          assert.notEqual(pass, 'hung', 'the pass waited for the locked row: it tried to claim the match');
          assert.deepEqual(pass === 'hung' ? pass : [pass.resumed, pass.interrupted], [0, 0], 'no claim while its stale entries wait');
          await blocker.query('commit');
          await services.journal.flushed();
          assert.equal(services.journal.holds(matchId), false);
          assert.deepEqual(await eventsOf(database.em(), matchId), before, 'the stale entries were refused');
          // No dice seed was kept for this match: claimed, it is interrupted (the claim is what counts here).
          const next = await takeOverOrphanedMatches(services, undefined, thisMatch);
          assert.deepEqual([next.resumed, next.interrupted], [0, 1]);
          assert.equal((await database.em().findOneOrFail(Match, matchId)).serverId, services.serverId);
          assert.deepEqual(await eventsOf(database.em(), matchId), before);
        } finally {
          await blocker.end();
          await stopServices(services);
        }
      });
    }
  });
}
