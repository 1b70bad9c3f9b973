import assert from 'node:assert/strict';
import { formatPlay, positionFrom, startPosition, type Dice } from '../../src/engine/index.js';
import { PUBEVAL_ALL_OFF, pubevalPlay, pubevalScore } from '../../src/bots/pubeval.js';

describe('pubeval', () => {
  it('scores the start position 6.84055 with the contact weights', () => {
    assert.ok(Math.abs(pubevalScore(startPosition(), false) - 6.84055) < 1e-4);
  });

  const openings: [Dice, string][] = [
    [[3, 1], '8/5 6/5'],
    [[6, 1], '13/7 8/7'],
    [[4, 2], '8/4 6/4'],
  ];
  for (const [dice, expected] of openings) {
    it(`plays the opening ${dice.join('')} as ${expected}`, () => {
      assert.equal(formatPlay(pubevalPlay(startPosition(), dice)!), expected);
    });
  }

  it('scores bearing off the last checker above every board', () => {
    const position = positionFrom({ 1: 1 }, { 6: 15 });
    assert.equal(formatPlay(pubevalPlay(position, [6, 5])!), '1/off');
    assert.equal(pubevalScore(positionFrom({}, { 6: 15 }), true), PUBEVAL_ALL_OFF);
  });

  it('returns null when there is no legal play', () => {
    const closed = positionFrom({ 25: 1, 13: 14 }, { 1: 2, 2: 2, 3: 2, 4: 2, 5: 2, 6: 2, 13: 3 });
    assert.equal(pubevalPlay(closed, [6, 6]), null);
  });
});
