import assert from 'node:assert/strict';
import { EngineError, type EngineErrorCode } from '../../src/engine/errors.js';
import { positionFrom, startPosition } from '../../src/engine/position.js';
import { canConfirm, confirmTurn, legalMoves, moveChecker, startTurn, undoMove, type Turn } from '../../src/engine/turn.js';

function movesText(turn: Turn): string[] {
  return legalMoves(turn).map((move) => `${move.from}/${move.to}${move.hit ? '*' : ''}`).sort();
}

function assertEngineError(action: () => unknown, code: EngineErrorCode, pattern: RegExp): void {
  assert.throws(action, (error: unknown) => error instanceof EngineError && error.code === code && pattern.test(error.message));
}

describe('a turn played one checker at a time', () => {
  it('offers the single moves of the roll, then those the remaining die allows', () => {
    const turn = startTurn(startPosition(), [6, 5]);
    assert.deepEqual(movesText(turn), ['13/7', '13/8', '24/18', '8/2', '8/3'], 'the opponent holds points 19 and 1');
    const after = moveChecker(turn, 24, 18);
    assert.deepEqual(after.diceLeft, [5]);
    assert.deepEqual(movesText(after), ['13/8', '18/13', '8/3']);
  });

  it('refuses a confirm before the play is complete and a move once it is', () => {
    let turn = startTurn(startPosition(), [3, 1]);
    assert.equal(canConfirm(turn), false);
    assertEngineError(() => confirmTurn(turn), 'PLAY_INCOMPLETE', /must use 2 dice; 0 played/);
    turn = moveChecker(moveChecker(turn, 8, 5), 6, 5);
    assert.equal(canConfirm(turn), true);
    assertEngineError(() => moveChecker(turn, 13, 12), 'ILLEGAL_MOVE', /play is complete/);
    assert.equal(confirmTurn(turn).position.player[5], 2);
  });

  it('refuses a move that would leave the rest of the roll unplayable', () => {
    // Playing the 5 first (13/8) would leave the 6 blocked; 13/7 then 7/2 uses both dice.
    const position = positionFrom({ 13: 1 }, { 23: 2, 6: 5, 7: 4, 8: 4 });
    const turn = startTurn(position, [6, 5]);
    assert.deepEqual(movesText(turn), ['13/7']);
    assertEngineError(() => moveChecker(turn, 13, 8), 'ILLEGAL_MOVE', /from point 13 to point 8 is not legal/);
  });

  it('moves a checker on through several dice in one move, hitting only when it must', () => {
    const position = positionFrom({ 13: 2, 6: 13 }, { 15: 1, 1: 14 });
    const around = moveChecker(startTurn(position, [3, 1]), 13, 9);
    assert.equal(around.steps[0]!.moves.length, 2);
    assert.equal(around.position.opponent[25], 0, 'the path around the blot is preferred');
    const through = moveChecker(moveChecker(startTurn(position, [3, 1]), 13, 10), 10, 9);
    assert.equal(through.position.opponent[25], 1, 'moving through the blot one die at a time hits it');
    const doubles = moveChecker(startTurn(startPosition(), [2, 2]), 13, 5);
    assert.deepEqual(doubles.steps[0]!.dice, [2, 2, 2, 2]);
    assert.equal(undoMove(doubles).steps.length, 0, 'undo takes back the whole move');
  });

  it('bears off with the exact die when both dice could', () => {
    const turn = moveChecker(startTurn(positionFrom({ 5: 1, 3: 1 }, { 1: 15 }), [6, 5]), 5, 0);
    assert.deepEqual(turn.diceLeft, [6]);
    assert.equal(confirmTurn(moveChecker(turn, 3, 0)).position.player[0], 15);
  });

  it('has nothing to undo at the start, and nothing to play when no move is possible', () => {
    assertEngineError(() => undoMove(startTurn(startPosition(), [6, 1])), 'NOTHING_TO_UNDO', /no move/);
    const closed = positionFrom({ 25: 1, 13: 14 }, { 1: 2, 2: 2, 3: 2, 4: 2, 5: 2, 6: 2, 24: 3 });
    const stuck = startTurn(closed, [4, 4]);
    assert.deepEqual(legalMoves(stuck), []);
    assert.equal(canConfirm(stuck), true);
    assert.deepEqual(confirmTurn(stuck).moves, []);
    assertEngineError(() => moveChecker(stuck, 25, 21), 'ILLEGAL_MOVE', /no move is possible/);
  });

  it('refuses nonsense points without crashing', () => {
    const turn = startTurn(startPosition(), [6, 5]);
    for (const [from, to] of [[-1, 3], [26, 20], [Number.NaN, 1], [1.5, 0], [13, 13], [8, 14]]) {
      assertEngineError(() => moveChecker(turn, from!, to!), 'ILLEGAL_MOVE', /not legal/);
    }
  });
});
