import assert from 'node:assert/strict';
import { Match } from '../../src/db/entities.js';
import { openDatabase, type Database } from '../../src/db/orm.js';
import { ServerProcess, TestCluster } from '../support/server-processes.js';
import { waitUntil, type MatchClient } from '../support/match-clients.js';
import { FIRST_PORT, rejoin, playToVerifiedEnd, shownTo, startMatch, untilLogged, type PlayedMatch } from './support.js';

/** Redis database 13 unless TAVLA_RECOVERY_REDIS_DB says: emptied at the start, so not one another suite uses. */
const REDIS_DB = Number(process.env.TAVLA_RECOVERY_REDIS_DB ?? 13);
/** Matches in play when a process goes; TAVLA_RECOVERY_MATCHES=30 for the scale of the crash drill. */
const MATCHES = Number(process.env.TAVLA_RECOVERY_MATCHES ?? 4);

describe('server processes behind Redis and PostgreSQL, one killed', function () {
  this.timeout(300_000);
  let cluster: TestCluster;
  let database: Database;

  before(async function () {
    cluster = await TestCluster.start(this, 'recovery_takeover', REDIS_DB, [FIRST_PORT + 2, FIRST_PORT + 3]);
    database = await openDatabase(cluster.database.target, { migrate: false });
  });

  after(async () => {
    await database?.close();
    await cluster?.stop();
  });

  const ownerOf = async (match: PlayedMatch) => (await database.em().findOneOrFail(Match, match.matchId)).serverId;

  it('has a survivor take over each of its matches within seconds, players and spectators back and playing to a verified end', async () => {
    const [first, second] = cluster.servers as [ServerProcess, ServerProcess];
    const played: PlayedMatch[] = [];
    for (let index = 0; index < MATCHES; index++) played.push(await startMatch(index % 2 === 0 ? first : second));
    await untilLogged(first, played);
    const owners = await Promise.all(played.map(ownerOf));
    const victim = owners[0] === first.serverId ? first : second;
    const survivor = victim === first ? second : first;
    const orphaned = played.filter((_, index) => owners[index] === victim.serverId);
    const kept = played.filter((_, index) => owners[index] !== victim.serverId);

    const killedAt = Date.now();
    await victim.kill();
    for (const match of orphaned) for (const client of match.clients) client.connection.close();
    const backAfterMs: number[] = [];
    const rejoined = await Promise.all(
      orphaned.map(async (match) => {
        const clients = await rejoin(survivor, match);
        backAfterMs.push(Date.now() - killedAt);
        return clients;
      }),
    );
    for (const [index, match] of orphaned.entries()) {
      assert.equal(await ownerOf(match), survivor.serverId, 'the survivor plays it now');
      await playToVerifiedEnd(survivor, match, rejoined[index]!);
    }
    const sorted = backAfterMs.sort((a, b) => a - b);
    const percentile = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
    console.log(`      ${orphaned.length} match(es) of the killed process playable again (kill to both players and the spectator back in): p50 ${percentile(50)} ms, p99 ${percentile(99)} ms, max ${sorted.at(-1)} ms`);
    for (const match of kept) await playToVerifiedEnd(survivor, match, match.clients);
  });
});

describe('server processes behind Redis and PostgreSQL, restarted one after the other', function () {
  this.timeout(300_000);
  let cluster: TestCluster;
  let database: Database;
  const started: ServerProcess[] = [];

  before(async function () {
    cluster = await TestCluster.start(this, 'recovery_rolling', REDIS_DB + 1, [FIRST_PORT + 4, FIRST_PORT + 5]);
    database = await openDatabase(cluster.database.target, { migrate: false });
  });

  after(async () => {
    await database?.close();
    await Promise.all(started.map((server) => server.stop()));
    await cluster?.stop();
  });

  /** SIGTERM to `stopping`: the players of its matches are told where to go, and are back in on `staying` within seconds. */
  async function restart(stopping: ServerProcess, staying: ServerProcess, played: PlayedMatch[]): Promise<void> {
    const owners = await Promise.all(played.map(async (match) => (await database.em().findOneOrFail(Match, match.matchId)).serverId));
    const moving = played.filter((_, index) => owners[index] === stopping.serverId);
    const stoppedAt = Date.now();
    const stopped = stopping.stop();
    await Promise.all(
      moving.map(async (match) => {
        const [white] = match.clients as [MatchClient];
        await waitUntil(white, () => white.received.some((entry) => entry.type === 'left'), 'the room to close', 15_000);
        const told = white.received.find((entry) => entry.type === 'moving')?.message;
        assert.deepEqual(told && { matchId: told.matchId, roomId: told.roomId }, { matchId: match.matchId, roomId: match.roomId });
        match.clients = await rejoin(staying, match);
        match.shown = shownTo(white);
        console.log(`      match ${match.matchId.slice(0, 8)} back in ${Date.now() - stoppedAt} ms after SIGTERM`);
      }),
    );
    await stopped;
  }

  it('loses no match and no event, and every client is back within seconds', async () => {
    const [first, second] = cluster.servers as [ServerProcess, ServerProcess];
    const played: PlayedMatch[] = [];
    for (let index = 0; index < MATCHES; index++) played.push(await startMatch(index % 2 === 0 ? first : second));
    await untilLogged(first, played);
    await restart(first, second, played);
    const third = await ServerProcess.start(FIRST_PORT + 6, second.environment);
    started.push(third);
    await restart(second, third, played);
    for (const match of played) await playToVerifiedEnd(third, match, match.clients);
  });
});
