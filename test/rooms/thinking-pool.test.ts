import assert from 'node:assert/strict';
import { applyAction, seatToAct, type MatchState } from '../../src/engine/index.js';
import { botPlayer } from '../../src/bots/player.js';
import { randomPlayer } from '../../src/bots/random-player.js';
import { ThinkingFailed, ThinkingPool } from '../../src/bots/thinking-pool.js';
import { seededRandom } from '../support/random-games.js';
import { playMatch } from '../bots/play-match.js';

/** Matches part-way through, cut at different points: rolling, moving (some mid-turn), doubled. */
function matchesInProgress(): MatchState[] {
  const random = seededRandom(7);
  const players = [randomPlayer(random), randomPlayer(random)] as const;
  return [5, 12, 13, 40, 41, 42, 90].map((actions) => playMatch(players, { matchLength: 3 }, 11, actions).match).filter((match) => seatToAct(match) !== null);
}

describe('the thinking pool', function () {
  this.timeout(60_000);
  let pool: ThinkingPool;

  before(() => {
    pool = new ThinkingPool({ size: 2, timeoutMs: 30_000 });
  });
  after(() => pool.close());

  it('sends matches that survive structured cloning unchanged', () => {
    for (const match of matchesInProgress()) assert.deepStrictEqual(structuredClone(match), match);
  });

  it('answers as the same bot on the main thread would, with an action the engine accepts', async () => {
    const matches = matchesInProgress();
    assert.ok(matches.length >= 5);
    for (const match of matches) {
      const seat = seatToAct(match)!;
      const intent = await pool.think(match, seat, 'advanced');
      assert.deepEqual(intent, botPlayer('advanced').decide(match, seat), `phase ${match.phase}`);
      if (intent && intent.type !== 'roll') assert.doesNotThrow(() => applyAction(match, { ...intent, seat } as Parameters<typeof applyAction>[1]));
    }
  });

  it('starts no thread before it has work or is warmed; warmed, all of them', async () => {
    const idle = new ThinkingPool({ size: 2 });
    assert.equal(idle.started, 0);
    idle.warm();
    assert.equal(idle.started, 2);
    await idle.close();
    assert.equal(idle.started, 0);
  });

  it('fails decisions once closed, and decisions waiting when it closes', async () => {
    const closing = new ThinkingPool({ size: 1 });
    const [match] = matchesInProgress();
    const failures = [1, 2, 3].map(() => assert.rejects(closing.think(match!, seatToAct(match!)!, 'expert'), ThinkingFailed));
    await closing.close();
    await Promise.all(failures);
    await assert.rejects(closing.think(match!, 0, 'random'), /closed/);
  });
});
