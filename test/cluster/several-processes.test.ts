import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { Client, Room } from '@colyseus/sdk';
import { adopt, enter, waitUntil, type MatchClient } from '../support/match-clients.js';
import { clientAt, guestAt, postJsonTo, TestCluster, type ServerProcess } from '../support/server-processes.js';

const FIRST_PORT = Number(process.env.TAVLA_TEST_PORT ?? 2568) + 100;

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
  let cluster: TestCluster;
  let servers: ServerProcess[] = [];
  const open: Room[] = [];

  before(async function () {
    cluster = await TestCluster.start(this, 'cluster', 9, [FIRST_PORT, FIRST_PORT + 1]);
    servers = cluster.servers;
  });

  after(async () => {
    await Promise.all(open.map((room) => room.leave().catch(() => undefined)));
    await cluster?.stop();
  });

  it('pairs two players in a quick match although they came in through different processes', async () => {
    const [first, second] = servers as [ServerProcess, ServerProcess];
    const [ann, bob] = [await guestAt(first), await guestAt(second)];
    const [annRoom, bobRoom] = await Promise.all([quickMatch(clientAt(first, ann), 3), quickMatch(clientAt(second, bob), 3)]);
    open.push(annRoom, bobRoom);
    assert.equal(annRoom.roomId, bobRoom.roomId);
    assert.deepEqual([annRoom.seat, bobRoom.seat].sort(), [0, 1]);
    await waitUntil(annRoom, () => ['rolling', 'moving'].includes(annRoom.state.phase), 'the match to start', 10_000);
  });

  it('lets an invitee, a spectator and the lobby reach a match owned by another process', async () => {
    const [first, second] = servers as [ServerProcess, ServerProcess];
    const host = await enter(clientAt(first, await guestAt(first)).create('match', { private: true, clock: false }));
    open.push(host);
    const invite = host.received.find((entry) => entry.type === 'seat')!.message.invite as { code: string };
    const friend = await enter(clientAt(second, await guestAt(second)).joinById(host.roomId, { invite: invite.code }));
    open.push(friend);
    assert.equal(friend.seat, 1);

    const open1 = await enter(clientAt(first, await guestAt(first)).create('match', { clock: false }));
    open.push(open1);
    const spectator = await enter(clientAt(second, await guestAt(second)).joinById(open1.roomId, { spectate: true }));
    open.push(spectator);
    assert.equal(spectator.seat, null);
    await waitUntil(open1, () => open1.state.spectators === 1, 'the spectator to be counted', 10_000);

    const lobby = await clientAt(second, await guestAt(second)).joinOrCreate('lobby', { filter: { name: 'match' } });
    open.push(lobby);
    const listed = await new Promise<{ roomId: string }[]>((resolve) => lobby.onMessage('rooms', resolve));
    assert.ok(listed.some((room) => room.roomId === open1.roomId), 'the lobby lists a room of the other process');
  });

  it('takes a player back after a dropped socket, through the other process', async () => {
    const [first, second] = servers as [ServerProcess, ServerProcess];
    const white = await enter(clientAt(first, await guestAt(first)).create('match', { clock: false }));
    const blackGuest = await guestAt(second);
    const black = await enter(clientAt(second, blackGuest).joinById(white.roomId));
    open.push(white);
    await waitUntil(white, () => white.state.players[1]?.connected === true, 'black to be connected', 10_000);
    const token = black.reconnectionToken;
    (black.connection.transport as unknown as { ws: { close(): void } }).ws.close();
    await waitUntil(white, () => white.state.players[1]?.connected === false, 'black to be seen gone', 10_000);
    const back = adopt(await clientAt(second, blackGuest).reconnect(token), 1);
    open.push(back);
    await waitUntil(white, () => white.state.players[1]?.connected === true, 'black to be back', 10_000);
  });

  it('counts failed log-ins across processes, also when they arrive at the same moment', async () => {
    const email = `cluster-${randomBytes(4).toString('hex')}@example.org`;
    const attempts: number[] = [];
    for (let attempt = 0; attempt < 6; attempt++) {
      const server = servers[attempt % servers.length]!;
      attempts.push((await postJsonTo(server, '/auth/login', { email, password: 'not the password' })).status);
    }
    assert.deepEqual(attempts, [401, 401, 401, 401, 401, 429]);
    const together = `cluster-${randomBytes(4).toString('hex')}@example.org`;
    const statuses = await Promise.all(
      Array.from({ length: 12 }, (_, index) => postJsonTo(servers[index % servers.length]!, '/auth/login', { email: together, password: 'not the password' })),
    );
    assert.deepEqual(statuses.map((answer) => answer.status).sort(), [...Array(5).fill(401), ...Array(7).fill(429)]);
  });
});
