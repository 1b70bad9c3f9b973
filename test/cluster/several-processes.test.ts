import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Client, type Room } from '@colyseus/sdk';
import { Redis } from 'ioredis';
import { TestDatabase } from '../support/database.js';
import { adopt, enter, waitUntil, type MatchClient } from '../support/match-clients.js';
import { ServerProcess } from '../support/server-processes.js';
import { requireService } from '../support/services.js';

// A Redis database of its own, emptied first: nothing else a developer runs sees these processes.
const REDIS_URL = 'redis://127.0.0.1:6379/9';
const FIRST_PORT = Number(process.env.TAVLA_TEST_PORT ?? 2568) + 100;

interface Guest {
  token: string;
  user: { id: string; name: string };
}

async function postJson(server: ServerProcess, path: string, body: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(`${server.httpUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, body: await response.json() };
}

async function guestOn(server: ServerProcess): Promise<Guest> {
  const answer = await postJson(server, '/auth/guest', {});
  assert.equal(answer.status, 200, JSON.stringify(answer.body));
  return answer.body as Guest;
}

function clientOf(server: ServerProcess, guest: Guest): Client {
  const client = new Client(server.wsUrl);
  client.auth.token = guest.token;
  return client;
}

/** The SDK's room, once the queue has matched it: the seat reservation consumed, the match room joined. */
async function quickMatch(client: Client, matchLength: number): Promise<MatchClient> {
  const queue = await client.joinOrCreate('quickmatch', { matchLength });
  const reservation = await new Promise<unknown>((resolve) => queue.onMessage('seat', resolve));
  const room = adopt(await client.consumeSeatReservation(reservation as Parameters<Client['consumeSeatReservation']>[0]), null);
  queue.send('confirm');
  await waitUntil(room, () => room.received.some((entry) => entry.type === 'seat'), 'the seat message', 10_000);
  return room;
}

describe('several server processes joined by Redis', function () {
  this.timeout(180_000);
  let database: TestDatabase;
  const servers: ServerProcess[] = [];
  const open: Room[] = [];

  before(async function () {
    await requireService(this, 'redis');
    database = await TestDatabase.create(this, 'postgresql', 'cluster');
    const redis = new Redis(REDIS_URL);
    await redis.flushdb();
    await redis.quit();
    const env = {
      DATABASE_URL: database.target.kind === 'postgresql' ? database.target.url : '',
      REDIS_URL,
      JWT_SECRET: randomBytes(32).toString('hex'),
      NODE_ENV: 'test',
    };
    // One after the other: the first brings the database's schema up to date.
    for (const port of [FIRST_PORT, FIRST_PORT + 1]) servers.push(await ServerProcess.start(port, env));
  });

  after(async () => {
    await Promise.all(open.map((room) => room.leave().catch(() => undefined)));
    await Promise.all(servers.map((server) => server.stop()));
    await database?.drop();
  });

  it('pairs two players in a quick match although they came in through different processes', async () => {
    const [first, second] = servers as [ServerProcess, ServerProcess];
    const [ann, bob] = [await guestOn(first), await guestOn(second)];
    const [annRoom, bobRoom] = await Promise.all([quickMatch(clientOf(first, ann), 3), quickMatch(clientOf(second, bob), 3)]);
    open.push(annRoom, bobRoom);
    assert.equal(annRoom.roomId, bobRoom.roomId);
    assert.deepEqual([annRoom.seat, bobRoom.seat].sort(), [0, 1]);
    await waitUntil(annRoom, () => ['rolling', 'moving'].includes(annRoom.state.phase), 'the match to start', 10_000);
  });

  it('lets an invitee, a spectator and the lobby reach a match owned by another process', async () => {
    const [first, second] = servers as [ServerProcess, ServerProcess];
    const host = await enter(clientOf(first, await guestOn(first)).create('match', { private: true, clock: false }));
    open.push(host);
    const invite = host.received.find((entry) => entry.type === 'seat')!.message.invite as { code: string };
    const friend = await enter(clientOf(second, await guestOn(second)).joinById(host.roomId, { invite: invite.code }));
    open.push(friend);
    assert.equal(friend.seat, 1);

    const open1 = await enter(clientOf(first, await guestOn(first)).create('match', { clock: false }));
    open.push(open1);
    const spectator = await enter(clientOf(second, await guestOn(second)).joinById(open1.roomId, { spectate: true }));
    open.push(spectator);
    assert.equal(spectator.seat, null);
    await waitUntil(open1, () => open1.state.spectators === 1, 'the spectator to be counted', 10_000);

    const lobby = await clientOf(second, await guestOn(second)).joinOrCreate('lobby', { filter: { name: 'match' } });
    open.push(lobby);
    const listed = await new Promise<{ roomId: string }[]>((resolve) => lobby.onMessage('rooms', resolve));
    assert.ok(listed.some((room) => room.roomId === open1.roomId), 'the lobby lists a room of the other process');
  });

  it('takes a player back after a dropped socket, through the other process', async () => {
    const [first, second] = servers as [ServerProcess, ServerProcess];
    const white = await enter(clientOf(first, await guestOn(first)).create('match', { clock: false }));
    const blackGuest = await guestOn(second);
    const black = await enter(clientOf(second, blackGuest).joinById(white.roomId));
    open.push(white);
    await waitUntil(white, () => white.state.players[1]?.connected === true, 'black to be connected', 10_000);
    const token = black.reconnectionToken;
    (black.connection.transport as unknown as { ws: { close(): void } }).ws.close();
    await waitUntil(white, () => white.state.players[1]?.connected === false, 'black to be seen gone', 10_000);
    const back = adopt(await clientOf(second, blackGuest).reconnect(token), 1);
    open.push(back);
    await waitUntil(white, () => white.state.players[1]?.connected === true, 'black to be back', 10_000);
  });

  it('counts failed log-ins across processes', async () => {
    const email = `cluster-${randomBytes(4).toString('hex')}@example.org`;
    const attempts: number[] = [];
    for (let attempt = 0; attempt < 6; attempt++) {
      const server = servers[attempt % servers.length]!;
      attempts.push((await postJson(server, '/auth/login', { email, password: 'not the password' })).status);
    }
    assert.deepEqual(attempts, [401, 401, 401, 401, 401, 429]);
  });
});
