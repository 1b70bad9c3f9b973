import assert from 'node:assert/strict';
import {
  adopt,
  enter,
  expectError,
  nextMessage,
  playFirstPlay,
  playOneStep,
  sdkClient,
  seatToActClient,
  sendAndSettle,
  TEST_PORT,
  waitUntil,
  type MatchClient,
  useTestServer,
} from '../support/match-clients.js';
import { positionFrom, type MatchState, type Position, type Seat } from '../../src/engine/index.js';

describe('match play through a room', function () {
  this.timeout(40_000);
  const tableServer = useTestServer();
  const open = tableServer.open;

  const table = (options: Record<string, unknown> = {}) => tableServer.seatTwo(options);

  function other(players: MatchClient[], client: MatchClient): MatchClient {
    return players.find((player) => player !== client)!;
  }

  /** Sets the checkers of a match in progress, `position` seen from `seat`. */
  function placeCheckers(roomId: string, seat: Seat, position: Position): void {
    const serverRoom = tableServer.server.getRoomById(roomId) as unknown as { match: MatchState };
    serverRoom.match = { ...serverRoom.match, sides: seat === 0 ? [position.player, position.opponent] : [position.opponent, position.player] };
  }

  /** Plays the turn in progress, then returns the client now on roll (phase rolling). */
  async function finishTurn(players: MatchClient[]): Promise<MatchClient> {
    if (players[0]!.state.phase === 'moving') await playFirstPlay(seatToActClient(players));
    await Promise.all(players.map((player) => waitUntil(player, () => player.state.phase === 'rolling', 'the next player on roll')));
    return seatToActClient(players);
  }

  it('plays a 3-point match with doubles, takes, a drop, the Crawford game and post-Crawford doubling', async () => {
    const players = await table({ matchLength: 3, autoRoll: false });
    const doubler = await finishTurn(players);
    const taker = other(players, doubler);
    await sendAndSettle(players, doubler, 'double');
    assert.equal(taker.state.toAct, taker.seat, 'the doubled player must answer');
    await sendAndSettle(players, taker, 'take');
    assert.equal(doubler.state.cubeValue, 2);
    assert.equal(doubler.state.cubeOwner, taker.seat);
    assert.equal((await expectError(doubler, 'double')).code, 'INVALID_ACTION', 'the cube belongs to the taker');
    await sendAndSettle(players, doubler, 'roll');
    if (doubler.state.phase === 'moving') await playFirstPlay(doubler);
    await waitUntil(taker, () => taker.state.toAct === taker.seat && taker.state.phase === 'rolling', 'the taker on roll');
    const gameOver = nextMessage(doubler, 'game-over');
    await sendAndSettle(players, taker, 'double');
    await sendAndSettle(players, doubler, 'drop');
    assert.deepEqual({ ...(await gameOver), score: undefined }, { game: 1, winner: taker.seat, kind: 'single', points: 2, by: 'drop', score: undefined });
    await waitUntil(taker, () => taker.state.gameNumber === 2 && ['moving', 'rolling'].includes(taker.state.phase), 'the Crawford game');
    assert.equal(taker.state.score[taker.seat!], 2);
    assert.equal(taker.state.crawford, true);

    const crawfordRoller = await finishTurn(players);
    const refused = await expectError(crawfordRoller, 'double');
    assert.match(refused.message, /Crawford/);
    await sendAndSettle(players, taker, 'resign', { kind: 'single' });
    await sendAndSettle(players, doubler, 'accept');
    await waitUntil(taker, () => taker.state.gameNumber === 3 && ['moving', 'rolling'].includes(taker.state.phase), 'the first post-Crawford game');
    assert.deepEqual([...taker.state.score].sort(), [1, 2]);
    assert.equal(taker.state.crawford, false);

    const postCrawfordRoller = await finishTurn(players);
    const matchOver = nextMessage(taker, 'match-over');
    await sendAndSettle(players, postCrawfordRoller, 'double');
    await sendAndSettle(players, other(players, postCrawfordRoller), 'drop');
    if (postCrawfordRoller === taker) {
      const result = await matchOver;
      assert.equal(result.winner, taker.seat);
      assert.equal(taker.state.phase, 'over');
    } else {
      matchOver.catch(() => undefined);
      assert.deepEqual([...taker.state.score], [2, 2]);
    }
  });

  it('lets a dropped player reconnect with the token, the full state and its seat within the grace period', async () => {
    const players = await table({ matchLength: 3, reconnectSeconds: 5 });
    const [white, black] = players;
    const serverRoom = tableServer.server.getRoomById(white.roomId);
    const token = black.reconnectionToken;
    (serverRoom.clients.getById(black.sessionId)!.ref as unknown as { terminate(): void }).terminate();
    await waitUntil(white, () => white.state.players[1]!.connected === false, 'the drop to show');
    assert.equal(white.state.phase === 'over', false);
    const reloaded = adopt(await sdkClient().reconnect(token), 1);
    open.push(reloaded);
    await waitUntil(white, () => white.state.players[1]!.connected === true, 'the reconnection to show');
    await waitUntil(reloaded, () => reloaded.state.version > 0, 'the full state');
    await waitUntil(reloaded, () => reloaded.received.some((entry) => entry.type === 'seat' && entry.message.seat === 1), 'the seat, told again');
    assert.deepEqual([...reloaded.state.checkers0], [...white.state.checkers0]);
    const again = [white, reloaded];
    for (let step = 0; step < 4; step++) await playOneStep(again);
  });

  it('forfeits the match of a player who does not come back in time', async () => {
    const [white, black] = await table({ matchLength: 3, reconnectSeconds: 1 });
    const over = nextMessage(white, 'match-over', 5_000);
    (tableServer.server.getRoomById(white.roomId).clients.getById(black.sessionId)!.ref as unknown as { terminate(): void }).terminate();
    const result = await over;
    assert.equal(result.winner, 0);
    assert.equal(result.forfeitedBy, 1);
    assert.equal(white.state.phase, 'over');
  });

  it('ends the match when a clock runs out of reserve', async () => {
    const [white] = await table({ matchLength: 1, clock: { delayMs: 100, reservePerPointMs: 300 } });
    const toAct = white.state.toAct;
    const timeout = nextMessage(white, 'timeout', 5_000);
    const over = nextMessage(white, 'match-over', 5_000);
    assert.equal((await timeout).seat, toAct);
    const result = await over;
    assert.equal(result.winner, toAct === 0 ? 1 : 0);
    assert.equal(white.state.players[toAct]!.reserveMs, 0);
  });

  it('fills a seat with a bot that plays its turns through the same actions', async () => {
    const human = await enter(sdkClient().create('match', { clock: false, matchLength: 1, cube: false, bot: 'random', botDelayMs: 0 }));
    open.push(human);
    assert.equal(human.seat, 0);
    await waitUntil(human, () => human.state.players[1]!.bot && human.state.phase !== 'waiting', 'the bot to sit');
    const over = nextMessage(human, 'match-over', 30_000);
    while (human.state.phase !== 'over') {
      if (human.state.toAct === 0 && human.state.phase === 'moving') await playFirstPlay(human);
      else if (human.state.toAct === 0 && human.state.phase === 'rolling') await sendAndSettle([human], human, 'roll');
      else await new Promise((resolve) => setTimeout(resolve, 5));
    }
    assert.ok([0, 1].includes((await over).winner));
  });

  it('plays a forced play by itself when asked to', async () => {
    const players = await table({ matchLength: 1, autoPlayForced: true, autoRoll: false });
    const roller = await finishTurn(players);
    const seat = roller.seat!;
    placeCheckers(roller.roomId, seat, positionFrom({ 1: 1 }, { 1: 15 }));
    const over = nextMessage(roller, 'match-over');
    roller.send('roll');
    assert.equal((await over).winner, seat, 'the only play, bearing off the last checker, was made for the player');
  });

  it('shows a roll that could not be played after its turn passed, in a no-move message and in the state', async () => {
    const players = await table({ matchLength: 1, autoRoll: false });
    const roller = await finishTurn(players);
    const opponent = other(players, roller);
    const seat = roller.seat!;
    // On the bar against a closed board: no roll can be played.
    placeCheckers(roller.roomId, seat, positionFrom({ 25: 1, 6: 14 }, { 1: 2, 2: 2, 3: 2, 4: 2, 5: 2, 6: 5 }));
    const noMove = nextMessage(opponent, 'no-move');
    await sendAndSettle(players, roller, 'roll');
    const { dice } = await noMove;
    assert.equal((await noMove).seat, seat);
    assert.equal(opponent.state.turn, opponent.seat, 'the turn passed');
    assert.deepEqual([...opponent.state.dice], [], 'no dice of a turn in progress');
    assert.deepEqual([...opponent.state.players[seat]!.lastDice], dice);
    assert.equal(opponent.state.players[seat]!.lastDiceBlocked, true);
    await sendAndSettle(players, opponent, 'roll');
    assert.deepEqual([...roller.state.players[seat]!.lastDice], dice, "the blocked roll stays shown during the opponent's turn");
    assert.equal(roller.state.players[seat]!.lastDiceBlocked, true);
    assert.deepEqual([...roller.state.players[opponent.seat!]!.lastDice], [...roller.state.dice]);
    assert.equal(roller.state.players[opponent.seat!]!.lastDiceBlocked, false);
  });

  it('tells the match id of the HTTP API in the seat message and the state from the first patch', async () => {
    const creator = await enter(sdkClient('alice').create('match', { clock: false, matchLength: 1 }));
    open.push(creator);
    const seatMessage = creator.received.find((entry) => entry.type === 'seat')!.message;
    assert.equal(creator.state.phase, 'waiting');
    assert.match(seatMessage.matchId, /^[0-9a-f-]{36}$/);
    assert.equal(creator.state.matchId, seatMessage.matchId);
    const joiner = await enter(sdkClient('bob').joinById(creator.roomId));
    open.push(joiner);
    assert.equal(joiner.received.find((entry) => entry.type === 'seat')!.message.matchId, seatMessage.matchId);
    await waitUntil(creator, () => creator.state.phase !== 'waiting', 'the match to start');
    assert.equal(creator.state.matchId, seatMessage.matchId);
    const stored = await storedMatch(seatMessage.matchId);
    assert.equal(stored.id, seatMessage.matchId);
  });

  /** The match as the HTTP API shows it, once the journal has written it. */
  async function storedMatch(matchId: string): Promise<{ id: string }> {
    for (;;) {
      const response = await fetch(`http://127.0.0.1:${TEST_PORT}/matches/${matchId}`);
      if (response.status === 200) return (await response.json()) as { id: string };
      assert.equal(response.status, 404);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  it('offers a rematch once the match is over', async () => {
    const players = await table({ matchLength: 1 });
    const [white, black] = players;
    await sendAndSettle(players, seatToActClient(players), 'resign', { kind: 'single' });
    await sendAndSettle(players, seatToActClient(players), 'accept');
    assert.equal(white.state.phase, 'over');
    await sendAndSettle(players, white, 'rematch');
    assert.equal(black.state.players[0]!.wantsRematch, true);
    const firstCommitment = white.state.diceCommitment;
    const firstMatchId = white.state.matchId;
    black.send('rematch');
    await waitUntil(white, () => white.state.phase === 'moving' || white.state.phase === 'rolling', 'the rematch to start');
    assert.deepEqual([...white.state.score], [0, 0]);
    assert.notEqual(white.state.diceCommitment, firstCommitment, 'a new match commits to new dice');
    assert.notEqual(white.state.matchId, firstMatchId, 'a rematch is stored as a new match');
  });
});
