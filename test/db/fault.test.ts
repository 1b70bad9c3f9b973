import assert from 'node:assert/strict';
import type { ColyseusTestServer } from '@colyseus/testing';
import pg from 'pg';
import type { Worker } from 'node:worker_threads';
import { registerGuest } from '../../src/auth/accounts.js';
import { Match, User } from '../../src/db/entities.js';
import { JournalThread } from '../../src/db/journal-thread.js';
import { eventsOf } from '../../src/db/records.js';
import type { Database } from '../../src/db/orm.js';
import { gnubgIds, replayMatch } from '../../src/engine/index.js';
import { startServices, stopServices, type Services } from '../../src/services.js';
import { TestDatabase } from '../support/database.js';
import { bootServer, enter, leaveAll, playOneStep, sdkClient, waitUntil, type MatchClient } from '../support/match-clients.js';
import { TcpProxy } from '../support/tcp-proxy.js';
import { RandomRecordedMatch } from '../support/recorded-matches.js';
import { seededRandom } from '../support/random-games.js';

describe('the database going away during live matches', function () {
  this.timeout(120_000);
  let testDatabase: TestDatabase;
  let proxy: TcpProxy;
  let services: Services;
  let server: ColyseusTestServer;
  let direct: Database;
  const open: MatchClient[] = [];

  before(async function () {
    testDatabase = await TestDatabase.create(this, 'postgresql', 'fault');
    direct = await testDatabase.open();
    proxy = await TcpProxy.start(5432);
    const url = new URL((testDatabase.target as { url: string }).url);
    url.port = String(proxy.port);
    services = await startServices({ kind: 'postgresql', url: url.toString() });
    server = await bootServer(services);
  });

  after(async () => {
    await leaveAll(open);
    await server?.shutdown();
    if (services) await stopServices(services, 2_000);
    await proxy?.close();
    await direct?.close();
    await testDatabase?.drop();
  });

  it('holds what players would see while the database is away, then shows it and stores every event exactly once, in order', async () => {
    const matches = await Promise.all([seatTwo(), seatTwo(), seatTwo()]);
    await playSteps(matches, 6);
    await services.journal.flushed();

    proxy.cut();
    const seen = () => matches.flat().map((player) => player.state.version);
    const seenBefore = seen();
    // The rooms take these actions, but nobody is shown them before they are written.
    const held = playSteps(matches.slice(0, 2), 2);
    // A match that ends while the database is away: a player leaves, and forfeits.
    const [leaver, stayer] = matches[2]!;
    await leaver.leave();
    await waitUntil(stayer, () => services.journal.failuresInARow >= 2, 'failed writes', 10_000);
    assert.ok(services.journal.pending > 0, 'events wait in the journal');
    assert.deepEqual(seen(), seenBefore, 'no player saw a change the database does not have');
    assert.notEqual(stayer.state.phase, 'over');

    proxy.restore();
    await held;
    await waitUntil(stayer, () => stayer.state.phase === 'over', 'the forfeit');
    await services.journal.flushed();
    for (const players of matches) await assertStoredExactly(players.find((player) => player.connection.isOpen)!);
    const ended = await direct.em().findOneOrFail(Match, { roomId: stayer.roomId });
    assert.equal(ended.status, 'finished');
    assert.equal(ended.forfeitedBy, leaver.seat);
    assert.equal(ended.winner, stayer.seat);
  });

  async function seatTwo(): Promise<[MatchClient, MatchClient]> {
    const white = await enter(sdkClient().create('match', { clock: false }));
    const black = await enter(sdkClient().joinById(white.roomId));
    open.push(white, black);
    await waitUntil(white, () => ['moving', 'rolling'].includes(white.state.phase), 'the opening roll');
    return [white, black];
  }

  async function playSteps(matches: readonly [MatchClient, MatchClient][], steps: number): Promise<void> {
    await Promise.all(
      matches.map(async (players) => {
        for (let step = 0; step < steps && players[0].state.phase !== 'over'; step++) await playOneStep(players);
      }),
    );
  }

  /** The stored log runs 1, 2, 3 ... with no gap, and replaying it reaches what the players see now. */
  async function assertStoredExactly(client: MatchClient): Promise<void> {
    const match = await direct.em().findOneOrFail(Match, { roomId: client.roomId });
    const events = await eventsOf(direct.em(), match.id);
    assert.deepEqual(events.map((event) => event.seq), events.map((_, index) => index + 1));
    const log = events.map((event) => event.entry);
    const replayed = replayMatch(log);
    const state = client.state as unknown as { positionId: string; gnubgMatchId: string; score: number[] };
    assert.equal(gnubgIds(replayed).positionId, state.positionId);
    assert.equal(gnubgIds(replayed).matchId, state.gnubgMatchId);
    assert.deepEqual([...replayed.score], [...state.score]);
  }
});

describe('the journal’s thread in the middle of live matches', function () {
  this.timeout(60_000);

  /** Twelve random matches played step by step into a journal; `meanwhile` runs after each round of steps. */
  async function playInto(journal: JournalThread, meanwhile: (round: number) => Promise<void>) {
    const random = seededRandom(31);
    const matches = Array.from({ length: 12 }, () => new RandomRecordedMatch(journal, random, { matchLength: 3 }));
    for (let round = 1; matches.some((match) => !match.over); round++) {
      for (const match of matches) match.step();
      await meanwhile(round);
      await new Promise((resolve) => setImmediate(resolve));
    }
    await journal.flushed();
    return matches.map((match) => match.result());
  }

  async function assertStoredOnce(database: Database, played: readonly { matchId: string; entries: readonly { kind: string }[] }[]): Promise<void> {
    for (const match of played) {
      const stored = await eventsOf(database.em(), match.matchId);
      const expected = match.entries.filter((entry) => entry.kind === 'event');
      assert.deepEqual(stored.map((event) => event.seq), expected.map((_, index) => index + 1), 'every event once, in order');
      assert.equal((await database.em().findOneOrFail(Match, match.matchId)).status, 'finished');
    }
  }

  const workerOf = (journal: JournalThread) => (journal as unknown as { connection: { worker: Worker } }).connection.worker;

  it('when it stops, is replaced by a new one that writes every event not yet written, none twice', async function () {
    const testDatabase = await TestDatabase.create(this, 'postgresql', 'journal_restart');
    const database = await testDatabase.open();
    const journal = JournalThread.start(database, { maxBatch: 40 });
    try {
      await journal.ready;
      // As a crash of the thread would: no goodbye, no last report.
      const played = await playInto(journal, async (round) => void (round === 40 && (await workerOf(journal).terminate())));
      await assertStoredOnce(database, played);
    } finally {
      await journal.close();
      await database.close();
      await testDatabase.drop();
    }
  });

  it('outlives its database connections being killed in the middle of writes: it retries, and goes on', async function () {
    const testDatabase = await TestDatabase.create(this, 'postgresql', 'journal_backends');
    const database = await testDatabase.open();
    const journal = JournalThread.start(database, { maxBatch: 40, retryMinMs: 10 });
    const admin = new pg.Client({ connectionString: (testDatabase.target as { url: string }).url });
    await admin.connect();
    try {
      await journal.ready;
      const thread = workerOf(journal);
      const killJournalConnections = () =>
        admin.query("select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'tavla journal' and datname = current_database()");
      const played = await playInto(journal, async (round) => void (round % 15 === 0 && (await killJournalConnections())));
      assert.equal(workerOf(journal), thread, 'the same thread wrote everything');
      await assertStoredOnce(database, played);
    } finally {
      await admin.end();
      await journal.close();
      await database.close();
      await testDatabase.drop();
    }
  });
});

describe('a database connection killed in the middle of a request', function () {
  this.timeout(60_000);

  it('goes back to the pool: the request fails, and the database still closes', async function () {
    const testDatabase = await TestDatabase.create(this, 'postgresql', 'killed');
    const database = await testDatabase.open();
    const admin = new pg.Client({ connectionString: (testDatabase.target as { url: string }).url });
    await admin.connect();
    try {
      const user = await registerGuest(database.em());
      // Hold the user's row so that the log-in's update waits inside the server, then kill that backend.
      await admin.query('begin');
      await admin.query('select 1 from users where id = $1 for update', [user.id]);
      const em = database.em();
      const found = await em.findOneOrFail(User, user.id);
      found.lastLoginAt = new Date();
      const flush = em.flush();
      const blocked = await waitForBlockedBackend(admin);
      await admin.query('select pg_terminate_backend($1)', [blocked]);
      await assert.rejects(flush);
      await admin.query('rollback');
      const closed = await Promise.race([database.close().then(() => true), delay(5_000).then(() => false)]);
      assert.ok(closed, 'closing waited for a connection that never came back to the pool');
    } finally {
      await admin.end();
      await testDatabase.drop();
    }
  });
});

async function waitForBlockedBackend(admin: pg.Client): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const { rows } = await admin.query<{ pid: number }>(
      "select pid from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock' and pid <> pg_backend_pid()",
    );
    if (rows[0]) return rows[0].pid;
    await delay(50);
  }
  throw new Error('the update never waited for the lock');
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
