import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  enter,
  expectError,
  nextMessage,
  playFirstPlay,
  playOneStep,
  positionOf,
  sdkClient,
  waitUntil,
  type MatchClient,
  useTestServer,
} from '../support/match-clients.js';
import { legalPlays, type Dice } from '../../src/engine/index.js';

describe('a match room', function () {
  this.timeout(30_000);
  const tableServer = useTestServer();
  const open = tableServer.open;

  const table = (options: Record<string, unknown> = {}) => tableServer.seatTwo(options);

  async function watcher(roomId: string): Promise<MatchClient> {
    const spectator = await enter(sdkClient('carol').joinById(roomId));
    open.push(spectator);
    return spectator;
  }

  function actor(players: MatchClient[]): MatchClient {
    return players.find((player) => player.seat === players[0]!.state.toAct)!;
  }

  it('seats two players, tells them their colours, and starts with the opening roll', async () => {
    const [white, black] = await table({ matchLength: 1 });
    assert.equal(white.seat, 0);
    assert.equal(black.seat, 1);
    assert.deepEqual(white.received.find((entry) => entry.type === 'seat')!.message.colour, 'white');
    assert.equal(white.state.phase, 'moving');
    assert.equal(white.state.dice.length, 2);
    assert.notEqual(white.state.dice[0], white.state.dice[1], 'the opening roll is never a double');
    assert.deepEqual(white.state.players.map((player) => player.name), ['alice', 'bob']);
    assert.ok(white.state.players.every((player) => player.connected));
    assert.equal(white.state.diceCommitment.length, 64);
  });

  it('plays a whole game from the opening roll to the end and reveals the fair-dice seed', async () => {
    const players = await table({ matchLength: 1, cube: false });
    const over = nextMessage(players[0]!, 'match-over', 25_000);
    while (players[0]!.state.phase !== 'over') await playOneStep(players);
    const result = await over;
    assert.equal(players[0]!.state.winner, result.winner);
    assert.ok(players[0]!.state.score[result.winner]! >= 1);
    const winnerBoard = result.winner === 0 ? players[0]!.state.checkers0 : players[0]!.state.checkers1;
    assert.equal(winnerBoard[0], 15, 'the winner bore off every checker');
    const seed = Buffer.from(result.fairDice.serverSeed, 'hex');
    assert.equal(createHash('sha256').update(seed).digest('hex'), players[0]!.state.diceCommitment);
  });

  it('moves, undoes and confirms one checker at a time; a confirm before the play is complete is refused', async () => {
    const players = await table();
    const mover = actor(players);
    const position = positionOf(mover.state, mover.seat!);
    const play = legalPlays(position, [...mover.state.dice] as unknown as Dice)[0]!;
    const first = play.moves[0]!;
    mover.send('move', { from: first.from, to: first.to });
    await waitUntil(mover, () => mover.state.diceLeft.length === 1, 'one die left');
    const refused = await expectError(mover, 'confirm');
    assert.equal(refused.code, 'PLAY_INCOMPLETE');
    mover.send('undo');
    await waitUntil(mover, () => mover.state.diceLeft.length === 2, 'the undo');
    await playFirstPlay(mover);
    assert.equal(mover.state.toAct, mover.seat === 0 ? 1 : 0);
  });

  it('answers every kind of invalid action with an error and changes nothing', async () => {
    const players = await table();
    const mover = actor(players);
    const waiting = players.find((player) => player !== mover)!;
    const spectator = await watcher(mover.roomId);
    const cases: [MatchClient, string, unknown, string][] = [
      [mover, 'move', { from: 'bar', to: 3 }, 'INVALID_MESSAGE'],
      [mover, 'move', { from: 30, to: 3 }, 'INVALID_MESSAGE'],
      [mover, 'move', { from: 1, to: 2, extra: true }, 'INVALID_MESSAGE'],
      [mover, 'move', 'x'.repeat(3_000), 'INVALID_MESSAGE'],
      [mover, 'teleport', { to: 0 }, 'UNKNOWN_MESSAGE'],
      [mover, 'move', { from: 1, to: 0 }, 'ILLEGAL_MOVE'],
      [mover, 'roll', undefined, 'INVALID_ACTION'],
      [mover, 'double', undefined, 'INVALID_ACTION'],
      [mover, 'take', undefined, 'INVALID_ACTION'],
      [mover, 'accept', undefined, 'INVALID_ACTION'],
      [mover, 'undo', undefined, 'NOTHING_TO_UNDO'],
      [mover, 'confirm', undefined, 'PLAY_INCOMPLETE'],
      [mover, 'rematch', undefined, 'MATCH_NOT_OVER'],
      [waiting, 'move', { from: 24, to: 23 }, 'INVALID_ACTION'],
      [waiting, 'roll', undefined, 'INVALID_ACTION'],
      [waiting, 'resign', { kind: 'everything' }, 'INVALID_MESSAGE'],
      [spectator, 'roll', undefined, 'SPECTATOR'],
      [spectator, 'move', { from: 24, to: 18 }, 'SPECTATOR'],
      [spectator, 'resign', { kind: 'single' }, 'SPECTATOR'],
    ];
    const before = JSON.stringify(mover.state.toJSON());
    for (const [client, type, payload, code] of cases) {
      const reply = await expectError(client, type, payload);
      assert.equal(reply.code, code, `${type} ${JSON.stringify(payload)?.slice(0, 40)}: ${reply.message}`);
      assert.ok(reply.message.length > 0);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(JSON.stringify(mover.state.toJSON()), before, 'the match is unchanged');
    assert.ok(players.every((player) => player.connection.isOpen), 'nobody was disconnected');
  });

  it('lets spectators watch and chat, and limits chat', async () => {
    const players = await table();
    const spectator = await watcher(players[0]!.roomId);
    await waitUntil(players[0]!, () => players[0]!.state.spectators === 1, 'the spectator count');
    const heard = nextMessage(players[0]!, 'chat');
    spectator.send('chat', { text: 'good luck' });
    assert.deepEqual({ ...(await heard), at: 0 }, { seat: -1, name: 'carol', text: 'good luck', at: 0 });
    assert.equal((await expectError(spectator, 'chat', { text: 'x'.repeat(501) })).code, 'INVALID_MESSAGE');
    assert.equal((await expectError(spectator, 'chat', { text: '   ' })).code, 'INVALID_MESSAGE');
    for (let sent = 1; sent < 5; sent++) spectator.send('chat', { text: `message ${sent}` });
    assert.equal((await expectError(spectator, 'chat', { text: 'one too many' })).code, 'CHAT_RATE_LIMITED');
  });

  it('refuses bad match and join options with a message naming the problem', async () => {
    const sdk = sdkClient();
    await assert.rejects(sdk.create('match', { matchLength: 26 }), /matchLength: Too big/);
    await assert.rejects(sdk.create('match', { clock: { delayMs: 99_999_999 } }), /delayMs must be/);
    await assert.rejects(sdk.create('match', { colour: 'green' }), /Unrecognized key/);
    const host = await enter(sdk.create('match', { clock: false }));
    open.push(host);
    await assert.rejects(sdkClient().joinById(host.roomId, { invite: 42 }), /invalid join options: invite: .*expected string/);
  });

  it('answers a sync request with the full state when the client is behind', async () => {
    const [white] = await table();
    const upToDate = nextMessage(white, 'sync');
    white.send('sync', { version: white.state.version });
    assert.equal((await upToDate).upToDate, true);
    const behind = nextMessage(white, 'sync');
    white.send('sync', { version: 0 });
    const reply = await behind;
    assert.equal(reply.upToDate, false);
    assert.equal(reply.state.version, white.state.version);
    assert.deepEqual(reply.state.checkers0, [...white.state.checkers0]);
  });
});
