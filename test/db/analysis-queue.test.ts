import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { AnalysisService } from '../../src/analysis-service.js';
import { analyseGame, NO_DECISIONS, type DecisionTotals } from '../../src/bots/analysis/index.js';
import { botPlayer } from '../../src/bots/player.js';
import { analysedTotalsOf, analysesOf, CLAIM_EXPIRES_SECONDS, claimGame, MAX_ATTEMPTS, storeAnalysis, type ClaimedGame } from '../../src/db/analyses.js';
import { JournalStore } from '../../src/db/journal-store.js';
import type { Database } from '../../src/db/orm.js';
import { ormTransactions } from '../../src/db/transactions.js';
import { DATABASE_KINDS, TestDatabase } from '../support/database.js';
import { playLoggedMatch, type LoggedMatch } from '../support/logged-matches.js';

/** Two 3-point matches between 0-ply bots, the second played by invitation, and their players' accounts. */
function playedMatches(): { matches: LoggedMatch[]; players: string[] } {
  const players = [randomUUID(), randomUUID()];
  const matches = [1, 2].map((seed) =>
    playLoggedMatch({ players: [botPlayer('net0'), botPlayer('net0')], settings: { matchLength: 3 }, seed, userIds: [players[0]!, players[1]!], private: seed === 2 }),
  );
  return { matches, players };
}

function gamesOf(matches: readonly LoggedMatch[]): ClaimedGame[] {
  return matches.flatMap((match) => match.final.games.map((_, index) => ({ matchId: match.matchId, number: index + 1 })));
}

const key = (game: ClaimedGame) => `${game.matchId}/${game.number}`;

async function statuses(database: Database): Promise<Record<string, number>> {
  const rows = await database.em().execute<{ status: string; count: number }[]>('select status, count(*)::int as count from game_analyses group by status');
  return Object.fromEntries(rows.map((row) => [row.status, Number(row.count)]));
}

async function requeueAll(database: Database): Promise<void> {
  await database.em().execute(`update game_analyses set status = 'pending', claimed_by = null, claimed_at = null, attempts = 0, decisions = null`);
  await database.em().execute('delete from game_analysis_players');
}

/** Claims games until none is left. */
async function claimAll(database: Database, serverId: string): Promise<ClaimedGame[]> {
  const claimed: ClaimedGame[] = [];
  for (let game = await claimGame(database, serverId); game; game = await claimGame(database, serverId)) claimed.push(game);
  return claimed;
}

const noWait = { afterWritten: (_matchId: string, callback: () => void) => callback() };

for (const kind of DATABASE_KINDS) {
  describe(`the game analysis queue on ${kind}`, function () {
    this.timeout(300_000);
    let testDatabase: TestDatabase;
    let database: Database;
    let second: Database;
    const { matches, players } = playedMatches();
    const games = gamesOf(matches);

    before(async function () {
      testDatabase = await TestDatabase.create(this, kind, 'analysis');
      database = await testDatabase.open();
      // Another process's connections, on PostgreSQL; the embedded database has one process.
      second = kind === 'postgresql' ? await testDatabase.open() : database;
      await new JournalStore(ormTransactions(database)).write(matches.flatMap((match) => match.journal));
    });

    after(async () => {
      if (second !== database) await second?.close();
      await database?.close();
      await testDatabase?.drop();
    });

    it('queues every game with its row, once however often the row is written', async () => {
      assert.ok(games.length >= 4);
      assert.deepEqual(await statuses(database), { pending: games.length });
      await new JournalStore(ormTransactions(database)).write(matches.flatMap((match) => match.journal));
      assert.deepEqual(await statuses(database), { pending: games.length });
    });

    it('gives each game to exactly one of two processes claiming at once', async () => {
      const [first, other] = await Promise.all([claimAll(database, randomUUID()), claimAll(second, randomUUID())]);
      const claimed = [...first, ...other].map(key);
      assert.equal(new Set(claimed).size, claimed.length, 'no game was claimed twice');
      assert.deepEqual(claimed.sort(), games.map(key).sort());
      assert.deepEqual(await statuses(database), { running: games.length });
    });

    it('takes over a claim that expired, keeps the late finisher from storing, and fails a game after its attempts', async () => {
      await requeueAll(database);
      const [gone, taker] = [randomUUID(), randomUUID()];
      const claimed = (await claimGame(database, gone))!;
      await database.em().execute(`update game_analyses set status = 'done' where status = 'pending'`);
      assert.equal(await claimGame(database, taker), null, 'a fresh claim is left alone');
      await database.em().execute(`update game_analyses set claimed_at = now() - interval '1 second' * ? where status = 'running'`, [CLAIM_EXPIRES_SECONDS + 1]);
      assert.deepEqual(await claimGame(database, taker), claimed);
      const record = { plies: 0, decisions: [], players: [NO_DECISIONS, NO_DECISIONS] as const };
      assert.equal(await storeAnalysis(database, claimed, gone, record), false, 'the claim is no longer the first process\'s');
      await database.em().execute(`update game_analyses set claimed_at = now() - interval '1 second' * ?, attempts = ? where status = 'running'`, [CLAIM_EXPIRES_SECONDS + 1, MAX_ATTEMPTS]);
      assert.equal(await claimGame(database, taker), null);
      const [stored] = (await analysesOf(database.em(), claimed.matchId)).filter((game) => game.number === claimed.number);
      assert.equal(stored!.status, 'failed');
      assert.match(stored!.failure!, /did not finish in 3 attempts/);
    });

    it('analyses every game once in the background, with two services sharing the database', async () => {
      await requeueAll(database);
      const services = [new AnalysisService(database, randomUUID(), noWait, { threads: 1, plies: 0 }), new AnalysisService(second, randomUUID(), noWait, { threads: 1, plies: 0 })];
      try {
        for (const service of services) service.start();
        const deadline = Date.now() + 240_000;
        while ((await statuses(database)).done !== games.length) {
          assert.ok(Date.now() < deadline, `every game analysed in time: ${JSON.stringify(await statuses(database))}`);
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
      } finally {
        await Promise.all(services.map((service) => service.close()));
      }
      const attempts = await database.em().execute<{ attempts: number }[]>('select attempts from game_analyses');
      assert.ok(attempts.every((row) => Number(row.attempts) === 1), 'each game was claimed once');
      // The first match's games, analysed here again: the same figures as the threads stored.
      for (const match of matches.slice(0, 1)) {
        for (const stored of await analysesOf(database.em(), match.matchId)) {
          const expected = analyseGame(match.log, stored.number, 0);
          assert.equal(stored.plies, 0);
          assert.equal(stored.decisions!.length, expected.decisions.length);
          assert.deepEqual(stored.players.map(rounded), expected.players.map(rounded));
        }
      }
    });

    it("adds up a player's figures over the analysed games the viewer may see", async () => {
      const seatTotals = async (match: LoggedMatch) => (await analysesOf(database.em(), match.matchId)).map((game) => game.players[0]!);
      const [publicGames, privateGames] = [await seatTotals(matches[0]!), await seatTotals(matches[1]!)];
      const outsider = await analysedTotalsOf(database.em(), players[0]!, null);
      assert.equal(outsider.games, publicGames.length);
      assert.equal(outsider.totals.unforcedMoves, sum(publicGames, 'unforcedMoves'));
      const own = await analysedTotalsOf(database.em(), players[0]!, players[0]!);
      assert.equal(own.games, publicGames.length + privateGames.length);
      assert.equal(own.totals.rolls, sum([...publicGames, ...privateGames], 'rolls'));
      assert.ok(Math.abs(own.totals.checkerEquityLost - sum([...publicGames, ...privateGames], 'checkerEquityLost')) < 1e-9);
    });
  });
}

describe('migration 0008 on the embedded database', () => {
  it('queues the games played before it', async function () {
    this.timeout(60_000);
    const database = await (await TestDatabase.create(this, 'pglite', 'analysis-migration')).open({ migrate: false });
    try {
      await database.orm.migrator.up({ to: '0007-sealed-dice-seeds' });
      for (const number of [1, 2]) {
        await database.em().execute(
          `insert into games (match_id, number, score_before, crawford, winner, points, kind, ended_by, cube, final_position_id, moves, started_at, ended_at, duration_ms)
           values (?, ?, '[0, 0]', false, 0, 1, 'single', 'bearoff', 1, '4HPwATDgc/ABMA', 50, now(), now(), 0)`,
          [randomUUID(), number],
        );
      }
      await database.orm.migrator.up();
      assert.deepEqual(await statuses(database), { pending: 2 });
    } finally {
      await database.close();
    }
  });
});

function rounded(totals: DecisionTotals): DecisionTotals {
  return Object.fromEntries(Object.entries(totals).map(([name, value]) => [name, Math.round(value * 1e9) / 1e9])) as unknown as DecisionTotals;
}

function sum(rows: readonly DecisionTotals[], field: keyof DecisionTotals): number {
  return rows.reduce((total, row) => total + row[field], 0);
}
