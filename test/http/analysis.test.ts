import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { ColyseusTestServer } from '@colyseus/testing';
import fc from 'fast-check';
import { IN_MEMORY } from '../../src/db/orm.js';
import { encodeMatchId, positionId, startPosition, type MatchIdFields } from '../../src/engine/index.js';
import { startServices, stopServices, type Services } from '../../src/services.js';
import { clientWithToken, registerAccount, type Session } from '../support/accounts.js';
import { bootServer, enter, leaveAll, playOneStep, TEST_PORT, waitUntil, type MatchClient } from '../support/match-clients.js';

const baseUrl = `http://127.0.0.1:${TEST_PORT}`;
const START = positionId(startPosition());

async function get(path: string): Promise<{ status: number; body: any }> {
  const response = await fetch(`${baseUrl}${path}`);
  return { status: response.status, body: await response.json() };
}

async function post(body: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(`${baseUrl}/analysis`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, body: await response.json() };
}

/** A Match ID of a game in play, the fields not given as at the start of a 7-point match. */
function matchIdOf(fields: Partial<MatchIdFields>): string {
  const base: MatchIdFields = {
    cubeValue: 1,
    cubeOwner: null,
    diceOwner: 0,
    crawford: false,
    gameState: 'playing',
    turn: 0,
    doubleOffered: false,
    resignation: 'none',
    dice: null,
    matchLength: 7,
    score: [0, 0],
    jacoby: false,
  };
  return encodeMatchId({ ...base, ...fields });
}

describe('analysis over HTTP', function () {
  this.timeout(300_000);
  let services: Services;
  let server: ColyseusTestServer;

  before(async () => {
    services = await startServices({ kind: 'pglite', dataDir: IN_MEMORY }, undefined, { analysis: { threads: 1, plies: 0, sweepMs: 500 } });
    server = await bootServer(services);
  });

  after(async () => {
    await server?.shutdown();
    if (services) await stopServices(services, 2_000);
  });

  describe('POST /analysis', () => {
    it("answers a position's best plays, each with its difference to the best, and its cube decision", async () => {
      const { status, body } = await post({ positionId: START, dice: [3, 1], plies: 1 });
      assert.equal(status, 200, JSON.stringify(body));
      assert.equal(body.positionId, START);
      assert.equal(body.plies, 1);
      assert.deepEqual(body.dice, [3, 1]);
      assert.equal(body.legalPlays, 16);
      assert.equal(body.plays[0].play, '8/5 6/5');
      assert.equal(body.plays[0].difference, 0);
      assert.ok(body.plays.every((play: { difference: number }) => play.difference <= 0));
      assert.equal(body.cube.verdict, 'No double, take');
      assert.ok(body.cube.noDouble > body.cube.doubleTake, 'doubling at the start loses');
      assert.equal(body.cube.doublePass, 1);
    });

    it("reads the score, the cube and the dice from a Match ID, and the server's default depth", async () => {
      const rolled = matchIdOf({ dice: [6, 4], score: [2, 3] });
      const { status, body } = await post({ positionId: START, matchId: rolled });
      assert.equal(status, 200, JSON.stringify(body));
      assert.deepEqual(body.dice, [6, 4]);
      assert.equal(body.plies, 0);
      assert.ok(Math.abs(body.cube.matchWinningChances.doublePass - 0.5) < 1e-9, 'dropped at 5-away, 4-away: 4-away, 4-away');
      const crawford = await post({ positionId: START, matchId: matchIdOf({ score: [6, 3], crawford: true }) });
      assert.equal(crawford.body.cube, null);
      assert.match(crawford.body.cubeUnavailable, /Crawford/);
      assert.equal(crawford.body.legalPlays, null);
    });

    const refusals: [string, unknown, string, RegExp][] = [
      ['a Position ID that is not one', { positionId: 'not-a-position' }, 'INVALID_POSITION_ID', /Position ID/],
      ['a Position ID with too many checkers', { positionId: '/////////////A' }, 'INVALID_POSITION_ID', /more than 15 checkers/],
      ['no Position ID', { dice: [3, 1] }, 'VALIDATION_ERROR', /positionId/],
      ['a finished game', { positionId: positionId({ player: [15, ...new Array(25).fill(0)], opponent: startPosition().opponent }) }, 'INVALID_POSITION', /over/],
      ['a Match ID that is not one', { positionId: START, matchId: 'AAAAAAAAAAAAAAAA' }, 'INVALID_MATCH_ID', /Match ID/],
      ['a Match ID of a finished game', { positionId: START, matchId: matchIdOf({ gameState: 'over', score: [7, 3] }) }, 'INVALID_MATCH_ID', /over/],
      ['a die of 7', { positionId: START, dice: [7, 1] }, 'VALIDATION_ERROR', /dice\.0: a die shows 1 to 6/],
      ['one die', { positionId: START, dice: [3] }, 'VALIDATION_ERROR', /dice/],
      ['dice the Match ID does not have', { positionId: START, matchId: matchIdOf({ dice: [6, 4] }), dice: [5, 2] }, 'INVALID_DICE', /do not agree/],
      ['dice while a double is offered', { positionId: START, matchId: matchIdOf({ doubleOffered: true, turn: 1 }), dice: [5, 2] }, 'INVALID_DICE', /double/],
      ['3 plies', { positionId: START, plies: 3 }, 'VALIDATION_ERROR', /plies: is at most 2/],
      ['a field it does not know', { positionId: START, depth: 2 }, 'VALIDATION_ERROR', /depth/],
    ];
    it('answers any body with the analysis or a 400 that explains itself', async () => {
      const near = {
        positionId: fc.oneof(fc.constantFrom(START, '4HPwATDgc/ABMA', '/////////////A', 'AAAAAAAAAAAAAA', ''), fc.string({ maxLength: 20 }), fc.anything()),
        matchId: fc.oneof(fc.constantFrom(matchIdOf({}), matchIdOf({ dice: [3, 1] }), 'cAkAAAAAAAAA', 'AAAAAAAAAAAA'), fc.string({ maxLength: 16 }), fc.anything()),
        dice: fc.oneof(fc.tuple(fc.integer({ min: -1, max: 7 }), fc.integer({ min: 0, max: 7 })), fc.array(fc.anything(), { maxLength: 3 }), fc.anything()),
        plies: fc.oneof(fc.constantFrom(0, -1, 1.5, 3, '1', null), fc.anything()),
      };
      await fc.assert(
        fc.asyncProperty(fc.record(near, { requiredKeys: [] }), async (body) => {
          const answer = await post(body);
          const where = `${JSON.stringify(body)} -> ${answer.status} ${JSON.stringify(answer.body)}`;
          assert.ok(answer.status === 200 || answer.status === 400, where);
          if (answer.status === 400) assert.ok(typeof answer.body.error === 'string' && typeof answer.body.code === 'string', where);
        }),
        { numRuns: 150, seed: 20261205 },
      );
    });

    for (const [what, body, code, message] of refusals) {
      it(`refuses ${what} with 400 ${code}`, async () => {
        const answer = await post(body);
        assert.equal(answer.status, 400, JSON.stringify(answer.body));
        assert.equal(answer.body.code, code);
        assert.match(answer.body.error, message);
      });
    }
  });

  describe('GET /matches/:id/analysis', () => {
    let white: Session;
    let black: Session;
    let matchId: string;
    const open: MatchClient[] = [];

    before(async () => {
      [white, black] = [await registerAccount('analysed'), await registerAccount('analysed')];
      const first = await enter(clientWithToken(white.token).create('match', { matchLength: 1, cube: false, clock: false }));
      const second = await enter(clientWithToken(black.token).joinById(first.roomId));
      open.push(first, second);
      await waitUntil(first, () => first.state.phase === 'moving' || first.state.phase === 'rolling', 'the opening roll');
      while (first.state.phase !== 'over') await playOneStep([first, second]);
      matchId = (first.state as unknown as { matchId: string }).matchId;
      await services.journal.flushed();
    });

    after(() => leaveAll(open));

    it('says the analysis is pending until the game is analysed', async () => {
      const { status, body } = await get(`/matches/${matchId}/analysis`);
      assert.equal(status, 200);
      assert.equal(body.status, 'pending');
      assert.deepEqual(body.games.map((game: { status: string; decisions: unknown }) => [game.status, game.decisions]), [['pending', null]]);
    });

    it('analyses the finished match in the background, each decision beside the replay', async () => {
      services.analysis.start();
      let analysis = (await get(`/matches/${matchId}/analysis`)).body;
      for (const deadline = Date.now() + 120_000; analysis.status !== 'done'; analysis = (await get(`/matches/${matchId}/analysis`)).body) {
        assert.ok(Date.now() < deadline, 'analysed in time');
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      const [game] = analysis.games;
      assert.equal(game.status, 'done');
      assert.equal(game.plies, 0);
      const replay = (await get(`/matches/${matchId}`)).body;
      const rolls = replay.events.filter((event: { type: string; dice?: number[] }) => event.type === 'roll' || (event.type === 'opening-roll' && event.dice![0] !== event.dice![1]));
      assert.equal(game.decisions.length, rolls.length, 'one checker decision for every roll');
      for (const decision of game.decisions) {
        const shown = (await get(`/matches/${matchId}/position?after=${decision.seq}`)).body;
        if (decision.legalPlays === 0) {
          assert.equal(shown.turn, 1 - decision.seat, `the roll at ${decision.seq} without a legal play passes the turn`);
          const rolling = (await get(`/matches/${matchId}/position?after=${decision.seq - 1}`)).body;
          assert.equal(rolling.positionId, decision.positionId, `the replay shows decision ${decision.seq}'s position one entry earlier`);
          continue;
        }
        assert.equal(shown.positionId, decision.positionId, `the replay shows decision ${decision.seq}'s position`);
        assert.deepEqual(shown.dice, decision.dice);
      }
      const seats = [white, black].map((player) => analysis.players.findIndex((entry: { userId: string }) => entry.userId === player.user.id));
      assert.deepEqual([...seats].sort(), [0, 1]);
      for (const seat of [0, 1]) {
        const summary = analysis.players[seat];
        assert.equal(summary.unforcedMoves, game.decisions.filter((decision: { seat: number; counted: boolean }) => decision.seat === seat && decision.counted).length);
        assert.ok(summary.errorRate >= 0 && typeof summary.rating === 'string');
        const { name: _name, userId: _userId, ...figures } = summary;
        assert.deepEqual(game.players[seat], figures, 'one game: the match adds up to it');
      }
    });

    it("shows a player's average error rate in the statistics", async () => {
      const analysis = (await get(`/matches/${matchId}/analysis`)).body;
      const seat = analysis.players.findIndex((entry: { userId: string }) => entry.userId === white.user.id);
      const { stats } = (await get(`/users/${white.user.id}/stats`)).body;
      assert.equal(stats.analysis.games, 1);
      assert.ok(Math.abs(stats.analysis.errorRate - analysis.players[seat].errorRate) < 1e-9);
      assert.equal(stats.analysis.rating, analysis.players[seat].rating);
    });

    it('answers 404 for a match that does not exist, as GET /matches/:id does', async () => {
      const missing = await get(`/matches/${randomUUID()}/analysis`);
      assert.equal(missing.status, 404);
      assert.equal(missing.body.code, 'NO_SUCH_MATCH');
      assert.equal((await get('/matches/not-an-id/analysis')).body.code, 'INVALID_ID');
    });
  });
});
