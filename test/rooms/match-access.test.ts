import assert from 'node:assert/strict';
import type { ColyseusTestServer } from '@colyseus/testing';
import { sharedTestServices } from '../support/database.js';
import { bootServer, enter, expectError, leaveAll, nextMessage, sdkClient, TEST_PORT, waitUntil, type MatchClient } from '../support/match-clients.js';

/** A spectator cap above the 52 connections a match room used to admit in all. */
const MAX_SPECTATORS = 60;

describe('who may enter a match room', function () {
  this.timeout(60_000);
  let server: ColyseusTestServer;
  const open: MatchClient[] = [];

  before(async () => {
    server = await bootServer(undefined, { MAX_SPECTATORS_PER_MATCH: String(MAX_SPECTATORS) });
  });

  after(async () => {
    await server.shutdown();
  });

  afterEach(async () => {
    await leaveAll(open.splice(0));
    await server.cleanup();
  });

  async function join(room: Promise<unknown>): Promise<MatchClient> {
    const joined = await enter(room as Promise<MatchClient>);
    open.push(joined);
    return joined;
  }

  /** A match of two seated players (bob drops out of it quickly when told to). */
  async function startedMatch(options: Record<string, unknown> = {}): Promise<{ white: MatchClient; black: MatchClient; invite: string | undefined }> {
    const white = await join(sdkClient('alice').create('match', { clock: false, reconnectSeconds: 60, ...options }));
    const invite = white.received.find((entry) => entry.type === 'seat')!.message.invite?.code as string | undefined;
    const black = await join(sdkClient('bob').joinById(white.roomId, invite ? { invite } : {}));
    await waitUntil(white, () => ['moving', 'rolling'].includes(white.state.phase), 'the opening roll');
    return { white, black, invite };
  }

  describe('a private match', () => {
    it('admits no spectator without its invite code, one with it, and stays out of the list of matches', async () => {
      const { white, invite } = await startedMatch({ private: true });
      assert.ok(invite, 'the creator of a private match gets an invite code');
      await assert.rejects(sdkClient('stranger').joinById(white.roomId), /INVITE_REQUIRED: watching this match needs its invite code/);
      await assert.rejects(sdkClient('stranger').joinById(white.roomId, { invite: 'a-guess' }), /INVITE_REQUIRED/);
      assert.equal(white.state.spectators, 0, 'a refused join leaves nobody watching');
      const friend = await join(sdkClient('friend').joinById(white.roomId, { invite }));
      assert.equal(friend.seat, null, 'the code lets a third account watch');
      await waitUntil(white, () => white.state.spectators === 1, 'the spectator to be counted');
      await (await sharedTestServices()).journal.flushed();
      const listed = (await (await fetch(`http://127.0.0.1:${TEST_PORT}/matches?status=playing&pageSize=100`)).json()) as { items: { roomId: string }[] };
      assert.ok(!listed.items.some((match) => match.roomId === white.roomId), 'the private match is not listed');
    });

    it("admits anyone to watch when its creator chose spectators: 'anyone'", async () => {
      const { white } = await startedMatch({ private: true, spectators: 'anyone' });
      const stranger = await join(sdkClient('stranger').joinById(white.roomId));
      assert.equal(stranger.seat, null);
      const chat = nextMessage(white, 'chat');
      stranger.send('chat', { text: 'good luck' });
      assert.equal((await chat).text, 'good luck');
    });

    it('keeps its free seat for the invite code even when anyone may watch', async () => {
      const host = await join(sdkClient('alice').create('match', { clock: false, private: true, spectators: 'anyone' }));
      const stranger = await join(sdkClient('stranger').joinById(host.roomId));
      assert.equal(stranger.seat, null, 'without the code a visitor only watches');
      assert.equal(host.state.phase, 'waiting');
    });
  });

  describe('a public match', () => {
    it('admits anyone to watch', async () => {
      const { white } = await startedMatch();
      assert.equal((await join(sdkClient('stranger').joinById(white.roomId))).seat, null);
    });

    it("needs the invite code to watch when its creator chose spectators: 'invite'", async () => {
      const { white, invite } = await startedMatch({ spectators: 'invite' });
      assert.ok(invite, 'the creator gets the code to share');
      await assert.rejects(sdkClient('stranger').joinById(white.roomId), /INVITE_REQUIRED/);
      assert.equal((await join(sdkClient('friend').joinById(white.roomId, { invite }))).seat, null);
    });

    it('rejects a spectators option other than invite or anyone', async () => {
      await assert.rejects(sdkClient().create('match', { spectators: 'nobody' }), /invalid match options: spectators/);
    });
  });

  describe('spectators and seats', () => {
    it(`admits ${MAX_SPECTATORS} spectators, refuses the next, and still lets a dropped player back in from another device`, async () => {
      const { white, black } = await startedMatch();
      const watchers = await Promise.all(Array.from({ length: MAX_SPECTATORS }, (_, index) => join(sdkClient(`watcher-${index}`).joinById(white.roomId))));
      assert.ok(watchers.every((watcher) => watcher.seat === null));
      await waitUntil(white, () => white.state.spectators === MAX_SPECTATORS, 'every spectator to be counted');
      await assert.rejects(sdkClient('one-too-many').joinById(white.roomId), /SPECTATORS_FULL: this match has 60 spectators, as many as it admits/);

      const room = server.getRoomById(white.roomId);
      (room.clients.getById(black.sessionId)!.ref as unknown as { terminate(): void }).terminate();
      await waitUntil(white, () => white.state.players[1]!.connected === false, 'the drop to show');
      const phone = await join(sdkClient('bob').joinById(white.roomId));
      assert.equal(phone.seat, 1, 'the player takes the seat back from a new device');
      await waitUntil(white, () => white.state.players[1]!.connected, 'the player to be back');
      assert.notEqual(white.state.phase, 'over', 'nobody forfeited');
    });

    it('lets an account watch from one connection: its newest takes the place of the one before, even when the match is full', async () => {
      const { white } = await startedMatch();
      const watchers = await Promise.all(Array.from({ length: MAX_SPECTATORS }, (_, index) => join(sdkClient(`fan-${index}`).joinById(white.roomId))));
      await waitUntil(white, () => white.state.spectators === MAX_SPECTATORS, 'every spectator to be counted');
      const first = watchers[0]!;
      const second = await join(sdkClient('fan-0').joinById(white.roomId));
      assert.equal(second.seat, null);
      await waitUntil(first, () => first.received.some((entry) => entry.type === 'left'), 'the older connection to be closed');
      const left = first.received.find((entry) => entry.type === 'left')!.message;
      assert.equal(left.code, 4000);
      assert.match(String(left.reason), /this account watches this match from another connection now/);
      await waitUntil(white, () => white.state.spectators === MAX_SPECTATORS, 'the count to stay the same');
      const chat = nextMessage(white, 'chat');
      second.send('chat', { text: 'still here' });
      assert.equal((await chat).text, 'still here');
    });

    it('refuses a dice seed from a spectator', async () => {
      const { white } = await startedMatch();
      const watcher = await join(sdkClient('carol').joinById(white.roomId));
      assert.equal((await expectError(watcher, 'dice-seed', { seed: 'a'.repeat(32) })).code, 'SPECTATOR');
    });
  });
});
