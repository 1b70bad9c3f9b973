import assert from 'node:assert/strict';
import { BAR, legalPlays, positionFrom, startPosition, turnAround, type Position } from '../../src/engine/index.js';
import { contactPips, entryBlocked, escapeChance, freePips, hitChance } from '../../src/bots/contact-features.js';
import { Prng } from '../../src/bots/prng.js';

/** Of the 36 rolls, those with a legal play that sends a checker of the other side to the bar. */
function hittingRolls(position: Position): number {
  let rolls = 0;
  for (let d1 = 1; d1 <= 6; d1++) {
    for (let d2 = 1; d2 <= 6; d2++) {
      if (legalPlays(position, [d1, d2]).some((play) => play.position.opponent[BAR]! > position.opponent[BAR]!)) rolls++;
    }
  }
  return rolls;
}

/** The other side's point q seen by the mover is 25 - q: these boards are written from the mover's side. */
function boards(mover: Record<number, number>, otherSeenByMover: Record<number, number>) {
  const other = Object.fromEntries(Object.entries(otherSeenByMover).map(([point, count]) => [Number(point) === BAR ? BAR : 25 - Number(point), count]));
  const { player, opponent } = positionFrom(mover, other);
  return { mover: player, other: opponent };
}

describe('bot net: contact features', () => {
  it('counts the rolls that hit a blot six away: any 6, 5-1, 4-2, 3-3 and 2-2', () => {
    const { mover, other } = boards({ 13: 1 }, { 7: 1 });
    assert.equal(hitChance(mover, other), (11 + 2 + 2 + 1 + 1) / 36);
  });

  it('loses the hits whose every way passes a point the other side holds', () => {
    // 3-3 must stop on 10; 5-1, 4-2 and 2-2 have open ways.
    const { mover, other } = boards({ 13: 1 }, { 7: 1, 10: 2 });
    assert.equal(hitChance(mover, other), (11 + 2 + 2 + 1) / 36);
  });

  it('hits from the bar only once every checker there has entered', () => {
    const { mover, other } = boards({ [BAR]: 2, 6: 5 }, { 20: 1, 3: 1 });
    // Entering on 20 takes a 5; the blot on 3 only with 3-3: both enter, then 6/3.
    assert.equal(hitChance(mover, other), 12 / 36);
  });

  it('agrees with the legal plays on nearly every position of random games', () => {
    const prng = Prng.fromSeed(5);
    let position = startPosition();
    let checked = 0;
    let agreed = 0;
    for (let move = 0; checked < 500; move++) {
      const plays = legalPlays(position, [prng.die(), prng.die()]);
      const after = plays[prng.below(plays.length)]?.position ?? position;
      position = after.player[0] === 15 ? startPosition() : turnAround(after);
      if (move % 7 !== 0) continue;
      checked++;
      if (hitChance(position.player, position.opponent) === hittingRolls(position) / 36) agreed++;
    }
    // The few that differ are hits the rule to play both dice where possible forbids.
    assert.ok(agreed >= 490, `${agreed} of ${checked} agree`);
  });

  it('is 0 with no blot to hit', () => {
    const { mover, other } = boards({ 13: 5 }, { 7: 2 });
    assert.equal(hitChance(mover, other), 0);
  });

  it('gives the share of rolls that fail to enter against the points held in the home board', () => {
    const { mover, other } = boards({ [BAR]: 1, 6: 5 }, { 19: 2, 20: 2, 21: 3, 8: 2 });
    assert.equal(entryBlocked(mover, other), 9 / 36);
    assert.equal(entryBlocked(boards({ 6: 5 }, { 19: 2 }).mover, other), 0);
  });

  it('counts the rolls that bring the rearmost checker home past open points, 1 once none is behind', () => {
    assert.equal(escapeChance(...sides(boards({ 24: 1, 6: 5 }, { 1: 2 }))), 4 / 36); // 3-3, 4-4, 5-5, 6-6
    assert.equal(escapeChance(...sides(boards({ 24: 1, 6: 5 }, { 21: 2, 1: 2 }))), 3 / 36); // 3-3 stops on 21
    assert.equal(escapeChance(...sides(boards({ 12: 1, 6: 5 }, { 21: 2 }))), 1);
  });

  it('splits the pips at the other side\'s rearmost checker: those still to move past it, and those of checkers past it', () => {
    // The other side's rearmost checker is on the mover's 10: the checkers on 13 and 24 must reach 9.
    const split = sides(boards({ 24: 1, 13: 2, 6: 5, 3: 1 }, { 10: 1, 15: 2 }));
    assert.equal(contactPips(...split), (15 + 2 * 4) / 152);
    assert.equal(freePips(...split), (5 * 6 + 3) / 100);
    assert.equal(contactPips(...sides(boards({ 24: 2, 6: 5 }, { 12: 3 }))), 2 * 13 / 152);
  });

  it('counts every pip as contact while the other side has a checker on the bar, none once it has no checker left', () => {
    const onBar = sides(boards({ 6: 5, 1: 2 }, { [BAR]: 1, 20: 2 }));
    assert.equal(contactPips(...onBar), (30 + 2) / 152);
    assert.equal(freePips(...onBar), 0);
    const race = sides(boards({ 8: 2, 6: 5 }, { 20: 2 }));
    assert.equal(contactPips(...race), 0);
    assert.equal(freePips(...race), (16 + 30) / 100);
  });
});

function sides({ mover, other }: { mover: readonly number[]; other: readonly number[] }): [readonly number[], readonly number[]] {
  return [mover, other];
}
