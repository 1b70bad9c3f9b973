import assert from 'node:assert/strict';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { ColyseusTestServer } from '@colyseus/testing';
import type { SeatReservation } from '@colyseus/sdk';
import { BOT_NAMES } from '../../src/bots/player.js';
import { ThinkingPool } from '../../src/bots/thinking-pool.js';
import {
  adopt,
  bootServer,
  enter,
  leaveAll,
  nextMessage,
  playFirstPlay,
  sdkClient,
  sendAndSettle,
  TEST_PORT,
  waitUntil,
  type MatchClient,
} from '../support/match-clients.js';
import { sharedTestServices } from '../support/database.js';

/** The strongest level: the one whose thinking would weigh most on a room. */
const STRONGEST = 'expert';

/** Plays seat `seat` of a match against a bot to its end: rolls, first legal plays, takes every double, accepts every resignation. */
async function playAgainstBot(human: MatchClient, timeoutMs: number): Promise<{ winner: number }> {
  const over = nextMessage(human, 'match-over', timeoutMs);
  while (human.state.phase !== 'over') {
    const { phase, toAct } = human.state;
    if (toAct !== human.seat) await new Promise((resolve) => setTimeout(resolve, 5));
    else if (phase === 'moving') await playFirstPlay(human);
    else if (phase === 'rolling') await sendAndSettle([human], human, 'roll');
    else if (phase === 'doubled') await sendAndSettle([human], human, 'take');
    else if (phase === 'resigning') await sendAndSettle([human], human, 'accept');
    else await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return over;
}

/** The match's record as the HTTP API shows it, once the journal has written its end. */
async function finishedRecord(matchId: string): Promise<{ status: string; rated: boolean; winner: number | null; players: { userId: string | null }[] }> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const response = await fetch(`http://127.0.0.1:${TEST_PORT}/matches/${matchId}`);
    if (response.ok) {
      const record = (await response.json()) as { status: string; rated: boolean; winner: number | null; players: { userId: string | null }[] };
      if (record.status === 'finished') return record;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`match ${matchId} was not recorded as finished`);
}

/** Resolves once the server has no room with this id. */
async function disposed(server: ColyseusTestServer, roomId: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (roomExists(server, roomId)) {
    if (Date.now() > deadline) throw new Error(`room ${roomId} is still open`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function roomExists(server: ColyseusTestServer, roomId: string): boolean {
  return server.getRoomById(roomId) !== undefined;
}

/** Counts the turns the state shows changing hands. */
function countTurns(room: MatchClient): () => number {
  let turns = 0;
  let last = room.state.turn;
  room.onStateChange((state) => {
    if (state.turn !== last) turns += 1;
    last = state.turn;
  });
  return () => turns;
}

describe('bots in match rooms', function () {
  this.timeout(120_000);
  let server: ColyseusTestServer;
  const open: MatchClient[] = [];

  before(async () => {
    server = await bootServer();
  });
  after(async () => {
    await server.shutdown();
  });
  afterEach(async () => {
    await leaveAll(open.splice(0));
    await server.cleanup();
  });

  it(`seats the ${STRONGEST} bot in seat 1; it plays a whole match against a client, which is recorded unrated`, async () => {
    const human = await enter(sdkClient().create('match', { clock: false, matchLength: 1, bot: STRONGEST, botDelayMs: 0 }));
    open.push(human);
    assert.equal(human.seat, 0);
    await waitUntil(human, () => human.state.players[1]!.bot && human.state.phase !== 'waiting', 'the bot to sit');
    const { winner } = await playAgainstBot(human, 100_000);
    const record = await finishedRecord(human.state.matchId);
    assert.equal(record.winner, winner);
    assert.equal(record.rated, false, "a bot's match moves no rating");
    assert.equal(record.players[1]!.userId, null);
  });

  it('refuses a bot that does not exist, and two bots together with a bot for seat 1', async () => {
    await assert.rejects(sdkClient().create('match', { bot: 'grandmaster' }), /invalid match options: bot:/);
    await assert.rejects(sdkClient().create('match', { bots: ['random', 'random'], bot: 'random' }), /invalid match options: bots: two bots hold both seats/);
  });

  it('lets two bots play each other while a spectator watches; the room closes once the match is over and the spectator leaves', async () => {
    const spectator = await enter(sdkClient().create('match', { clock: false, matchLength: 1, bots: ['random', STRONGEST], botDelayMs: 0 }));
    open.push(spectator);
    assert.equal(spectator.seat, null, 'the creator of a match between bots watches it');
    assert.ok(spectator.state.players.every((player) => player.bot));
    const over = await nextMessage(spectator, 'match-over', 100_000);
    assert.equal(spectator.state.phase, 'over');
    assert.ok(roomExists(server, spectator.roomId), 'a watched room stays open after the match');
    await spectator.leave();
    await disposed(server, spectator.roomId, 5_000);
    assert.equal((await finishedRecord(spectator.state.matchId)).winner, over.winner);
  });

  it('plays a match between bots to its end with nobody watching, then closes its room', async () => {
    const creator = await enter(sdkClient().create('match', { clock: false, matchLength: 1, bots: ['beginner', 'advanced'], botDelayMs: 0 }));
    const { roomId } = creator;
    await waitUntil(creator, () => creator.state.phase !== 'waiting', 'the bots to start');
    const matchId = creator.state.matchId;
    await creator.leave();
    await disposed(server, roomId, 100_000);
    const record = await finishedRecord(matchId);
    assert.ok(record.winner === 0 || record.winner === 1);
  });

  it(`keeps its event loop free while ${STRONGEST} bots think in several matches at once`, async () => {
    const monitor = monitorEventLoopDelay({ resolution: 10 });
    const spectators = await Promise.all(
      [0, 1, 2].map(() => enter(sdkClient().create('match', { clock: false, matchLength: 1, bots: [STRONGEST, STRONGEST], botDelayMs: 0 }))),
    );
    open.push(...spectators);
    const turns = spectators.map(countTurns);
    monitor.enable();
    // Eight turns in each match: dozens of decisions, each a search on a thinking thread.
    await Promise.all(spectators.map((spectator, index) => waitUntil(spectator, () => turns[index]!() >= 8 || spectator.state.phase === 'over', 'eight turns', 100_000)));
    monitor.disable();
    const p99Ms = monitor.percentile(99) / 1e6;
    assert.ok(p99Ms < 100, `event-loop delay p99 ${p99Ms.toFixed(1)} ms`);
  });
});

describe('bots whose thinking fails', function () {
  this.timeout(60_000);

  for (const [what, pool] of [
    ['never answers', () => new ThinkingPool({ size: 1, timeoutMs: 100, script: new URL('./fixtures/silent-thinker.ts', import.meta.url) })],
    ['throws and dies', () => new ThinkingPool({ size: 1, script: new URL('./fixtures/crashing-thinker.ts', import.meta.url) })],
    ['answers with an action the engine refuses', () => new ThinkingPool({ size: 1, script: new URL('./fixtures/confused-thinker.ts', import.meta.url) })],
  ] as const) {
    it(`plays on with the first legal action when the thinking thread ${what}`, async () => {
      const thinking = pool();
      const server = await bootServer({ ...(await sharedTestServices()), thinking }, { LOG_LEVEL: 'silent' });
      const human = await enter(sdkClient().create('match', { clock: false, matchLength: 1, bot: 'random', botDelayMs: 0 }));
      try {
        const turns = countTurns(human);
        const playTurn = async () => {
          while (human.state.toAct !== 0 || human.state.phase === 'opening' || human.state.phase === 'waiting') await new Promise((resolve) => setTimeout(resolve, 5));
          if (human.state.phase === 'rolling') await sendAndSettle([human], human, 'roll');
          if (human.state.phase === 'moving' && human.state.toAct === 0) await playFirstPlay(human);
        };
        // Three of the bot's turns: each took several decisions, every one of which failed.
        while (turns() < 6 && human.state.phase !== 'over') await playTurn();
        assert.ok(turns() >= 6 || human.state.phase === 'over');
      } finally {
        await leaveAll([human]);
        await server.shutdown();
        await thinking.close();
      }
    });
  }
});

describe('quick match against a bot', function () {
  this.timeout(30_000);
  let server: ColyseusTestServer;
  const open: { leave(): Promise<unknown>; connection: { isOpen: boolean } }[] = [];

  before(async () => {
    server = await bootServer(undefined, { QUICK_MATCH_BOT_AFTER_MS: '300' });
  });
  after(async () => {
    await server.shutdown();
  });
  afterEach(async () => {
    await leaveAll(open.splice(0) as never);
    await server.cleanup();
  });

  it('offers a player who waits alone a bot after the configured wait, and says so', async () => {
    const sdk = sdkClient('lonely', { rating: 1500 });
    const queue = await sdk.joinOrCreate('quickmatch', { matchLength: 1 });
    open.push(queue);
    const joinedAt = Date.now();
    queue.onMessage('clients', () => undefined);
    const told = new Promise<{ level: string; name: string; rating: number }>((resolve) => queue.onMessage('bot', resolve));
    const seat = new Promise<SeatReservation>((resolve) => queue.onMessage('seat', resolve));
    const bot = await told;
    assert.ok(Date.now() - joinedAt >= 300, 'not before the configured wait');
    assert.ok((BOT_NAMES as readonly string[]).includes(bot.level));
    const match = adopt(await sdk.consumeSeatReservation(await seat), null);
    open.push(match);
    queue.send('confirm');
    await waitUntil(match, () => match.seat === 0 && match.state.players[1]?.bot === true && match.state.phase !== 'waiting', 'the match against the bot to start');
    assert.equal(match.state.players[1]!.name, bot.name);
    assert.equal(match.state.players[0]!.name, 'lonely');
  });
});
