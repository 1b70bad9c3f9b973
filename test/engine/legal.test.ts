import assert from 'node:assert/strict';
import { ALL_ROLLS, type Dice } from '../../src/engine/dice.js';
import { EngineError } from '../../src/engine/errors.js';
import { countPlays, findPlay, legalPlays, movesWithDie, type Play } from '../../src/engine/legal.js';
import { BAR, positionFrom, positionsEqual, startPosition, type Position } from '../../src/engine/position.js';
import { benchPositions } from '../../bench/positions.js';
import { playsFingerprint } from '../support/play-fingerprint.js';
import { randomGame, seededRandom } from '../support/random-games.js';
import { positionKey, referencePlayKeys } from '../support/reference-rules.js';

function playsAsText(plays: readonly Play[]): string[] {
  return plays.map((play) => play.moves.map((move) => `${move.from}/${move.to}${move.hit ? '*' : ''}`).join(' ')).sort();
}

function assertSamePlaysAsReference(position: Position, dice: Dice): void {
  const plays = legalPlays(position, dice);
  const keys = plays.map((play) => positionKey(play.position));
  assert.equal(new Set(keys).size, keys.length, `duplicate plays for ${dice}`);
  assert.deepEqual(new Set(keys), referencePlayKeys(position, dice), `plays for ${dice} differ from the rules`);
}

describe('legal plays', () => {
  it('finds gnubg\'s number of distinct plays for every opening roll', () => {
    const expected: Record<string, number> = {
      '21': 15, '31': 16, '41': 14, '51': 8, '61': 10, '32': 17, '42': 18, '52': 8, '62': 14, '43': 17,
      '53': 9, '63': 14, '54': 9, '64': 14, '65': 7, '11': 42, '22': 75, '33': 73, '44': 52, '55': 4, '66': 11,
    };
    for (const [high, low] of ALL_ROLLS) {
      assert.equal(legalPlays(startPosition(), [high, low]).length, expected[`${high}${low}`], `roll ${high}${low}`);
      assert.equal(legalPlays(startPosition(), [low, high]).length, expected[`${high}${low}`], `roll ${low}${high}`);
    }
  });

  it('lists each play\'s moves and the board after it, seen from the mover', () => {
    const play = legalPlays(startPosition(), [3, 1]).find((p) => playsAsText([p])[0] === '8/5 6/5');
    assert.ok(play, 'the 31 point-making play is listed');
    assert.equal(play.position.player[5], 2);
    assert.equal(play.position.player[8], 2);
    assert.equal(play.position.player[6], 4);
    assert.deepEqual(play.position.opponent, startPosition().opponent);
  });

  it('lists plays in a fixed order: larger die first, each die from the back checkers forward', () => {
    const inOrder = legalPlays(startPosition(), [1, 2]).map((play) => playsAsText([play])[0]);
    assert.deepEqual(inOrder, [
      '24/22 24/23', '24/22 22/21', '24/22 8/7', '24/22 6/5', '13/11 24/23', '13/11 11/10', '13/11 8/7',
      '13/11 6/5', '8/6 24/23', '8/6 8/7', '8/6 6/5', '6/4 24/23', '6/4 8/7', '6/4 6/5', '6/4 4/3',
    ]);
  });

  it('gives each call fresh, unfrozen start sides, which the generator reads at full speed', () => {
    const [first, second] = [startPosition(), startPosition()];
    assert.notEqual(first.player, second.player);
    assert.notEqual(first.player, first.opponent);
    assert.ok(!Object.isFrozen(first.player) && !Object.isFrozen(first.opponent));
    assert.deepEqual(first, second);
  });

  it('gives no play when every entry point is blocked', () => {
    const closed = positionFrom({ 25: 1, 13: 14 }, { 1: 2, 2: 2, 3: 2, 4: 2, 5: 2, 6: 2, 24: 3 });
    for (const roll of ALL_ROLLS) assert.deepEqual(legalPlays(closed, roll), [], `roll ${roll}`);
  });

  it('enters through the one open point and moves on only once the bar is empty', () => {
    const fiveBlocked = positionFrom({ 25: 1, 13: 14 }, { 1: 2, 2: 2, 3: 2, 4: 2, 5: 2, 24: 5 });
    assert.deepEqual(legalPlays(fiveBlocked, [5, 3]), []);
    assert.ok(playsAsText(legalPlays(fiveBlocked, [6, 1])).every((play) => play.startsWith('25/19')));
    assert.ok(playsAsText(legalPlays(fiveBlocked, [6, 6])).every((play) => play.split(' ').length === 4));

    const twoOnBar = positionFrom({ 25: 2, 13: 13 }, { 1: 2, 2: 2, 3: 2, 4: 2, 5: 2, 24: 5 });
    assert.deepEqual(playsAsText(legalPlays(twoOnBar, [6, 5])), ['25/19']);
    const doubleSixes = playsAsText(legalPlays(twoOnBar, [6, 6]));
    assert.ok(doubleSixes.length > 0 && doubleSixes.every((play) => play.startsWith('25/19 25/19 ')));
  });

  it('plays the larger die when either die but not both can be played', () => {
    const eitherDie = positionFrom({ 13: 1 }, { 23: 2, 6: 5, 7: 4, 8: 4 });
    assert.deepEqual(playsAsText(legalPlays(eitherDie, [5, 6])), ['13/7']);
    const largerBlocked = positionFrom({ 13: 1 }, { 23: 2, 18: 2, 6: 5, 7: 3, 8: 3 });
    assert.deepEqual(playsAsText(legalPlays(largerBlocked, [5, 6])), ['13/8']);
  });

  it('plays as many dice of a double as it can', () => {
    const partly = positionFrom({ 13: 1, 1: 5, 2: 5, 3: 4 }, { 20: 2, 6: 5, 7: 4, 8: 4 });
    assert.deepEqual(playsAsText(legalPlays(partly, [4, 4])), ['13/9']);
  });

  it('bears off with a die larger than the highest occupied point', () => {
    assert.deepEqual(playsAsText(legalPlays(positionFrom({ 3: 2 }, { 1: 15 }), [6, 5])), ['3/0 3/0']);
    assert.deepEqual(playsAsText(legalPlays(positionFrom({ 5: 1, 3: 1 }, { 1: 15 }), [6, 4])), ['5/0 3/0', '5/1 3/0']);
    assert.deepEqual(playsAsText(legalPlays(positionFrom({ 2: 1 }, { 1: 15 }), [6, 6])), ['2/0']);
  });

  it('does not bear off while a checker is outside home, but does once it arrives', () => {
    const outside = positionFrom({ 7: 1, 6: 2, 2: 1 }, { 1: 15 });
    const plays = legalPlays(outside, [6, 1]);
    const bearsOff = plays.filter((play) => play.position.player[0] === outside.player[0]! + 1);
    assert.equal(bearsOff.length, 1, 'the first die brings the checker home, the second bears off');
    assert.deepEqual(bearsOff[0]!.moves.map((move) => [move.from, move.to]), [[7, 1], [1, 0]]);
    assert.ok(!plays.some((play) => play.moves[0]!.to === 0), 'no bear-off before the last checker is home');
    assert.ok(!playsAsText(legalPlays(positionFrom({ 9: 1, 6: 14 }, { 1: 15 }), [2, 1])).some((play) => play.includes('/0')));
  });

  it('hits a blot while bearing in, sending it to the bar', () => {
    const play = legalPlays(positionFrom({ 8: 1, 6: 14 }, { 22: 1, 1: 14 }), [5, 2]).find((p) => p.moves.some((move) => move.hit));
    assert.ok(play);
    assert.equal(play.position.opponent[25], 1);
    assert.equal(play.position.opponent[22], 0);
  });

  it('keeps a hitting and a non-hitting play to the same point apart', () => {
    const position = positionFrom({ 13: 2, 6: 13 }, { 15: 1, 1: 14 });
    const plays = playsAsText(legalPlays(position, [3, 1]));
    assert.ok(plays.includes('13/10* 10/9'), 'through the blot');
    assert.ok(plays.includes('13/12 12/9'), 'around the blot');
  });

  it('agrees with a plain implementation of the rules on positions from random games', function () {
    this.timeout(120_000);
    const random = seededRandom(20261126);
    let checked = 0;
    while (checked < 400) {
      for (const turn of randomGame(random)) {
        if (random() < 0.9) continue;
        for (const roll of ALL_ROLLS) assertSamePlaysAsReference(turn.position, roll);
        checked++;
      }
    }
  });

  it('returns exactly the plays it always has, in the same order, with the same moves and positions', () => {
    // 100 seeded positions of every kind, all rolls: any change in what the generator returns changes the hash.
    const fingerprint = playsFingerprint(benchPositions(20).map((entry) => entry.position));
    assert.deepEqual(fingerprint, { plays: 55_655, hash: '522dfdbd2d95a86afb045d40fadb2fa53dafd47e52fedb0ec1736292efd5f44b' });
  });

  it('counts the plays and their moves as legalPlays finds them, without building them', () => {
    let oneDie = 0;
    for (const { position } of benchPositions(60, 77)) {
      for (const [high, low] of ALL_ROLLS) {
        for (const dice of [[high, low], [low, high]] as Dice[]) {
          const plays = legalPlays(position, dice);
          const moves = plays[0]?.moves.length ?? 0;
          if (moves === 1 && high !== low) oneDie++;
          assert.deepEqual(countPlays(position, dice), { count: plays.length, moves }, `dice ${dice}`);
        }
      }
    }
    assert.ok(oneDie > 20, `only ${oneDie} rolls where one die of two could be played`);
  });

  it('finds the play reaching a board as the list of plays does, and nothing where the list has none', () => {
    let found = 0;
    let missing = 0;
    for (const { position } of benchPositions(40, 91)) {
      for (const [high, low] of ALL_ROLLS) {
        for (const dice of [[high, low], [low, high]] as Dice[]) {
          const plays = legalPlays(position, dice);
          // Full plays, and the boards one die reaches (a shorter play, or the smaller die where the larger must be played).
          const targets = [...plays, ...movesWithDie(position, high), ...movesWithDie(position, low)].map((play) => play.position);
          for (const target of targets) {
            const expected = plays.find((play) => positionsEqual(play.position, target)) ?? null;
            assert.deepEqual(findPlay(position, dice, target), expected, `dice ${dice}`);
            if (expected) found++;
            else missing++;
          }
        }
      }
    }
    assert.ok(found > 1_000 && missing > 100, `found ${found}, missing ${missing}`);
  });

  it('gives the moves of one die from one point as the moves of that die filtered by their start', () => {
    for (const { position } of benchPositions(40, 92)) {
      for (let die = 1; die <= 6; die++) {
        const all = movesWithDie(position, die);
        for (let from = 0; from <= BAR; from++) {
          assert.deepEqual(movesWithDie(position, die, from), all.filter((play) => play.moves[0]!.from === from), `die ${die} from ${from}`);
        }
        assert.deepEqual(movesWithDie(position, die, 26), []);
        assert.deepEqual(movesWithDie(position, die, 2.5), []);
      }
    }
  });

  it('refuses impossible positions and dice with a typed error', () => {
    const bad: [unknown, unknown][] = [
      [startPosition(), [0, 3]],
      [startPosition(), [7, 1]],
      [startPosition(), [2.5, 1]],
      [startPosition(), [1]],
      [startPosition(), 'six-five'],
      [{ player: startPosition().player, opponent: [] }, [6, 5]],
      [{ player: [...startPosition().player.slice(0, 25), 1], opponent: startPosition().opponent }, [6, 5]],
      [{ player: [...startPosition().player.slice(0, 24), -1, 1], opponent: startPosition().opponent }, [6, 5]],
      [positionFromUnchecked({ 24: 15 }, { 1: 15 }), [6, 5]],
      [null, [6, 5]],
    ];
    for (const [position, dice] of bad) {
      assert.throws(() => legalPlays(position as Position, dice as Dice), (error: unknown) => {
        return error instanceof EngineError && ['INVALID_POSITION', 'INVALID_DICE'].includes(error.code) && error.message.length > 0;
      });
    }
  });
});

function positionFromUnchecked(player: Record<number, number>, opponent: Record<number, number>): Position {
  const side = (counts: Record<number, number>) => {
    const slots = new Array<number>(26).fill(0);
    for (const [slot, count] of Object.entries(counts)) slots[Number(slot)] = count;
    return slots;
  };
  return { player: side(player), opponent: side(opponent) };
}
