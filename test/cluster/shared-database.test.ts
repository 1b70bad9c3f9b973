import assert from 'node:assert/strict';
import type { Room } from '@colyseus/sdk';
import { Match } from '../../src/db/entities.js';
import { openDatabase, type Database } from '../../src/db/orm.js';
import { eventsOf } from '../../src/db/records.js';
import { gnubgIds, replayMatch } from '../../src/engine/index.js';
import { enter, playOneStep, waitUntil, type MatchClient } from '../support/match-clients.js';
import { clientAt, guestAt, ServerProcess, TestCluster } from '../support/server-processes.js';

const FIRST_PORT = Number(process.env.TAVLA_TEST_PORT ?? 2568) + 120;

/** Retries `check` until it passes, for up to 5 s. */
async function eventually(check: () => Promise<void>): Promise<void> {
  const started = Date.now();
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() - started > 5_000) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

/** A started match between two guests who came in through `server`. */
async function matchOn(server: ServerProcess): Promise<MatchClient[]> {
  const white = await enter(clientAt(server, await guestAt(server)).create('match', { matchLength: 7, clock: false }));
  const black = await enter(clientAt(server, await guestAt(server)).joinById(white.roomId));
  await waitUntil(white, () => ['rolling', 'moving'].includes(white.state.phase), 'the match to start', 10_000);
  for (let step = 0; step < 6; step++) await playOneStep([white, black]);
  return [white, black];
}

describe('server processes sharing one PostgreSQL database', function () {
  this.timeout(180_000);
  let cluster: TestCluster;
  let database: Database;
  const open: Room[] = [];

  before(async function () {
    cluster = await TestCluster.start(this, 'shared_database', 11, [FIRST_PORT, FIRST_PORT + 1]);
    database = await openDatabase(cluster.database.target, { migrate: false });
  });

  after(async () => {
    await Promise.all(open.map((room) => Promise.race([room.leave().catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 2_000))])));
    await database?.close();
    await cluster?.stop();
  });

  async function stored(client: MatchClient): Promise<Match> {
    // By match id: a match taken over goes on in a room with another id.
    return database.em().findOneOrFail(Match, (client.state as unknown as { matchId: string }).matchId);
  }

  /** The stored log runs 1, 2, 3 ... and replays to the newest position either player was shown. */
  async function assertLogComplete(players: readonly MatchClient[]): Promise<void> {
    const client = players.reduce((newest, player) => (player.state.version > newest.state.version ? player : newest));
    const events = await eventsOf(database.em(), (await stored(client)).id);
    assert.deepEqual(events.map((event) => event.seq), events.map((_, index) => index + 1));
    const replayed = gnubgIds(replayMatch(events.map((event) => event.entry)));
    const shown = client.state as unknown as { positionId: string; gnubgMatchId: string };
    assert.deepEqual(replayed, { positionId: shown.positionId, matchId: shown.gnubgMatchId });
  }

  it("keeps each process's journal whole, and takes over only the matches of a process that stopped", async () => {
    const [first, second] = cluster.servers as [ServerProcess, ServerProcess];
    const matches = [await matchOn(first), await matchOn(second), await matchOn(first)];
    open.push(...matches.flat());
    // Each process writes its events within a tenth of a second.
    for (const players of matches) await eventually(() => assertLogComplete(players));
    // Rooms go to the least busy process, whichever one the client asked.
    const owners = await Promise.all(matches.map(async (players) => (await stored(players[0]!)).serverId));
    const stopping = owners[0] === first.serverId ? first : second;
    const staying = stopping === first ? second : first;
    const [cut, kept] = [matches.filter((_, index) => owners[index] === stopping.serverId), matches.filter((_, index) => owners[index] === staying.serverId)];
    assert.ok(cut.length > 0 && kept.length > 0, `matches on both processes (${owners.join(', ')})`);

    // One process stops (as PM2 stops it), just after a move: its journal is written out before it exits.
    for (const players of cut) await playOneStep(players);
    await stopping.stop();
    for (const players of cut) await assertLogComplete(players);

    // A process starting now takes over the matches of processes that are gone (if the one staying has not yet), and only those.
    const third = await ServerProcess.start(FIRST_PORT + 2, first.environment);
    try {
      for (const players of cut) {
        const match = await stored(players[0]!);
        assert.equal(match.status, 'playing');
        assert.ok([staying.serverId, third.serverId].includes(match.serverId!), 'a live process plays it on');
      }
      for (const players of kept) assert.deepEqual([(await stored(players[0]!)).status, (await stored(players[0]!)).serverId], ['playing', staying.serverId]);
      // The process still running plays on, and its journal keeps up.
      for (const players of kept) {
        await playOneStep(players);
        await eventually(() => assertLogComplete(players));
      }
    } finally {
      await third.stop();
    }
  });
});
