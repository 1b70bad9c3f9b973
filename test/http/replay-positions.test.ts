import assert from 'node:assert/strict';
import type { ColyseusTestServer } from '@colyseus/testing';
import { sharedTestServices } from '../support/database.js';
import { bootServer, TEST_PORT } from '../support/match-clients.js';
import { seededRandom } from '../support/random-games.js';
import { RandomRecordedMatch } from '../support/recorded-matches.js';

const baseUrl = `http://127.0.0.1:${TEST_PORT}`;
const START_POSITION_ID = '4HPwATDgc/ABMA';

async function getJson(path: string): Promise<any> {
  const response = await fetch(`${baseUrl}${path}`);
  assert.equal(response.status, 200, `${path}: ${response.status}`);
  return response.json();
}

function gamesOf(match: { events: { type: string }[] }): number {
  return match.events.filter((event) => event.type === 'game-end').length;
}

function isBoard(value: unknown): boolean {
  return Array.isArray(value) && value.length === 26 && value.every((count) => Number.isInteger(count) && count >= 0 && count <= 15);
}

describe('positions rebuilt from the event log', function () {
  this.timeout(60_000);
  let server: ColyseusTestServer;
  let match: { events: { seq: number; type: string; game?: number; positionId?: string; score?: number[] }[] };
  let matchId: string;

  before(async () => {
    server = await bootServer();
    const services = await sharedTestServices();
    // The dice are random: play matches until one has several games (almost always the first).
    for (let seed = 7; !matchId || gamesOf(match) < 2; seed++) {
      assert.ok(seed < 50, 'no match of several games');
      matchId = new RandomRecordedMatch(services.journal, seededRandom(seed), { matchLength: 5 }).playOut().matchId;
      await services.journal.flushed();
      match = await getJson(`/matches/${matchId}`);
    }
  });

  after(async () => {
    await server.shutdown();
  });

  it('gives both boards as boards, also where they are the same', async () => {
    const seqs = [1, 2, 3, ...match.events.filter((event) => event.type === 'game-start').map((event) => event.seq)];
    for (const seq of seqs) {
      const position = await getJson(`/matches/${matchId}/position?after=${seq}`);
      assert.ok(position.boards.every(isBoard), `after event ${seq}: ${JSON.stringify(position.boards)}`);
    }
  });

  it('shows the end of a game after its game-end event, and the next game only after its game-start', async () => {
    const gameEnds = match.events.filter((event) => event.type === 'game-end');
    for (const gameEnd of gameEnds) {
      const ended = await getJson(`/matches/${matchId}/position?after=${gameEnd.seq}`);
      assert.equal(ended.positionId, gameEnd.positionId, `game ${gameEnd.game}`);
      assert.equal(ended.gameNumber, gameEnd.game);
      assert.deepEqual(ended.score, gameEnd.score);
      assert.ok(['game-over', 'over'].includes(ended.phase), ended.phase);
      const endingAction = await getJson(`/matches/${matchId}/position?after=${gameEnd.seq - 1}`);
      assert.equal(endingAction.positionId, gameEnd.positionId, 'the action that ended the game shows where it ended');
      const next = match.events[gameEnd.seq]!;
      if (next.type !== 'game-start') continue;
      const opening = await getJson(`/matches/${matchId}/position?after=${next.seq}`);
      assert.equal(opening.phase, 'opening');
      assert.equal(opening.gameNumber, gameEnd.game! + 1);
      assert.equal(opening.positionId, START_POSITION_ID);
    }
  });
});
