import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Match } from '../../src/db/entities.js';
import { openDatabase, type Database } from '../../src/db/orm.js';
import { ServerProcess, TestCluster } from '../support/server-processes.js';
import { checkAll, DrillMatch, FIRST_PORT, printBackTimes, untilAllPlayed, untilPlayed, type Pace } from './support.js';

/** Redis database 13 (and 14) unless TAVLA_RECOVERY_REDIS_DB says: emptied at the start, so not one another suite uses. */
const REDIS_DB = Number(process.env.TAVLA_RECOVERY_REDIS_DB ?? 13);
/** Matches in play when a process goes (TAVLA_RECOVERY_MATCHES for another count). */
const MATCHES = Number(process.env.TAVLA_RECOVERY_MATCHES ?? 30);
/** 1-point matches whose players think 300 ms before each action (a pace that leaves a shared 2-core machine room to measure the takeover rather than its own load): they last long enough to be hit in the middle. */
const PACE: Pace = { matchLength: 1, thinkMs: Number(process.env.TAVLA_RECOVERY_THINK_MS ?? 300) };
/** A rolling restart of three processes takes a while: matches of three points see it through. */
const ROLLING_PACE: Pace = { ...PACE, matchLength: 3 };

/** Matches set up at once: all of them are soon in play together. */
const STARTS_AT_ONCE = 10;

/** `count` matches spread over `servers`, each played from its start in the background; white sends a dice seed in every other one. */
async function startDrill(servers: readonly ServerProcess[], count: number, pace: Pace, endpoints: () => readonly ServerProcess[]) {
  const matches: DrillMatch[] = [];
  const playing: Promise<void>[] = [];
  for (let first = 0; first < count; first += STARTS_AT_ONCE) {
    const indices = Array.from({ length: Math.min(STARTS_AT_ONCE, count - first) }, (_, offset) => first + offset);
    const started = await Promise.all(indices.map((index) => DrillMatch.start(servers[index % servers.length]!, pace, index % 2 === 0 ? randomBytes(8).toString('hex') : undefined)));
    matches.push(...started);
    playing.push(...started.map((match) => match.playToEnd(endpoints)));
  }
  const all = Promise.all(playing);
  // Awaited at the end of the test, where a failure prints what the servers logged.
  all.catch(() => undefined);
  return { matches, playing: all };
}

/** The server process each match is played by now, as the database says. */
async function ownersOf(database: Database, matches: readonly DrillMatch[]): Promise<(string | null)[]> {
  return Promise.all(matches.map(async (match) => (await database.em().fork().findOneOrFail(Match, match.matchId)).serverId ?? null));
}

describe('three server processes behind Redis and PostgreSQL, one killed', function () {
  this.timeout(600_000);
  let cluster: TestCluster;
  let database: Database;

  before(async function () {
    cluster = await TestCluster.start(this, 'recovery_takeover', REDIS_DB, [FIRST_PORT + 2, FIRST_PORT + 3, FIRST_PORT + 4]);
    database = await openDatabase(cluster.database.target, { migrate: false });
  });

  after(async () => {
    await database?.close();
    await cluster?.stop();
  });

  it(`has the survivors take over each of its matches within seconds, players and spectators back and playing to a verified end, no shown event missing`, async () => {
    let alive = [...cluster.servers];
    const { matches, playing } = await startDrill(cluster.servers, MATCHES, PACE, () => alive);
    await untilPlayed(matches, 8);
    const owners = await ownersOf(database, matches);
    const victim = cluster.servers.find((server) => server.serverId === owners[0])!;
    const hit = matches.filter((match, index) => owners[index] === victim.serverId && !match.over);
    alive = alive.filter((server) => server !== victim);
    const killedAt = Date.now();
    for (const match of hit) match.expectDisruption(killedAt);
    await victim.kill();
    await untilAllPlayed(playing, matches, () => cluster.servers);

    const survivors = new Set(alive.map((server) => server.serverId));
    for (const owner of await ownersOf(database, hit)) assert.ok(owner && survivors.has(owner), 'a survivor played it on');
    assert.ok(hit.every((match) => match.backAfterMs.length === 1), 'every match of the killed process was resumed');
    await checkAll(alive[0]!, matches, 'kill -9');
    printBackTimes(`kill -9 of one of 3 processes (${hit.length} of its matches), kill to playable again`, hit, killedAt, alive);
  });
});

describe('three server processes behind Redis and PostgreSQL, restarted one after the other (SIGTERM)', function () {
  this.timeout(600_000);
  let cluster: TestCluster;
  let database: Database;
  const replacements: ServerProcess[] = [];

  before(async function () {
    cluster = await TestCluster.start(this, 'recovery_rolling', REDIS_DB + 1, [FIRST_PORT + 5, FIRST_PORT + 6, FIRST_PORT + 7]);
    database = await openDatabase(cluster.database.target, { migrate: false });
  });

  after(async () => {
    await database?.close();
    await Promise.all(replacements.map((server) => server.stop()));
    await cluster?.stop();
  });

  it('loses no match and no event, and brings every client back within seconds', async () => {
    let alive = [...cluster.servers];
    const { matches, playing } = await startDrill(cluster.servers, MATCHES, ROLLING_PACE, () => alive);
    await untilPlayed(matches, 5);
    const moved: DrillMatch[] = [];
    for (const stopping of cluster.servers) {
      const owners = await ownersOf(database, matches);
      const hit = matches.filter((match, index) => owners[index] === stopping.serverId && !match.over);
      const backBefore = hit.map((match) => match.backAfterMs.length);
      alive = alive.filter((server) => server !== stopping);
      const stoppedAt = Date.now();
      for (const match of hit) match.expectDisruption(stoppedAt);
      await stopping.stop();
      // Its replacement starts while its matches find their way to the others.
      const [replacement] = await Promise.all([
        ServerProcess.start(stopping.port, stopping.environment),
        (async () => {
          const waiting = (match: DrillMatch, index: number) => match.backAfterMs.length === backBefore[index] && !match.over && match.failure === null;
          while (hit.some(waiting)) await new Promise((resolve) => setTimeout(resolve, 50));
        })(),
      ]);
      moved.push(...hit);
      replacements.push(replacement);
      alive.push(replacement);
    }
    await untilAllPlayed(playing, matches, () => [...cluster.servers, ...replacements]);
    assert.ok(moved.length > 0);
    await checkAll(alive[0]!, matches, 'rolling restart');
    printBackTimes(`rolling restart of 3 processes (${moved.length} match moves), SIGTERM to playable again`, [...new Set(moved)]);
  });
});
