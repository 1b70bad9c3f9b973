import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { ColyseusTestServer } from '@colyseus/testing';
import { RatingChange } from '../../src/db/entities.js';
import { clientWithToken, registerAccount, type Session } from '../support/accounts.js';
import { sharedTestServices } from '../support/database.js';
import { bootServer, enter, leaveAll, playOneStep, TEST_PORT, waitUntil, type MatchClient } from '../support/match-clients.js';

const baseUrl = `http://127.0.0.1:${TEST_PORT}`;

async function get(path: string, viewer?: Session): Promise<{ status: number; body: any }> {
  const response = await fetch(`${baseUrl}${path}`, { headers: viewer ? { authorization: `Bearer ${viewer.token}` } : {} });
  return { status: response.status, body: await response.json() };
}

describe('a private match in the HTTP API', function () {
  this.timeout(60_000);
  let server: ColyseusTestServer;
  let host: Session;
  let friend: Session;
  let stranger: Session;
  let matchId: string;
  const open: MatchClient[] = [];

  before(async () => {
    server = await bootServer();
    [host, friend, stranger] = [await registerAccount('host'), await registerAccount('friend'), await registerAccount('stranger')];
    const white = await enter(clientWithToken(host.token).create('match', { private: true, matchLength: 1, cube: false, clock: false }));
    const invite = white.received.find((entry) => entry.type === 'seat')!.message.invite.code as string;
    const black = await enter(clientWithToken(friend.token).joinById(white.roomId, { invite }));
    open.push(white, black);
    await waitUntil(white, () => ['rolling', 'moving'].includes(white.state.phase), 'the match to start');
    while (white.state.phase !== 'over') await playOneStep([white, black]);
    matchId = (white.state as unknown as { matchId: string }).matchId;
    const services = await sharedTestServices();
    await services.journal.flushed();
    // Whether or not the rules rated this match, a rating change of it must not name it to others.
    const em = services.database.em();
    if (!(await em.findOne(RatingChange, { userId: host.user.id, matchId }))) {
      em.create(RatingChange, { id: randomUUID(), userId: host.user.id, matchId, before: 1500, after: 1500, experienceBefore: 0, at: new Date() });
      await em.flush();
    }
  });

  after(async () => {
    await leaveAll(open);
    await server.shutdown();
  });

  it('is shown to its two players only', async () => {
    for (const viewer of [undefined, stranger]) {
      assert.equal((await get(`/matches/${matchId}`, viewer)).status, 404);
      assert.equal((await get(`/matches/${matchId}/position?after=1`, viewer)).status, 404);
      assert.equal((await get(`/matches/${matchId}/mat`, viewer)).status, 404);
      assert.equal((await get(`/matches/${matchId}/analysis`, viewer)).status, 404);
      const hostsMatches = await get(`/users/${host.user.id}/matches?pageSize=100`, viewer);
      assert.ok(!hostsMatches.body.items.some((match: { id: string }) => match.id === matchId));
      const ratings = await get(`/users/${host.user.id}/ratings`, viewer);
      assert.ok(ratings.body.history.length > 0 && ratings.body.history.every((change: { matchId: string | null }) => change.matchId !== matchId));
    }
    for (const player of [host, friend]) {
      assert.equal((await get(`/matches/${matchId}`, player)).status, 200);
      assert.equal((await get(`/matches/${matchId}/analysis`, player)).status, 200);
      const hostsMatches = await get(`/users/${host.user.id}/matches?pageSize=100`, player);
      assert.ok(hostsMatches.body.items.some((match: { id: string }) => match.id === matchId));
    }
    const ownRatings = await get(`/users/${host.user.id}/ratings`, host);
    assert.ok(ownRatings.body.history.some((change: { matchId: string | null }) => change.matchId === matchId));
    const forged = await fetch(`${baseUrl}/matches/${matchId}`, { headers: { authorization: 'Bearer forged.token.value' } });
    assert.equal(forged.status, 404, 'a bad token is no viewer: the private match does not exist for it');
    assert.equal((await get(`/users/${host.user.id}/stats`, stranger)).body.stats.matches.played, 0);
    assert.equal((await get(`/users/${host.user.id}/stats`)).body.stats.games.played, 0);
    assert.equal((await get(`/users/${host.user.id}/stats`, friend)).body.stats.matches.played, 1);
    const finished = await get('/matches?status=finished&pageSize=100');
    assert.ok(!finished.body.items.some((match: { id: string }) => match.id === matchId));
  });
});
