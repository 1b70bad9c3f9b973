import assert from 'node:assert/strict';
import { choosePlay, evaluate, netSearch } from '../../src/bots/index.js';
import { ALL_ROLLS, legalPlays, positionFrom, startPosition, turnAround, type Position } from '../../src/engine/index.js';

const MIDDLE_GAME = positionFrom({ 24: 2, 13: 4, 8: 3, 6: 4, 4: 2 }, { 24: 1, 23: 1, 13: 5, 8: 3, 6: 5 });

function assertProbabilities(evaluation: ReturnType<typeof evaluate>): void {
  const { win, winGammon, winBackgammon, loseGammon, loseBackgammon } = evaluation;
  for (const value of [win, winGammon, winBackgammon, loseGammon, loseBackgammon]) assert.ok(value >= 0 && value <= 1);
  assert.ok(winBackgammon <= winGammon && winGammon <= win);
  assert.ok(loseBackgammon <= loseGammon && loseGammon <= 1 - win);
}

describe('bot search', () => {
  it('at 1-ply averages, over the 21 rolls, the 0-ply judgement of the position after the best 0-ply play', () => {
    let expected = 0;
    for (const dice of ALL_ROLLS) {
      const play = choosePlay('net0', MIDDLE_GAME, dice);
      const after: Position = play ? play.position : MIDDLE_GAME;
      expected += (dice[0] === dice[1] ? 1 : 2) * -evaluate(turnAround(after)).equity;
    }
    assert.ok(Math.abs(evaluate(MIDDLE_GAME, 1).equity - expected / 36) < 1e-9);
  });

  it('gives valid probabilities at 1 and 2 plies', function () {
    this.timeout(60_000);
    for (const position of [startPosition(), MIDDLE_GAME]) {
      assertProbabilities(evaluate(position, 1));
      assertProbabilities(evaluate(position, 2));
    }
  });

  it('looks deeper only at the best few plays: at most 8 within 0.16 at 1-ply, 2 within 0.04 at 2-ply', function () {
    this.timeout(60_000);
    const plays = legalPlays(MIDDLE_GAME, [6, 4]);
    assert.ok(plays.length > 8);
    const atZero = netSearch().rank(plays, 0);
    assert.equal(atZero.candidates.length, plays.length);
    const best = Math.max(...atZero.equities);
    const atOne = netSearch().rank(plays, 1);
    assert.ok(atOne.candidates.length >= 1 && atOne.candidates.length <= 8);
    for (const index of atOne.candidates) assert.ok(atZero.equities[index]! >= best - 0.16);
    assert.ok(netSearch().rank(plays, 2).candidates.length <= 2);
  });
});
