import assert from 'node:assert/strict';
import { cubeEquities, deadCubeMatchEquity, matchCashPoint, shouldDouble, shouldTake, type CubeSituation } from '../../src/bots/cube-decisions.js';
import { matchEquity } from '../../src/bots/met.js';
import { botPlayer } from '../../src/bots/player.js';
import { newMatch, positionFrom, startPosition, type MatchSettings, type MatchState, type Position } from '../../src/engine/index.js';

/** Seat 0 sees `position` as the side on roll. */
function matchAt(settings: Partial<MatchSettings>, position: Position, changes: Partial<MatchState> = {}): MatchState {
  return { ...newMatch(settings), phase: 'rolling', turn: 0, sides: [position.player, position.opponent], ...changes };
}

/** Seat 0 has doubled and seat 1 must answer. */
function doubledAt(settings: Partial<MatchSettings>, position: Position): MatchState {
  return { ...matchAt(settings, position), phase: 'doubled' };
}

// Both sides bear off; seat 0 needs 42 pips, seat 1 needs 69, and seat 1 has borne off three (no gammons).
const RACE_LEAD = positionFrom({ 6: 2, 5: 2, 4: 2, 3: 2, 2: 2, 1: 2 }, { 6: 4, 5: 4, 4: 4, 3: 3 });
const RACE_BEHIND: Position = { player: RACE_LEAD.opponent, opponent: RACE_LEAD.player };
const MONEY = { matchLength: 0 } as const;
const expert = botPlayer('expert');
const advanced = botPlayer('advanced');

describe('bot cube decisions', () => {
  it('doubles a huge race lead, and the opponent drops', () => {
    for (const settings of [MONEY, { matchLength: 7 }]) {
      assert.deepEqual(advanced.decide(matchAt(settings, RACE_LEAD), 0), { type: 'double' });
      assert.deepEqual(advanced.decide(doubledAt(settings, RACE_LEAD), 1), { type: 'drop' });
    }
  });

  it('does not double at the start position and takes a double there', () => {
    for (const settings of [MONEY, { matchLength: 7 }, { matchLength: 1 }]) {
      assert.deepEqual(expert.decide(matchAt(settings, startPosition()), 0), { type: 'roll' });
      assert.deepEqual(expert.decide(doubledAt(settings, startPosition()), 1), { type: 'take' });
    }
  });

  it('beavers a double from a side far behind when beavers are allowed, and only takes otherwise', () => {
    assert.deepEqual(advanced.decide(doubledAt({ matchLength: 0, beavers: true }, RACE_BEHIND), 1), { type: 'beaver' });
    assert.deepEqual(advanced.decide(doubledAt({ matchLength: 0, beavers: false }, RACE_BEHIND), 1), { type: 'take' });
  });

  it('never doubles in the Crawford game, even with a huge lead', () => {
    const crawford = matchAt({ matchLength: 5 }, RACE_LEAD, { score: [2, 4], crawford: true, crawfordReached: true });
    assert.deepEqual(advanced.decide(crawford, 0), { type: 'roll' });
  });

  it('doubles at once as the post-Crawford trailer; the leader at 1-away never doubles', () => {
    for (const score of [[3, 4], [2, 4], [0, 4]] as const) {
      const trailing = matchAt({ matchLength: 5 }, startPosition(), { score, crawfordReached: true });
      assert.deepEqual(expert.decide(trailing, 0), { type: 'double' }, `score ${score.join('-')}`);
    }
    const leading = matchAt({ matchLength: 5 }, RACE_LEAD, { score: [4, 2], crawfordReached: true });
    assert.deepEqual(advanced.decide(leading, 0), { type: 'roll' });
  });

  it('money with the Jacoby rule: counts no gammons while the cube is centred, so cashes a position it would play on for the gammon', () => {
    const gammonish = Float64Array.of(0.85, 0.55, 0.02, 0.01, 0);
    const situation: CubeSituation = { matchLength: 0, away: 0, opponentAway: 0, postCrawford: false, cubeDead: false, value: 1, owner: 'centred', jacoby: false };
    const withoutJacoby = cubeEquities(gammonish, situation, 0.68);
    const withJacoby = cubeEquities(gammonish, { ...situation, jacoby: true }, 0.68);
    assert.equal(shouldDouble(withoutJacoby), false, 'too good to double without the Jacoby rule');
    assert.equal(shouldDouble(withJacoby), true, 'double and cash with the Jacoby rule');
    assert.ok(withJacoby.noDouble < withoutJacoby.noDouble);
    assert.equal(withJacoby.doubleTake, withoutJacoby.doubleTake, 'gammons count once the cube is turned');
  });

  it('reads the Kazaross XG2 match equity table, Crawford and post-Crawford', () => {
    assert.equal(matchEquity(1, 1, false), 0.5);
    assert.equal(matchEquity(1, 2, false), 0.67736);
    assert.equal(matchEquity(2, 1, true), 0.48803);
    assert.equal(matchEquity(1, 2, true), 1 - 0.48803);
    assert.equal(matchEquity(0, 3, false), 1);
    assert.equal(matchEquity(3, -1, true), 0);
    for (let a = 1; a <= 25; a++) for (let b = 1; b <= 25; b++) assert.ok(Math.abs(matchEquity(a, b, false) + matchEquity(b, a, false) - 1) < 1e-9);
  });
});

describe('bot resignations', () => {
  it('accepts a resignation worth more than playing on and rejects one worth less', () => {
    const resigning = (kind: 'single' | 'gammon', position: Position, settings: Partial<MatchSettings> = MONEY): MatchState => ({
      ...matchAt(settings, position),
      phase: 'resigning',
      resignation: { seat: 0, kind },
    });
    assert.deepEqual(advanced.decide(resigning('single', RACE_BEHIND), 1), { type: 'accept' });
    assert.deepEqual(advanced.decide(resigning('single', startPosition()), 1), { type: 'accept' }, 'a free point at the start');
    // Seat 0 is stuck far back and will be backgammoned: a single game is not enough, a backgammon is.
    const crushed = positionFrom({ 24: 3, 23: 3, 22: 3, 13: 6 }, { 4: 3 });
    assert.deepEqual(advanced.decide(resigning('single', crushed, { matchLength: 0, jacoby: false }), 1), { type: 'reject' });
    assert.deepEqual(advanced.decide(resigning('single', crushed, { matchLength: 0, jacoby: true }), 1), { type: 'accept' }, 'no gammons with the Jacoby rule and a centred cube');
    assert.deepEqual(advanced.decide(resigning('single', crushed, { matchLength: 7 }), 1), { type: 'reject' });
    assert.deepEqual(advanced.decide({ ...resigning('single', crushed), resignation: { seat: 0, kind: 'backgammon' } }, 1), { type: 'accept' });
  });

  it('resigns a game it cannot win, once', () => {
    const lost = positionFrom({ 6: 2, 5: 2, 4: 2, 3: 2, 2: 2, 1: 2 }, { 1: 1 });
    const match = matchAt({ matchLength: 5 }, lost);
    assert.deepEqual(advanced.decide(match, 0), { type: 'resign', kind: 'single' });
    const rejected = { ...match, games: [{ ...match.games[0]!, events: [{ type: 'resign', seat: 0, kind: 'single' } as const, { type: 'reject', seat: 1 } as const] }] };
    assert.notEqual(advanced.decide(rejected, 0)?.type, 'resign');
  });
});

describe('match play cube: take and cash points with the recube', () => {
  const gammonless = (win: number) => Float64Array.of(win, 0, 0, 0, 0);
  const match = (away: number, opponentAway: number, postCrawford = false): CubeSituation => ({
    matchLength: 7,
    away,
    opponentAway,
    postCrawford,
    cubeDead: false,
    value: 1,
    owner: 'centred',
    jacoby: false,
  });

  it('2-away/2-away: the cube after the take is dead, so the take point is the MET (taker needs 32.3%)', () => {
    const mustTake = matchEquity(2, 1, false);
    assert.ok(Math.abs(matchCashPoint(gammonless(0.6), match(2, 2), 1) - (1 - mustTake)) < 1e-12);
    assert.equal(shouldTake(cubeEquities(gammonless(1 - mustTake - 0.01), match(2, 2), 0.68)), true);
    assert.equal(shouldTake(cubeEquities(gammonless(1 - mustTake + 0.01), match(2, 2), 0.68)), false);
  });

  it('2-away/2-away: the game not doubled yet is valued cubeless, as gnubg values it', () => {
    const outcome = Float64Array.of(0.6, 0.2, 0.01, 0.1, 0.005);
    const situation = match(2, 2);
    assert.equal(cubeEquities(outcome, situation, 0.68).noDouble, deadCubeMatchEquity(outcome, situation));
  });

  it('3-away/3-away: the taker will own a cube it can redouble, which moves the cash point up from 69.8% to 77.4%', () => {
    // Doubled to 2, the taker redoubles to 4 (a dead cube: either win ends the match) from 75.1%, the 1-away/3-away MET.
    const takerCashes = matchEquity(1, 3, false);
    const passed = matchEquity(2, 3, false);
    const wonDoubled = matchEquity(1, 3, false);
    const passedRedouble = matchEquity(3, 1, false);
    const expected = 1 - (takerCashes * (wonDoubled - passed)) / (wonDoubled - passedRedouble);
    const cashPoint = matchCashPoint(gammonless(0.7), match(3, 3), 1);
    assert.ok(Math.abs(cashPoint - expected) < 1e-12, `${cashPoint} against ${expected}`);
    const ignoringTheRedouble = (passed - passedRedouble) / (wonDoubled - passedRedouble);
    assert.ok(Math.abs(ignoringTheRedouble - 0.698) < 0.001 && Math.abs(cashPoint - 0.774) < 0.001);
  });

  it('3-away/3-away: with the cube efficiency the taker needs about 24.6%, less than the dead-cube 30.2%', () => {
    assert.equal(shouldTake(cubeEquities(gammonless(0.745), match(3, 3), 0.68)), true);
    assert.equal(shouldTake(cubeEquities(gammonless(0.76), match(3, 3), 0.68)), false);
  });

  it('2-away doubling 4-away: the taker redoubles at once to a 4-cube, so takes with as little as the 4-away/Crawford MET, 18.6%', () => {
    assert.ok(Math.abs(matchCashPoint(gammonless(0.7), match(2, 4), 1) - matchEquity(1, 4, false)) < 1e-12);
  });

  it('post-Crawford free drop: at 1-away against 2-away the leader drops once the trailer is the favourite', () => {
    const trailer = match(2, 1, true);
    assert.equal(shouldDouble(cubeEquities(gammonless(0.45), trailer, 0.68)), true, 'the trailer doubles at once');
    assert.equal(shouldTake(cubeEquities(gammonless(0.48), trailer, 0.68)), true);
    assert.equal(shouldTake(cubeEquities(gammonless(0.52), trailer, 0.68)), false);
  });
});
