import assert from 'node:assert/strict';
import { Match } from '../../src/db/entities.js';
import { eventsOf } from '../../src/db/records.js';
import { verifyFairDice, type FairRoll, type LoggedAction, type MatchLogEntry } from '../../src/engine/index.js';
import { sharedTestServices } from '../support/database.js';
import { enter, expectError, nextMessage, playOneStep, sdkClient, TEST_PORT, useTestServer, waitUntil, type MatchClient } from '../support/match-clients.js';

const WHITE_SEED = 'white-seed-0123456789abcdef';
const BLACK_SEED = 'b1ack5eed_B1ACK5EED-b1ack5eed';

describe("players' dice seeds", function () {
  this.timeout(60_000);
  const tableServer = useTestServer();
  const open = tableServer.open;

  async function join(room: Promise<unknown>): Promise<MatchClient> {
    const joined = await enter(room as Promise<MatchClient>);
    open.push(joined);
    return joined;
  }

  function messagesOf(client: MatchClient, type: string): any[] {
    return client.received.filter((entry) => entry.type === type).map((entry) => entry.message);
  }

  /** White creates a 1-point match, sending its seed as a `dice-seed` message; black joins with its seed as a join option. */
  async function seededMatch(): Promise<[MatchClient, MatchClient]> {
    const white = await join(sdkClient('alice').create('match', { clock: false, matchLength: 1, cube: false }));
    const taken = nextMessage(white, 'dice-seed');
    white.send('dice-seed', { seed: WHITE_SEED });
    assert.deepEqual(await taken, { seat: 0, seed: WHITE_SEED, commitment: white.state.diceCommitment });
    const black = await join(sdkClient('bob').joinById(white.roomId, { diceSeed: BLACK_SEED }));
    await waitUntil(white, () => ['moving', 'rolling'].includes(white.state.phase), 'the opening roll');
    await waitUntil(black, () => messagesOf(black, 'dice-seeds').length > 0, 'the seeds to be told');
    return [white, black];
  }

  async function playToTheEnd(players: MatchClient[]): Promise<any> {
    const over = nextMessage(players[0]!, 'match-over', 30_000);
    while (players[0]!.state.phase !== 'over') await playOneStep(players);
    return over;
  }

  /** The stored log of the match last played in a room. */
  async function loggedMatch(roomId: string): Promise<{ match: Match; entries: MatchLogEntry[] }> {
    const services = await sharedTestServices();
    await services.journal.flushed();
    const em = services.database.em();
    const match = await em.findOneOrFail(Match, { roomId }, { orderBy: { startedAt: 'desc' } });
    return { match, entries: (await eventsOf(em, match.id)).map((event) => event.entry) };
  }

  function rollsIn(entries: readonly MatchLogEntry[]): FairRoll[] {
    return entries.flatMap((entry) => {
      const rollIndex = (entry as LoggedAction).rollIndex;
      return rollIndex === undefined ? [] : [{ index: rollIndex, dice: (entry as { dice: FairRoll['dice'] }).dice }];
    });
  }

  it('tells both players the commitment and both seeds before the first roll', async () => {
    const [white, black] = await seededMatch();
    for (const player of [white, black]) {
      const [notice] = messagesOf(player, 'dice-seeds');
      assert.deepEqual(notice, { commitment: player.state.diceCommitment, clientSeeds: [WHITE_SEED, BLACK_SEED], drawnByServer: [false, false] });
      const types = player.received.map((entry) => entry.type);
      assert.ok(types.indexOf('dice-seeds') < types.indexOf('opening-roll'), 'the seeds come before the opening roll');
    }
    const late = await join(sdkClient('carol').joinById(white.roomId));
    await waitUntil(late, () => messagesOf(late, 'dice-seeds').length === 1, 'a spectator joining later to be told too');
  });

  it('draws a seed for a player who sent none, and says so', async () => {
    const [white] = await tableServer.seatTwo({ matchLength: 1 });
    await waitUntil(white, () => messagesOf(white, 'dice-seeds').length > 0, 'the seeds to be told');
    const [notice] = messagesOf(white, 'dice-seeds');
    assert.deepEqual(notice.drawnByServer, [true, true]);
    assert.ok(notice.clientSeeds.every((seed: string) => /^[0-9a-f]{32}$/.test(seed)));
    assert.notEqual(notice.clientSeeds[0], notice.clientSeeds[1]);
  });

  it('refuses a seed once the match has started, and a malformed seed, changing nothing', async () => {
    const [white, black] = await seededMatch();
    const late = await expectError(white, 'dice-seed', { seed: 'f'.repeat(32) });
    assert.equal(late.code, 'SEEDS_FIXED');
    assert.match(late.message, /fixed when the match started/);
    assert.equal((await expectError(black, 'dice-seed', { seed: 'too-short' })).code, 'INVALID_MESSAGE');
    assert.equal((await expectError(black, 'dice-seed', { seed: 'not base64url!'.repeat(2) })).code, 'INVALID_MESSAGE');
    await assert.rejects(sdkClient('dave').create('match', { diceSeed: 'x' }), /invalid match options: diceSeed: must be 16 to 128 characters/);
    const { match } = await loggedMatch(white.roomId);
    assert.deepEqual(match.diceClientSeeds, [WHITE_SEED, BLACK_SEED]);
  });

  it("rolls every die from both players' seeds: the log and the dice verification recompute every roll", async () => {
    const players = await seededMatch();
    const result = await playToTheEnd(players);
    assert.deepEqual(result.fairDice.clientSeeds, [WHITE_SEED, BLACK_SEED]);

    const { match, entries } = await loggedMatch(players[0]!.roomId);
    const created = entries[0]!;
    assert.equal(created.type, 'match-created');
    assert.deepEqual(created.type === 'match-created' && created.diceClientSeeds, [WHITE_SEED, BLACK_SEED], 'the log records the seeds from its start');
    const ended = entries.at(-1)!;
    assert.ok(ended.type === 'match-end');
    const rolls = rollsIn(entries);
    assert.ok(rolls.length >= 2);
    const fromLog = { serverSeed: ended.fairDice.serverSeed, commitment: created.diceCommitment, clientSeeds: created.diceClientSeeds! };
    assert.equal(verifyFairDice(fromLog, rolls).valid, true, 'the log alone reproduces every roll');
    const otherSeed = verifyFairDice({ ...fromLog, clientSeeds: ['someone-else-s-seed', BLACK_SEED] }, rolls);
    assert.ok(otherSeed.mismatches.length > 0, "another seed for white gives other dice: white's seed changes the rolls");

    const response = await fetch(`http://127.0.0.1:${TEST_PORT}/matches/${match.id}/dice`);
    const dice = (await response.json()) as { clientSeeds: string[]; rolls: FairRoll[]; verification: { valid: boolean } };
    assert.deepEqual(dice.clientSeeds, [WHITE_SEED, BLACK_SEED]);
    assert.equal(dice.rolls.length, rolls.length);
    assert.equal(dice.verification.valid, true);
  });

  it("takes seeds for a rematch after the match, against the rematch's commitment announced with the result", async () => {
    const players = await seededMatch();
    const [white, black] = players;
    const result = await playToTheEnd(players);
    assert.match(result.nextDiceCommitment, /^[0-9a-f]{64}$/);
    assert.notEqual(result.nextDiceCommitment, result.fairDice.commitment);
    const taken = nextMessage(black, 'dice-seed');
    black.send('dice-seed', { seed: 'rematch-seed-of-black' });
    assert.equal((await taken).commitment, result.nextDiceCommitment);
    const told = nextMessage(white, 'dice-seeds');
    white.send('rematch');
    black.send('rematch');
    const notice = await told;
    assert.equal(notice.commitment, result.nextDiceCommitment);
    assert.deepEqual(notice.drawnByServer, [true, false]);
    assert.equal(notice.clientSeeds[1], 'rematch-seed-of-black');
    await waitUntil(white, () => white.state.diceCommitment === result.nextDiceCommitment, 'the rematch to show its commitment');
  });
});
