import assert from 'node:assert/strict';
import { Match } from '../../src/db/entities.js';
import { openDatabase, type Database } from '../../src/db/orm.js';
import { TestCluster, type ServerProcess } from '../support/server-processes.js';
import { checkAll, DrillMatch, FIRST_PORT, printBackTimes, untilAllPlayed, untilEach, untilPlayed, type Pace } from './support.js';

/** Redis database 12 unless TAVLA_RECOVERY_STALL_REDIS_DB says: emptied at the start, so not one another suite uses. */
const REDIS_DB = Number(process.env.TAVLA_RECOVERY_STALL_REDIS_DB ?? 12);
const MATCHES = 6;
const PACE: Pace = { matchLength: 3, thinkMs: 40 };
/** Longer than the presence keys last (2 s), and the look that finds a process gone. */
const STALL_MS = 4_000;
/** How much longer the process stays stopped while the survivor's takeover finishes on a busy machine. */
const TAKEOVER_GRACE_MS = 10_000;
/** How long the drill waits for the clients to be back in and playing after a move. */
const BACK_IN_MS = 30_000;

describe('a server process that stalls longer than its presence lasts (SIGSTOP), behind Redis and PostgreSQL', function () {
  this.timeout(300_000);
  let cluster: TestCluster;
  let database: Database;

  before(async function () {
    cluster = await TestCluster.start(this, 'recovery_stall', REDIS_DB, [FIRST_PORT + 8, FIRST_PORT + 9]);
    database = await openDatabase(cluster.database.target, { migrate: false });
  });

  after(async () => {
    await database?.close();
    await cluster?.stop();
  });

  const ownerOf = async (match: DrillMatch) => (await database.em().fork().findOneOrFail(Match, match.matchId)).serverId;

  async function untilOwnedBy(matches: readonly DrillMatch[], serverId: string, deadline: number): Promise<void> {
    while (Date.now() < deadline) {
      const owners = await Promise.all(matches.map(ownerOf));
      if (owners.every((owner) => owner === serverId)) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  it('has its matches taken over; once it runs again it closes their rooms, sends their clients to the new ones, writes nothing that clashes, and plays them again when they come back to it', async () => {
    const servers = cluster.servers as [ServerProcess, ServerProcess];
    const matches = await Promise.all(Array.from({ length: MATCHES }, (_, index) => DrillMatch.start(servers[index % 2]!, PACE)));
    let alive: ServerProcess[] = [...servers];
    const playing = Promise.all(matches.map((match) => match.playToEnd(() => alive)));
    await untilPlayed(matches, 8);
    const owners = await Promise.all(matches.map(ownerOf));
    const stalled = servers.find((server) => server.serverId === owners[0])!;
    const survivor = servers.find((server) => server !== stalled)!;
    const hit = matches.filter((match, index) => owners[index] === stalled.serverId && !match.over);
    alive = [survivor];

    stalled.pause();
    await new Promise((resolve) => setTimeout(resolve, STALL_MS));
    await untilOwnedBy(hit, survivor.serverId, Date.now() + TAKEOVER_GRACE_MS);
    for (const match of hit) assert.equal(await ownerOf(match), survivor.serverId, 'the survivor took the match over while the other stalled');
    const resumedAt = Date.now();
    for (const match of hit) match.expectDisruption(resumedAt);
    stalled.resume();
    await untilEach(hit, (match) => match.rejoins.length === 1, "the clients of the stalled process to be in the survivor's rooms", BACK_IN_MS);
    const movedBack = await movedBackWhenSurvivorStops(matches, stalled, survivor, (now) => (alive = now));
    await untilAllPlayed(playing, matches, () => servers);

    for (const match of hit) {
      assert.equal(match.rejoins.length, movedBack.includes(match) ? 2 : 1);
      const [{ told, joined }] = match.rejoins as [{ told: string | null; joined: string }];
      assert.equal(told, joined, "the stalled process's room sent its clients to the survivor's room");
    }
    for (const match of movedBack) assert.equal(await ownerOf(match), stalled.serverId, 'played to its end by the process that had stalled');
    assert.ok(movedBack.some((match) => hit.includes(match)), 'a match taken from the stalled process came back to it');
    assert.match(stalled.log, /presence lapsed/);
    assert.equal((stalled.log.match(/the match moves to another room/g) ?? []).length, hit.length, 'each of its rooms closed');
    await checkAll(stalled, matches, 'SIGSTOP for 4 s, then the survivor stopped');
    printBackTimes(`a process stalled ${STALL_MS / 1000} s (${hit.length} of its matches), SIGCONT and then the survivor's SIGTERM to playable again`, hit);
    const health = await fetch(`${stalled.httpUrl}/health`);
    assert.equal(health.status, 200, 'the stalled process serves on');
  });
});

/**
 * Stops the survivor (SIGTERM) a few steps later: its matches, those it took from the stalled
 * process among them, come back to the process that stalled, whose journal refused their entries
 * before. Returns the matches moved.
 */
async function movedBackWhenSurvivorStops(matches: readonly DrillMatch[], stalled: ServerProcess, survivor: ServerProcess, setAlive: (alive: ServerProcess[]) => void): Promise<DrillMatch[]> {
  const steps = matches.map((match) => match.steps);
  await untilEach(matches, (match, index) => match.steps >= steps[index]! + 4, "a few steps in the survivor's rooms", BACK_IN_MS);
  const moving = matches.filter((match) => !match.over);
  const stoppedAt = Date.now();
  for (const match of moving) match.expectDisruption(stoppedAt);
  setAlive([stalled]);
  await survivor.stop();
  return moving;
}
