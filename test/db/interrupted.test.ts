import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Match } from '../../src/db/entities.js';
import type { MatchEventWritten } from '../../src/db/journal.js';
import { JournalStore } from '../../src/db/journal-store.js';
import { claimMatch, orphanedMatches, registerServer } from '../../src/db/live-servers.js';
import type { DatabaseTarget } from '../../src/db/orm.js';
import { listMatches } from '../../src/db/records.js';
import { ormTransactions } from '../../src/db/transactions.js';
import { takeOverOrphanedMatches } from '../../src/recovery/takeover.js';
import { SeedVault } from '../../src/recovery/seed-vault.js';
import { startServices, stopServices } from '../../src/services.js';
import { DATABASE_KINDS, TestDatabase } from '../support/database.js';
import { RandomRecordedMatch } from '../support/recorded-matches.js';
import { seededRandom } from '../support/random-games.js';

for (const kind of DATABASE_KINDS) {
  describe(`matches a server process left unfinished that cannot be resumed, on ${kind}`, function () {
    this.timeout(60_000);
    let target: DatabaseTarget;
    let cleanup: () => Promise<void>;

    before(async function () {
      if (kind === 'pglite') {
        // A folder, not memory: the data must outlive the first run of the services.
        const folder = mkdtempSync(join(tmpdir(), 'tavla-interrupted-'));
        target = { kind: 'pglite', dataDir: join(folder, 'data') };
        cleanup = async () => rmSync(folder, { recursive: true, force: true });
      } else {
        const testDatabase = await TestDatabase.create(this, kind, 'interrupted');
        target = testDatabase.target;
        cleanup = () => testDatabase.drop();
      }
    });

    after(async () => cleanup?.());

    it('are marked interrupted when taken over at the next start (no dice seed kept), ended at their last event; finished ones stay finished', async () => {
      const first = await startServices(target);
      const random = seededRandom(21);
      const unfinished = new RandomRecordedMatch(first.journal, random, { matchLength: 5 });
      for (let step = 0; step < 30; step++) unfinished.step();
      const finished = new RandomRecordedMatch(first.journal, random, { matchLength: 1 }).playOut();
      await stopServices(first);

      const second = await startServices(target);
      try {
        assert.deepEqual(await takeOverOrphanedMatches(second), { resumed: 0, interrupted: 1, leftToOthers: 0 });
        const em = second.database.em();
        const stopped = await em.findOneOrFail(Match, unfinished.result().matchId);
        assert.equal(stopped.status, 'interrupted');
        assert.equal(stopped.serverId, second.serverId, 'the match remembers the server process that took it over');
        const lastEvent = unfinished.entries.filter((entry): entry is MatchEventWritten => entry.kind === 'event').at(-1)!;
        assert.equal(stopped.endedAt?.toISOString(), (JSON.parse(lastEvent.json) as { at: string }).at);
        assert.equal(stopped.winner, null);
        assert.equal((await em.findOneOrFail(Match, finished.matchId)).status, 'finished');
        assert.deepEqual((await listMatches(em, 'interrupted', { page: 1, pageSize: 10 })).items.map((match) => match.id), [stopped.id]);
        assert.equal((await listMatches(em, 'playing', { page: 1, pageSize: 10 })).items.length, 0);
      } finally {
        await stopServices(second);
      }
    });

    if (kind === 'pglite') {
      it('of a process that crashed a moment ago are interrupted at once: the embedded database had no other process', async () => {
        const crashed = await startServices(target);
        const unfinished = new RandomRecordedMatch(crashed.journal, seededRandom(8), { matchLength: 5 });
        for (let step = 0; step < 20; step++) unfinished.step();
        await crashed.journal.flushed();
        // Gone without a word: its servers row is still fresh.
        await crashed.stopHeartbeat();
        await crashed.journal.close();
        await crashed.database.close();
        const next = await startServices(target);
        try {
          await takeOverOrphanedMatches(next);
          assert.equal((await next.database.em().findOneOrFail(Match, unfinished.result().matchId)).status, 'interrupted');
        } finally {
          await stopServices(next);
        }
      });
    }

    it('are left alone while another server process sharing the database is alive, and claimed by exactly one process once it falls silent', async () => {
      const services = await startServices(target);
      try {
        const { database } = services;
        const otherServer = randomUUID();
        await registerServer(database, otherServer);
        const theirs = new RandomRecordedMatch({ append: () => undefined }, seededRandom(5), { matchLength: 5 });
        for (let step = 0; step < 10; step++) theirs.step();
        await new JournalStore(ormTransactions(database), otherServer).write(theirs.entries);
        const stored = () => database.em().findOneOrFail(Match, theirs.result().matchId);
        assert.deepEqual(await orphanedMatches(database), []);
        assert.deepEqual(await takeOverOrphanedMatches(services), { resumed: 0, interrupted: 0, leftToOthers: 0 });
        assert.equal((await stored()).status, 'playing');
        await database.em().execute(`update servers set seen_at = now() - interval '2 minutes' where id = ?`, [otherServer]);
        const [orphan] = await orphanedMatches(database);
        assert.equal(orphan?.serverId, otherServer);
        const claims = await Promise.all([randomUUID(), randomUUID(), services.serverId].map((claimant, index) => claimMatch(database, orphan!, claimant, `room-${index}`)));
        assert.equal(claims.filter(Boolean).length, 1, 'one claim wins');
        assert.equal((await stored()).roomId, claims.find(Boolean), 'in a room of its own: the process gone may only have stalled, its room still open');
        assert.notEqual((await stored()).serverId, otherServer);
      } finally {
        await stopServices(services);
      }
    });

    it('refuse to resume under another DICE_KEY and are interrupted instead of rolling other dice', async () => {
      const crashed = await startServices(target);
      const unfinished = new RandomRecordedMatch(crashed.journal, seededRandom(13), { matchLength: 5 });
      for (let step = 0; step < 20; step++) unfinished.step();
      await new SeedVault(crashed.database, randomBytes(32)).keep(unfinished.fairDice, { matchLength: 5 }, null);
      await stopServices(crashed);
      const next = await startServices(target);
      try {
        // Earlier tests' matches on this database are orphaned too.
        assert.equal((await takeOverOrphanedMatches(next)).resumed, 0);
        assert.equal((await next.database.em().findOneOrFail(Match, unfinished.result().matchId)).status, 'interrupted');
      } finally {
        await stopServices(next);
      }
    });
  });
}
