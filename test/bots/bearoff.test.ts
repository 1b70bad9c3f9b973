import assert from 'node:assert/strict';
import { positionFrom } from '../../src/engine/index.js';
import { bearoffIndex, ONE_SIDED_POSITIONS, sharedBearoffDatabase } from '../../src/bots/bearoff.js';
import { newOutcome } from '../../src/bots/outcome.js';

function home(counts: Record<number, number>): Int8Array {
  const board = new Int8Array(7);
  for (const [point, n] of Object.entries(counts)) board[Number(point)] = n;
  return board;
}

describe('bear-off database', () => {
  const database = sharedBearoffDatabase();

  it('numbers the 54,264 home boards of up to 15 checkers 0 to 54,263, each once', () => {
    assert.equal(ONE_SIDED_POSITIONS, 54_264);
    const seen = new Uint8Array(ONE_SIDED_POSITIONS);
    const board = new Int8Array(7);
    const visit = (point: number, left: number): void => {
      if (point > 6) {
        seen[bearoffIndex(board)]!++;
        return;
      }
      for (let n = 0; n <= left; n++) {
        board[point] = n;
        visit(point + 1, left - n);
      }
      board[point] = 0;
    };
    visit(1, 15);
    assert.ok(seen.every((count) => count === 1));
    assert.equal(bearoffIndex(home({})), 0);
  });

  it('knows a lone checker on the 6-point is off in one roll 27 times in 36', () => {
    assert.ok(Math.abs(database.finishChance(home({ 6: 1 }), 1) - 27 / 36) < 1e-12);
    assert.ok(Math.abs(database.expectedRolls(home({ 6: 1 })) - 1.25) < 1e-12);
  });

  it('gives the race outcome once both sides are home', () => {
    const outcome = newOutcome();
    assert.ok(database.outcomeOf(positionFrom({ 6: 1 }, { 1: 1 }), outcome));
    assert.deepEqual(Array.from(outcome, (p) => Number(p.toFixed(12))), [0.75, 0, 0, 0, 0]);
    // 15 checkers on the 6-point bear one off in a roll only with a 6, 5-1, 4-2, 2-2 or 3-3.
    assert.ok(database.outcomeOf(positionFrom({ 6: 15 }, { 1: 1 }), outcome));
    assert.deepEqual(Array.from(outcome, (p) => Number(p.toFixed(12))), [0, 0, 0, Number((19 / 36).toFixed(12)), 0]);
  });

  it('leaves positions with a checker outside the home board to the nets', () => {
    assert.equal(database.outcomeOf(positionFrom({ 7: 1 }, { 1: 1 }), newOutcome()), false);
  });
});
