import assert from 'node:assert/strict';
import type { Dice } from '../../src/engine/dice.js';
import { EngineError, type EngineErrorCode } from '../../src/engine/errors.js';
import { legalPlays, moveOf, type Play } from '../../src/engine/legal.js';
import { formatPlay, formatPlayPlain, parsePlay } from '../../src/engine/notation.js';
import { positionFrom, positionsEqual, startPosition, type Position } from '../../src/engine/position.js';
import { randomGame, seededRandom } from '../support/random-games.js';

const START = { 6: 5, 8: 3, 13: 5, 24: 2 };

/** The start position, except that the opponent has blots on the given points (counted from the player's side). */
function startWithOpponentBlots(...playerPoints: number[]): Position {
  const opponent: Record<number, number> = { 6: 5, 8: 3, 13: 5 };
  for (const point of playerPoints) opponent[25 - point] = 1;
  return positionFrom(START, opponent);
}

function playWritten(position: Position, dice: Dice, text: string): Play {
  const play = legalPlays(position, dice).find((candidate) => formatPlay(candidate) === text);
  assert.ok(play, `no legal play is written ${text}`);
  return play;
}

function assertSamePlay(actual: Play, expected: Play, context: string): void {
  assert.equal(actual.moves.length, expected.moves.length, context);
  actual.moves.forEach((move, index) => assert.equal(move, expected.moves[index], context));
  assert.ok(positionsEqual(actual.position, expected.position), context);
}

function assertEngineError(code: EngineErrorCode, action: () => unknown, message?: RegExp): void {
  assert.throws(action, (error: unknown) => {
    assert.ok(error instanceof EngineError, `expected an EngineError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    if (message) assert.match(error.message, message);
    return true;
  });
}

describe('formatPlay', () => {
  it('writes moves highest from-point first and marks hits', () => {
    const position = startWithOpponentBlots(5);
    const play = legalPlays(position, [5, 1]).find(
      (candidate) => candidate.moves.includes(moveOf(13, 8, false)) && candidate.moves.includes(moveOf(6, 5, true)),
    );
    assert.equal(formatPlay(play!), '13/8 6/5*');
  });

  it('writes the bar and bearing off by name', () => {
    assert.equal(formatPlay({ moves: [moveOf(25, 22, false)] }), 'bar/22');
    assert.equal(formatPlay({ moves: [moveOf(6, 0, false)] }), '6/off');
    assert.equal(formatPlay({ moves: [moveOf(25, 20, true), moveOf(3, 0, false)] }), 'bar/20* 3/off');
  });

  it('writes repeated moves once with a count', () => {
    assert.equal(formatPlay(playWritten(startPosition(), [4, 4], '8/4(2) 6/2(2)')), '8/4(2) 6/2(2)');
    assert.equal(formatPlay({ moves: [moveOf(8, 4, false), moveOf(8, 4, false)] }), '8/4(2)');
  });

  it('joins the moves of one checker, writing the points it passes only where it hits', () => {
    assert.equal(formatPlay({ moves: [moveOf(24, 18, false), moveOf(18, 13, false)] }), '24/13');
    assert.equal(formatPlay({ moves: [moveOf(13, 7, true), moveOf(7, 5, false)] }), '13/7*/5');
    assert.equal(formatPlay({ moves: [moveOf(7, 5, false), moveOf(13, 7, true)] }), '13/7*/5');
    assert.equal(
      formatPlay({ moves: [moveOf(20, 16, true), moveOf(16, 12, false), moveOf(12, 8, true), moveOf(8, 4, false)] }),
      '20/16*/8*/4',
    );
  });

  it('stars only the first landing on a hit point', () => {
    assert.equal(formatPlay({ moves: [moveOf(8, 4, true), moveOf(8, 4, false)] }), '8/4*(2)');
    assert.equal(formatPlay({ moves: [moveOf(6, 4, true), moveOf(5, 4, false)] }), '6/4* 5/4');
  });

  it('bears off with a die larger than the distance', () => {
    const position = positionFrom({ 3: 2 }, START);
    assert.equal(formatPlay(legalPlays(position, [6, 5])[0]!), '3/off(2)');
  });

  it('writes a roll with no legal play as the empty string, as gnubg does', () => {
    assert.equal(formatPlay({ moves: [] }), '');
  });
});

describe('formatPlayPlain', () => {
  it('writes one move per die as gnubg writes them in .mat files', () => {
    assert.equal(formatPlayPlain([moveOf(7, 5, false), moveOf(13, 7, true)]), '13/7* 7/5');
    assert.equal(formatPlayPlain([moveOf(25, 22, false), moveOf(6, 0, false)]), '25/22 6/0');
    assert.equal(formatPlayPlain([moveOf(8, 4, true), moveOf(8, 4, false), moveOf(6, 2, false), moveOf(6, 2, false)]), '8/4* 8/4 6/2 6/2');
    assert.equal(formatPlayPlain([moveOf(13, 8, false), moveOf(13, 11, false)]), '13/11 13/8');
  });
});

describe('parsePlay', () => {
  it('reads formatPlay\'s text back as the same legal play', () => {
    const position = startWithOpponentBlots(5);
    const play = playWritten(position, [5, 1], '13/8 6/5*');
    for (const text of ['13/8 6/5*', '6/5* 13/8', '13/8 6/5', ' 13/8   6/5 ', '13 / 8, 6/5 *']) {
      assertSamePlay(parsePlay(text, position, [5, 1]), play, text);
    }
  });

  it('returns one of the objects legalPlays lists', () => {
    const plays = legalPlays(startPosition(), [3, 1]);
    const parsed = parsePlay('8/5 6/5', startPosition(), [3, 1]);
    assert.ok(plays.some((play) => play.moves.every((move, index) => move === parsed.moves[index])));
  });

  it('reads the bar and off by name or number, in any case', () => {
    const position = positionFrom({ 25: 1, 6: 4, 8: 3, 13: 5, 24: 2 }, START);
    const play = playWritten(position, [3, 1], 'bar/22 6/5');
    for (const text of ['bar/22 6/5', 'Bar/22 6/5', 'BAR/22 6/5', '25/22 6/5', '6/5 bar/22']) {
      assertSamePlay(parsePlay(text, position, [3, 1]), play, text);
    }
    const bearOff = positionFrom({ 6: 1, 5: 2 }, START);
    const off = playWritten(bearOff, [6, 5], '6/off 5/off');
    for (const text of ['6/off 5/off', '6/OFF 5/Off', '6/0 5/0']) {
      assertSamePlay(parsePlay(text, bearOff, [6, 5]), off, text);
    }
  });

  it('reads repeats and their expansion alike', () => {
    const play = playWritten(startPosition(), [4, 4], '8/4(2) 6/2(2)');
    for (const text of ['8/4(2) 6/2(2)', '6/2(2) 8/4(2)', '8/4 8/4 6/2 6/2', '8/4 6/2 8/4 6/2']) {
      assertSamePlay(parsePlay(text, startPosition(), [4, 4]), play, text);
    }
  });

  it('reads one checker\'s moves as a chain, as one part, or move by move', () => {
    const play = playWritten(startPosition(), [6, 5], '24/13');
    for (const text of ['24/13', '24/18/13', '24/18 18/13', '18/13 24/18']) {
      assertSamePlay(parsePlay(text, startPosition(), [6, 5]), play, text);
    }
  });

  it('tells a chain that hits on the way from one that does not', () => {
    const position = startWithOpponentBlots(7);
    const hitting = playWritten(position, [6, 2], '13/7*/5');
    const quiet = playWritten(position, [6, 2], '13/5');
    for (const text of ['13/7*/5', '13/7/5', '13/7* 7/5', '7/5 13/7']) {
      assertSamePlay(parsePlay(text, position, [6, 2]), hitting, text);
    }
    for (const text of ['13/5', '13/11/5', '13/11 11/5']) {
      assertSamePlay(parsePlay(text, position, [6, 2]), quiet, text);
    }
  });

  it('takes a hit the board forces even when the text leaves it out', () => {
    // The opponent holds 7 and has a blot on 11: 13/5 can only go through 11.
    const position = positionFrom(START, { 6: 5, 8: 3, 13: 4, 14: 1, 18: 2 });
    const play = parsePlay('13/5', position, [6, 2]);
    assert.equal(formatPlay(play), '13/11*/5');
  });

  it('reads the pass of a roll with no legal play as the empty text', () => {
    const closed = positionFrom({ 25: 1, 6: 5, 8: 3, 13: 6 }, { 1: 2, 2: 2, 3: 2, 4: 2, 5: 2, 6: 2, 13: 3 });
    assert.deepEqual(legalPlays(closed, [6, 6]), []);
    const pass = parsePlay('', closed, [6, 6]);
    assert.deepEqual(pass.moves, []);
    assert.equal(pass.position, closed);
    assertEngineError('ILLEGAL_PLAY', () => parsePlay('bar/19', closed, [6, 6]), /pass/);
  });

  it('round-trips every legal play of many random positions', function () {
    this.timeout(120_000);
    const random = seededRandom(20240611);
    let checked = 0;
    for (let game = 0; game < 20; game++) {
      for (const turn of randomGame(random)) {
        for (const play of turn.plays) {
          const text = formatPlay(play);
          const variants = [
            text,
            formatPlayPlain(play.moves),
            text.replace(/\*/g, ''),
            text.split(' ').reverse().join(' ').toUpperCase(),
          ];
          for (const variant of variants) assertSamePlay(parsePlay(variant, turn.position, turn.dice), play, variant);
          checked++;
        }
      }
    }
    assert.ok(checked > 10_000, `only ${checked} plays checked`);
  });
});

describe('parsePlay rejections', () => {
  it('rejects unreadable text with INVALID_NOTATION, quoting it', () => {
    for (const text of ['hello', '13/', '/8', '13//8', '13/8x', '13-8', '8/13', '0/5', '13/bar', '26/20', '13/8(0)', '13/8(5)', '13*/8', '6/off/3']) {
      assertEngineError('INVALID_NOTATION', () => parsePlay(text, startPosition(), [5, 3]), new RegExp(`"${text.replace(/[()*/]/g, '\\$&')}"`));
    }
  });

  it('rejects an incomplete play', () => {
    assertEngineError('ILLEGAL_PLAY', () => parsePlay('8/5', startPosition(), [3, 1]), /must use both dice/);
    assertEngineError('ILLEGAL_PLAY', () => parsePlay('13/9 13/9', startPosition(), [4, 4]), /must use all four dice/);
    assertEngineError('ILLEGAL_PLAY', () => parsePlay('', startPosition(), [3, 1]), /must use both dice/);
  });

  it('rejects the smaller die when only one die can be played', () => {
    // From 10, a 5 then a 1 or a 1 then a 5 both end on the opponent's point on 4.
    const position = positionFrom({ 10: 1 }, { 21: 2 });
    assert.equal(formatPlay(parsePlay('10/5', position, [5, 1])), '10/5');
    assertEngineError('ILLEGAL_PLAY', () => parsePlay('10/9', position, [5, 1]), /larger/);
  });

  it('rejects moves the dice do not make', () => {
    assertEngineError('ILLEGAL_PLAY', () => parsePlay('24/20 20/13', startPosition(), [6, 5]), /does not match the dice 6-5/);
    assertEngineError('ILLEGAL_PLAY', () => parsePlay('13/7(2)', startPosition(), [2, 2]), /does not match/);
  });

  it('rejects landing on a point the opponent holds', () => {
    assertEngineError('ILLEGAL_PLAY', () => parsePlay('24/18 24/19', startPosition(), [6, 5]), /lands on 19/);
  });

  it('rejects moving checkers that are not there', () => {
    assertEngineError('ILLEGAL_PLAY', () => parsePlay('bar/22 6/5', startPosition(), [3, 1]), /no checker on bar/);
    assertEngineError('ILLEGAL_PLAY', () => parsePlay('24/21(3)', startPosition(), [3, 3]), /only 2 checkers on 24/);
  });

  it('rejects moving another checker while one is on the bar', () => {
    const position = positionFrom({ 25: 1, 6: 4, 8: 3, 13: 5, 24: 2 }, START);
    assertEngineError('ILLEGAL_PLAY', () => parsePlay('13/10 6/5', position, [3, 1]), /bar must enter first/);
  });

  it('rejects a hit mark where there is no blot', () => {
    assertEngineError('ILLEGAL_PLAY', () => parsePlay('13/8* 6/5', startPosition(), [5, 1]), /no blot to hit on 8/);
  });

  it('asks for the hit point when two routes hit different blots', () => {
    const position = startWithOpponentBlots(18, 19);
    assertEngineError('INVALID_NOTATION', () => parsePlay('24/13', position, [6, 5]), /could mean/);
    assertEngineError('INVALID_NOTATION', () => parsePlay('24/13', position, [6, 5]), /"24\/18\*\/13"/);
    assertEngineError('INVALID_NOTATION', () => parsePlay('24/13', position, [6, 5]), /"24\/19\*\/13"/);
    assert.equal(formatPlay(parsePlay('24/19/13', position, [6, 5])), '24/19*/13');
  });
});
