import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { JournalStore, ownedMatchesSql } from '../../src/db/journal-store.js';
import { registerServer } from '../../src/db/live-servers.js';
import type { Database } from '../../src/db/orm.js';
import { ormTransactions } from '../../src/db/transactions.js';
import { TestDatabase } from '../support/database.js';
import { RandomRecordedMatch } from '../support/recorded-matches.js';
import { seededRandom } from '../support/random-games.js';

const MATCHES = 400;

describe("the journal's check of which matches a process plays, on postgresql", function () {
  this.timeout(60_000);
  let testDatabase: TestDatabase;
  let database: Database;

  before(async function () {
    testDatabase = await TestDatabase.create(this, 'postgresql', 'journal_plan');
    database = await testDatabase.open();
  });

  after(async () => {
    await database?.close();
    await testDatabase?.drop();
  });

  /** Starts `MATCHES` matches played by the server in one journal batch; their ids. */
  async function startMatches(serverId: string, seed: number): Promise<string[]> {
    await registerServer(database, serverId);
    const random = seededRandom(seed);
    const matches = Array.from({ length: MATCHES }, () => new RandomRecordedMatch({ append: () => undefined }, random));
    await new JournalStore(ormTransactions(database), serverId).write(matches.flatMap((match) => match.entries));
    return matches.map((match) => match.result().matchId);
  }

  it('finds the rows by id, not by reading every match of the process', async () => {
    await startMatches(randomUUID(), 11);
    await ormTransactions(database).statement('analyze matches', []);
    // A process started since the statistics were taken: its id is not in them.
    const serverId = randomUUID();
    const ids = await startMatches(serverId, 12);
    const asked = ids.slice(0, 8).map((id) => `'${id}'`).join(',');
    const plan = await ormTransactions(database).statement<{ 'QUERY PLAN': unknown }>(
      `explain (format json) ${ownedMatchesSql(`array[${asked}]::uuid[]`, `'${serverId}'`)}`,
      [],
    );
    const text = JSON.stringify(plan);
    assert.match(text, /matches_pkey/, text);
    assert.doesNotMatch(text, /matches_server_id_index/, text);
  });
});
