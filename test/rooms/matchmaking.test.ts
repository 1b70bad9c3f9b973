import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Room as ClientRoom, SeatReservation } from '@colyseus/sdk';
import { ratingWindow } from '../../src/rooms/quick-match-queue.js';
import { adopt, enter, sdkClient, waitUntil, type MatchClient, useTestServer } from '../support/match-clients.js';

interface Listing {
  roomId: string;
  name: string;
  metadata: { status: string; players: (string | null)[]; matchLength: number };
}

describe('finding a match', function () {
  this.timeout(30_000);
  const tableServer = useTestServer();
  const open = tableServer.open;

  /** Waits in the quick-match queue and follows the seat reservation into the match room. */
  async function quickMatch(name: string, rating: number, matchLength = 3, options: { diceSeed?: string } = {}): Promise<{ match: Promise<MatchClient>; queuedAt: number; queue: ClientRoom }> {
    const sdk = sdkClient(name, { rating });
    const queue = await sdk.joinOrCreate('quickmatch', { matchLength, ...options });
    open.push(queue);
    const match = new Promise<MatchClient>((resolve, reject) => {
      queue.onMessage('clients', () => undefined);
      queue.onMessage('seat', (seat: SeatReservation) => {
        sdk
          .consumeSeatReservation(seat)
          .then((room) => {
            queue.send('confirm');
            const joined = adopt(room, null);
            joined.onMessage('seat', (message: { seat: 0 | 1 }) => (joined.seat = message.seat));
            open.push(joined);
            resolve(joined);
          })
          .catch(reject);
      });
    });
    return { match, queuedAt: Date.now(), queue };
  }

  it('pairs two waiting players of close ratings into a new match with their names', async () => {
    const alice = await quickMatch('alice', 1500);
    const bob = await quickMatch('bob', 1560);
    const [aliceRoom, bobRoom] = await Promise.all([alice.match, bob.match]);
    assert.equal(aliceRoom.roomId, bobRoom.roomId);
    await waitUntil(aliceRoom, () => ['moving', 'rolling'].includes(aliceRoom.state.phase), 'the match to start');
    assert.deepEqual(aliceRoom.state.players.map((player) => player.name).sort(), ['alice', 'bob']);
    assert.equal(aliceRoom.state.matchLength, 3);
    await waitUntil(aliceRoom, () => aliceRoom.seat !== null && bobRoom.seat !== null, 'both seats');
    assert.deepEqual([aliceRoom.seat, bobRoom.seat].sort(), [0, 1]);
  });

  it("takes each player's dice seed with the quick-match join, and the match uses it", async () => {
    const seeds = ['a1'.repeat(16), 'b2'.repeat(16)];
    await assert.rejects(sdkClient('careless').joinOrCreate('quickmatch', { matchLength: 3, diceSeed: 'short' }), /diceSeed: must be 16 to 128 characters/);
    const alice = await quickMatch('alice', 1500, 3, { diceSeed: seeds[0] });
    const bob = await quickMatch('bob', 1500, 3, { diceSeed: seeds[1] });
    const [aliceRoom] = await Promise.all([alice.match, bob.match]);
    await waitUntil(aliceRoom, () => aliceRoom.received.some((entry) => entry.type === 'dice-seeds'), 'the seeds to be told');
    const notice = aliceRoom.received.find((entry) => entry.type === 'dice-seeds')!.message as { clientSeeds: string[]; drawnByServer: boolean[] };
    assert.deepEqual(notice.drawnByServer, [false, false]);
    assert.deepEqual([...notice.clientSeeds].sort(), seeds);
  });

  it('pairs a joining player with a compatible waiting one at once, not at the next cycle of the queue', async () => {
    const alice = await quickMatch('alice', 1500);
    // The queue's periodic evaluation no longer runs: only a join can pair the players.
    tableServer.server.getRoomById(alice.queue.roomId).setTimestep(() => undefined, 3_600_000);
    const bob = await quickMatch('bob', 1500);
    const [aliceRoom, bobRoom] = await Promise.all([alice.match, bob.match]);
    assert.equal(aliceRoom.roomId, bobRoom.roomId);
  });

  it('widens the rating window the longer players wait', async () => {
    assert.ok(ratingWindow(0) < 400 && ratingWindow(10) >= 400);
    const strong = await quickMatch('strong', 1900);
    const weak = await quickMatch('weak', 1500);
    const [strongRoom] = await Promise.all([strong.match, weak.match]);
    const waited = Date.now() - strong.queuedAt;
    assert.ok(waited >= 1_500, `players 400 points apart were paired only once the window had widened (after ${waited} ms)`);
    await waitUntil(strongRoom, () => strongRoom.state.players?.every((player) => player.name !== '') ?? false, 'both players');
  });

  it('keeps players who want different match lengths apart', async () => {
    const three = await quickMatch('three', 1500, 3);
    const five = await quickMatch('five', 1500, 5);
    const paired = await Promise.race([three.match.then(() => true), new Promise((resolve) => setTimeout(() => resolve(false), 1_500))]);
    assert.equal(paired, false);
    five.match.catch(() => undefined);
    three.match.catch(() => undefined);
  });

  it('reserves seats only through matchmaking: a client can neither name them nor guess a reservation', async () => {
    const mallory = sdkClient('mallory');
    const seats = ['alice', 'bob'].map((name, index) => ({ userId: randomUUID(), name, rating: 1500, sessionId: `s${index}` }));
    await assert.rejects(mallory.create('match', { reservedSeats: seats }), /Unrecognized key: "reservedSeats"/);
    await assert.rejects(mallory.create('match', { reservation: 'a-guessed-token' }), /no such seat reservation/);
  });

  it('gives a private match an invite code: only the friend with it takes the seat', async () => {
    const host = await enter(sdkClient('host').create('match', { private: true, clock: false }));
    open.push(host);
    const invite = host.received.find((entry) => entry.type === 'seat')!.message.invite as { code: string; link: string };
    assert.ok(invite.code.length >= 8);
    assert.equal(invite.link, `/match/${host.roomId}?invite=${invite.code}`);
    await assert.rejects(sdkClient('stranger').joinById(host.roomId), /INVITE_REQUIRED/, 'without the code a visitor cannot even watch');
    await assert.rejects(sdkClient('guesser').joinById(host.roomId, { invite: 'not-the-code' }), /INVITE_REQUIRED/);
    const friend = await enter(sdkClient('friend').joinById(host.roomId, { invite: invite.code }));
    open.push(friend);
    assert.equal(friend.seat, 1);
    await waitUntil(host, () => ['moving', 'rolling'].includes(host.state.phase), 'the match to start');
    assert.deepEqual(host.state.players.map((player) => player.name), ['host', 'friend']);
  });

  it('lists open matches and matches in progress in the lobby, live, and hides private ones', async () => {
    const waiting = await enter(sdkClient('ann').create('match', { matchLength: 7, clock: false }));
    const hidden = await enter(sdkClient('secret').create('match', { private: true, clock: false }));
    open.push(waiting, hidden);
    const lobby = await sdkClient().joinOrCreate('lobby', { filter: { name: 'match' } });
    open.push(lobby);
    const rooms = new Map<string, Listing>();
    lobby.onMessage('rooms', (list: Listing[]) => list.forEach((room) => rooms.set(room.roomId, room)));
    lobby.onMessage('+', ([roomId, listing]: [string, Listing]) => rooms.set(roomId, listing));
    lobby.onMessage('-', (roomId: string) => rooms.delete(roomId));
    const until = async (ready: () => boolean, what: string) => {
      const deadline = Date.now() + 5_000;
      while (!ready()) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    };
    await until(() => rooms.get(waiting.roomId)?.metadata.status === 'waiting', 'the open match');
    assert.deepEqual(rooms.get(waiting.roomId)!.metadata.players, ['ann', null]);
    assert.equal(rooms.get(waiting.roomId)!.metadata.matchLength, 7);
    assert.equal(rooms.has(hidden.roomId), false, 'a private match is not listed');
    const opponent = await enter(sdkClient('ben').joinById(waiting.roomId));
    open.push(opponent);
    await until(() => rooms.get(waiting.roomId)?.metadata.status === 'playing', 'the match to show as in progress');
    assert.deepEqual(rooms.get(waiting.roomId)!.metadata.players, ['ann', 'ben']);
  });
});
