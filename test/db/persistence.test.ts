import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Game, Match, User } from '../../src/db/entities.js';
import { eventsOf } from '../../src/db/records.js';
import { JournalStore } from '../../src/db/journal-store.js';
import { JournalThread } from '../../src/db/journal-thread.js';
import { MIGRATIONS } from '../../src/db/migrations/index.js';
import type { Database } from '../../src/db/orm.js';
import { ormTransactions } from '../../src/db/transactions.js';
import { gnubgIds, replayMatch, replaySteps, type MatchLogEntry, type MatchState } from '../../src/engine/index.js';
import { DATABASE_KINDS, TestDatabase } from '../support/database.js';
import { RandomRecordedMatch, type PlayedMatch } from '../support/recorded-matches.js';
import { seededRandom } from '../support/random-games.js';

const TABLES = ['game_analyses', 'game_analysis_players', 'games', 'match_event_runs', 'matches', 'rating_changes', 'refresh_tokens', 'sealed_dice_seeds', 'servers', 'users'];

for (const kind of DATABASE_KINDS) {
  describe(`persistence on ${kind}`, function () {
    this.timeout(180_000);
    let testDatabase: TestDatabase;
    let database: Database;

    before(async function () {
      testDatabase = await TestDatabase.create(this, kind, 'persistence');
      database = await testDatabase.open({ migrate: false });
    });

    after(async () => {
      await database?.close();
      await testDatabase?.drop();
    });

    describe('migrations', () => {
      it('build every table in an empty database, and a second run changes nothing', async () => {
        assert.deepEqual(await tableNames(database), []);
        const applied = await database.orm.migrator.up();
        assert.deepEqual(applied.map((migration) => migration.name), ['0001-initial', '0002-event-runs', '0003-live-servers', '0004-private-matches', '0005-truthful-rated-flag', '0006-admin-accounts', '0007-sealed-dice-seeds', '0008-game-analyses']);
        assert.deepEqual(await tableNames(database), TABLES);
        assert.deepEqual(await database.orm.migrator.up(), []);
      });

      it('leave the schema exactly as the entities describe it', async () => {
        const difference = await database.orm.schema.getUpdateSchemaSQL({ wrap: false });
        assert.equal(difference.trim(), '');
      });
    });

    describe('entities', () => {
      it('store and load a user, with names unique whatever their case', async () => {
        const now = new Date();
        const fields = { email: null, passwordHash: null, guest: true, rating: 1500, experience: 0, createdAt: now, lastLoginAt: now };
        const em = database.em();
        const id = randomUUID();
        em.create(User, { id, name: 'Ann', nameKey: 'ann', ...fields });
        await em.flush();
        const loaded = await database.em().findOneOrFail(User, id);
        assert.equal(loaded.name, 'Ann');
        assert.equal(loaded.guest, true);
        assert.equal(loaded.createdAt.getTime(), now.getTime());
        const duplicate = database.em();
        duplicate.create(User, { id: randomUUID(), name: 'ANN', nameKey: 'ann', ...fields });
        await assert.rejects(duplicate.flush(), /unique|duplicate/i);
      });
    });

    describe('the match journal', () => {
      it('keeps each match’s events in order while many matches write at once', async () => {
        const queue = journalQueue(database, 50);
        const random = seededRandom(7);
        const matches = Array.from({ length: 40 }, () => new RandomRecordedMatch(queue, random, { matchLength: 3 }));
        while (matches.some((match) => !match.over)) {
          for (const match of matches) match.step();
          // Let the queue write while the matches go on, as rooms and the writer share one event loop.
          await new Promise((resolve) => setImmediate(resolve));
        }
        await queue.written();
        for (const played of matches.map((match) => match.result())) {
          const stored = await storedLog(database, played.matchId);
          const expected = played.entries.filter((entry) => entry.kind === 'event');
          assert.deepEqual(stored.map((event) => event.seq), expected.map((_, index) => index + 1));
          assert.deepEqual(stored.map((event) => event.type), expected.map((event) => event.type));
        }
      });

      it('keeps the server thread’s own transactions apart from the journal’s, committed or rolled back', async () => {
        const queue = journalQueue(database, 100);
        const random = seededRandom(13);
        const journalled = Array.from({ length: 8 }, () => new RandomRecordedMatch(queue, random, { matchLength: 1 }).playOut());
        const direct = Array.from({ length: 8 }, () => new RandomRecordedMatch({ append: () => undefined }, random, { matchLength: 1 }).playOut());
        const transactions = ormTransactions(database);
        const store = new JournalStore(transactions);
        const abandonedId = randomUUID();
        const abandoned = transactions.transaction(async (sql) => {
          await sql.query(`insert into users (id, name, name_key, guest, rating, experience, created_at, last_login_at) values ($1, 'Gone', 'gone', true, 1500, 0, now(), now())`, [abandonedId]);
          await new Promise((resolve) => setTimeout(resolve, 20));
          throw new Error('abandoned on purpose');
        });
        await Promise.all([...direct.map((match) => store.write(match.entries)), assert.rejects(abandoned, /abandoned on purpose/), queue.written()]);
        assert.equal(await database.em().count(User, { id: abandonedId }), 0);
        for (const match of [...journalled, ...direct]) {
          const events = match.entries.filter((entry) => entry.kind === 'event');
          assert.equal((await storedLog(database, match.matchId)).length, events.length);
          assert.equal((await database.em().findOneOrFail(Match, match.matchId)).status, 'finished');
        }
      });

      it('writes a batch twice without duplicating anything', async () => {
        const played = new RandomRecordedMatch({ append: () => undefined }, seededRandom(11), { matchLength: 1 }).playOut();
        const store = new JournalStore(ormTransactions(database));
        await store.write(played.entries);
        await store.write(played.entries);
        assert.equal((await storedLog(database, played.matchId)).length, played.entries.filter((entry) => entry.kind === 'event').length);
        assert.equal(await database.em().count(Game, { matchId: played.matchId }), played.final.games.length);
      });

      it('replays 1,000 random complete games to the exact final Position ID of each', async () => {
        const queue = journalQueue(database, 500);
        const random = seededRandom(2026);
        const played: PlayedMatch[] = [];
        let games = 0;
        while (games < 1000) {
          const match = new RandomRecordedMatch(queue, random, { matchLength: 1 + Math.floor(random() * 5) }).playOut();
          played.push(match);
          games += match.final.games.length;
        }
        await queue.written();
        let replayedGames = 0;
        for (const match of played) {
          const log = await storedLog(database, match.matchId);
          assert.deepEqual(finalPositionsByReplay(log), match.finalPositionIds);
          const stored = await database.em().find(Game, { matchId: match.matchId }, { orderBy: { number: 'asc' } });
          assert.deepEqual(stored.map((game) => game.finalPositionId), match.finalPositionIds);
          assertSameMatch(replayMatch(log), match.final);
          replayedGames += match.finalPositionIds.length;
        }
        assert.ok(replayedGames >= 1000, `${replayedGames} games replayed`);
      });

      it('stores the result of every finished match and game', async () => {
        const played = new RandomRecordedMatch({ append: () => undefined }, seededRandom(5), { matchLength: 5 }).playOut();
        const queue = journalQueue(database);
        for (const entry of played.entries) queue.append(entry);
        await queue.written();
        const match = await database.em().findOneOrFail(Match, played.matchId);
        assert.equal(match.status, 'finished');
        assert.deepEqual([match.score0, match.score1], played.final.score);
        assert.equal(match.winner, played.final.winner);
        assert.ok(match.diceServerSeed?.match(/^[0-9a-f]{64}$/));
        const games = await database.em().find(Game, { matchId: played.matchId }, { orderBy: { number: 'asc' } });
        assert.equal(games.length, played.final.games.length);
        games.forEach((game, index) => {
          const outcome = played.final.games[index]!.outcome!;
          assert.equal(game.winner, outcome.winner);
          assert.equal(game.points, outcome.points);
          assert.equal(game.kind, outcome.kind);
          assert.equal(game.endedBy, outcome.by);
          assert.ok(game.moves > 0 || outcome.by !== 'bearoff');
        });
      });
    });
  });
}

/** The server's journal, on its own thread; `written()` waits for it to empty, stops it and checks that no write failed. */
function journalQueue(database: Database, maxBatch = 200) {
  const failures: string[] = [];
  const journal = JournalThread.start(database, { maxBatch, onError: (message) => failures.push(message) });
  return {
    append: journal.append.bind(journal),
    async written() {
      await journal.flushed();
      await journal.close();
      assert.deepEqual(failures, [], 'no journal write failed');
    },
  };
}

async function tableNames(database: Database): Promise<string[]> {
  const rows = await database.em().execute<{ name: string }[]>(
    "select table_name as name from information_schema.tables where table_schema = 'public' and table_name <> 'mikro_orm_migrations' order by 1",
  );
  return rows.map((row) => row.name);
}

async function storedLog(database: Database, matchId: string): Promise<(MatchLogEntry & { seq: number })[]> {
  const events = await eventsOf(database.em(), matchId);
  return events.map((event) => ({ ...event.entry, seq: event.seq }));
}

/** The Position ID each game ended on, found by replaying the log: the position just before the game-ending action. */
function finalPositionsByReplay(log: readonly MatchLogEntry[]): string[] {
  const positions: string[] = [];
  const states = [...replaySteps(log)];
  log.forEach((entry, index) => {
    if (entry.type !== 'game-end') return;
    // The entry before game-end is the action that ended the game; the state before it is the final position.
    positions.push(gnubgIds(states[index - 2]!).positionId);
  });
  return positions;
}

function assertSameMatch(replayed: MatchState, live: MatchState): void {
  assert.deepEqual(replayed.score, live.score);
  assert.equal(replayed.phase, live.phase);
  assert.equal(replayed.winner, live.winner);
  assert.deepEqual(replayed.games, live.games);
}
