import assert from 'node:assert/strict';
import { legalPlays, positionFrom, positionsEqual, startPosition, turnAround, type Position } from '../../src/engine/index.js';
import { encodePosition, FEATURES_INPUT, INPUT_COUNT, INPUT_LAYOUT, SIDE_INPUTS, SparseInputs } from '../../src/bots/encoding.js';
import { choosePlay, evaluate, LEVELS, netEvaluator, type BotLevel, type LevelName } from '../../src/bots/index.js';
import { newOutcome } from '../../src/bots/outcome.js';
import { Prng } from '../../src/bots/prng.js';
import { Network } from '../../src/bots/network.js';
import { deserializeNet, serializeNet } from '../../src/bots/weights-file.js';

/** Positions from a few seeded games of random plays: openings, middle games, races, bear-offs. */
function samplePositions(count: number): Position[] {
  const prng = Prng.fromSeed(11);
  const positions: Position[] = [];
  let position = startPosition();
  while (positions.length < count) {
    const plays = legalPlays(position, [prng.die(), prng.die()]);
    const play = plays[prng.below(plays.length)];
    const after = play ? play.position : position;
    if (after.player[0] === 15) position = startPosition();
    else position = turnAround(after);
    positions.push(position);
  }
  return positions;
}

function unitsOf(position: Position): number[] {
  return Array.from(encodePosition(position, new SparseInputs()).toDense());
}

describe('bot net: input encoding', () => {
  it('has 210 inputs: 98 per side, then pips and primes, then ten contact features', () => {
    assert.equal(INPUT_COUNT, 210);
    assert.equal(SIDE_INPUTS, 98);
    assert.equal(FEATURES_INPUT, 200);
  });

  it('encodes each side from its own point of view, the side on roll first', () => {
    const position = positionFrom({ 24: 1, 6: 5 }, { 2: 2 });
    const units = unitsOf(position);
    assert.deepEqual(units.slice(23 * 4, 24 * 4), [1, 0, 0, 0]);
    assert.deepEqual(units.slice(5 * 4, 6 * 4), [1, 1, 1, 1]);
    assert.deepEqual(units.slice(SIDE_INPUTS + 4, SIDE_INPUTS + 8), [1, 1, 0, 0]);
    assert.equal(units[97], 9 / 15);
    assert.equal(units[SIDE_INPUTS + 97], 13 / 15);
    assert.equal(units[196], (24 + 30) / 100);
    assert.equal(units[197], 4 / 100);
    assert.equal(units[198], 1 / 6);
    assert.equal(units[199], 1 / 6);
  });

  it('swaps the halves when the board is turned around', () => {
    const position = samplePositions(40)[39]!;
    const units = unitsOf(position);
    const turned = unitsOf(turnAround(position));
    assert.deepEqual(turned.slice(0, SIDE_INPUTS), units.slice(SIDE_INPUTS, 2 * SIDE_INPUTS));
    assert.deepEqual(turned.slice(SIDE_INPUTS, 2 * SIDE_INPUTS), units.slice(0, SIDE_INPUTS));
    for (let feature = FEATURES_INPUT; feature < INPUT_COUNT; feature += 2) {
      assert.deepEqual(turned.slice(feature, feature + 2), units.slice(feature, feature + 2).reverse());
    }
  });
});

describe('bot net: evaluation', () => {
  it('gives consistent probabilities and the equity they imply', () => {
    for (const position of samplePositions(300)) {
      const { win, winGammon, winBackgammon, loseGammon, loseBackgammon, equity } = evaluate(position);
      for (const p of [win, winGammon, winBackgammon, loseGammon, loseBackgammon]) assert.ok(p >= 0 && p <= 1);
      assert.ok(winGammon <= win && winBackgammon <= winGammon);
      assert.ok(loseGammon <= 1 - win && loseBackgammon <= loseGammon);
      const expected = 2 * win - 1 + winGammon - loseGammon + winBackgammon - loseBackgammon;
      assert.ok(Math.abs(equity - expected) < 1e-12);
    }
  });

  it('judges each play of a roll as evaluate judges the position it leaves', () => {
    const evaluator = netEvaluator();
    const chosen = newOutcome();
    for (const position of samplePositions(80)) {
      const plays = legalPlays(position, [6, 4]);
      if (plays.length === 0) continue;
      const best = evaluator.bestPlay(plays, chosen);
      const direct = evaluate(turnAround(plays[best]!.position));
      const expected = [direct.win, direct.winGammon, direct.winBackgammon, direct.loseGammon, direct.loseBackgammon];
      expected.forEach((p, i) => assert.ok(Math.abs(p - chosen[i]!) < 1e-9));
      const equities = plays.map((play) => -evaluate(turnAround(play.position)).equity);
      assert.ok(Math.abs(Math.max(...equities) - equities[best]!) < 1e-9);
    }
  });

  it('evaluates finished games exactly', () => {
    const lostSingle = evaluate(positionFrom({ 3: 2 }, {}));
    assert.deepEqual(lostSingle, { win: 0, winGammon: 0, winBackgammon: 0, loseGammon: 0, loseBackgammon: 0, equity: -1 });
    const lostGammon = evaluate(positionFrom({ 3: 15 }, {}));
    assert.equal(lostGammon.equity, -2);
    const lostBackgammon = evaluate(positionFrom({ 3: 14, 20: 1 }, {}));
    assert.deepEqual(lostBackgammon, { win: 0, winGammon: 0, winBackgammon: 0, loseGammon: 1, loseBackgammon: 1, equity: -3 });
    const won = evaluate(positionFrom({}, { 22: 1, 1: 14 }));
    assert.deepEqual(won, { win: 1, winGammon: 1, winBackgammon: 1, loseGammon: 0, loseBackgammon: 0, equity: 3 });
  });
});

describe('bot net: choosePlay', () => {
  const levels: BotLevel[] = [...Object.values(LEVELS), { name: 'noisy', evaluator: 'net', plies: 0, noise: 0.3 }];
  for (const level of levels) {
    it(`returns a legal play at level ${level.name}`, function () {
      // A 2-ply search over 60 positions takes seconds alone, far longer on a machine busy with other work.
      this.timeout(180_000);
      const prng = Prng.fromSeed(5);
      for (const position of samplePositions(60)) {
        const dice = [prng.die(), prng.die()] as const;
        const plays = legalPlays(position, dice);
        const play = choosePlay(level, position, dice, () => prng.next());
        if (plays.length === 0) assert.equal(play, null);
        else assert.ok(plays.some((legal) => positionsEqual(legal.position, play!.position)));
      }
    });
  }

  it('refuses a level it does not know', () => {
    assert.throws(() => choosePlay('grandmaster' as LevelName, startPosition(), [3, 1]), /unknown bot level grandmaster/);
  });

  it('passes (null) when no play is legal', () => {
    const closed = positionFrom({ 25: 1, 13: 14 }, { 1: 2, 2: 2, 3: 2, 4: 2, 5: 2, 6: 2, 13: 3 });
    assert.equal(choosePlay('net0', closed, [6, 6]), null);
  });
});

describe('bot net: weights of the earlier encoding', () => {
  it('load as nets whose weights from the contact features are zero, judging every position as before', () => {
    const earlier = new Network(FEATURES_INPUT, 8);
    earlier.initialize(((prng) => () => prng.below(1_000_000) / 1_000_000)(Prng.fromSeed(3)));
    const loaded = deserializeNet(serializeNet(earlier));
    assert.equal(loaded.inputCount, INPUT_COUNT);
    assert.deepEqual(loaded.inputWeights.subarray(0, earlier.inputWeights.length), earlier.inputWeights);
    assert.ok(loaded.inputWeights.subarray(earlier.inputWeights.length).every((weight) => weight === 0));
    const [before, after] = [newOutcome(), newOutcome()];
    for (const position of samplePositions(50)) {
      const inputs = encodePosition(position, new SparseInputs());
      loaded.evaluate(inputs, after);
      const earlierInputs = new SparseInputs();
      for (let k = 0; k < inputs.count; k++) if (inputs.indexes[k]! < FEATURES_INPUT) earlierInputs.push(inputs.indexes[k]!, inputs.values[k]!);
      earlier.evaluate(earlierInputs, before);
      assert.deepEqual([...after], [...before]);
    }
  });
});

describe('bot net: more hidden units', () => {
  it('keep every judgement of the smaller net, the added units starting with zero output weights', () => {
    const random = ((prng) => () => prng.below(1_000_000) / 1_000_000)(Prng.fromSeed(5));
    const smaller = new Network(INPUT_COUNT, 6);
    smaller.initialize(random);
    const wider = smaller.withHiddenUnits(9, random);
    assert.equal(wider.hiddenCount, 9);
    assert.ok(wider.inputWeights.some((weight, index) => index % 9 >= 6 && weight !== 0), 'the added units have input weights');
    const [before, after] = [newOutcome(), newOutcome()];
    for (const position of samplePositions(50)) {
      const inputs = encodePosition(position, new SparseInputs());
      smaller.evaluate(inputs, before);
      wider.evaluate(inputs, after);
      assert.deepEqual([...after], [...before]);
    }
    assert.throws(() => wider.withHiddenUnits(8, random), /cannot shrink/);
  });
});

describe('bot net: the input layout in the weights file', () => {
  const current = serializeNet(new Network(INPUT_COUNT, 4));

  it('is recorded with each net: the blocks of this encoding, or the leading ones a net of an earlier encoding has', () => {
    assert.deepEqual(current.layout, INPUT_LAYOUT);
    assert.deepEqual(serializeNet(new Network(FEATURES_INPUT, 4)).layout, INPUT_LAYOUT.slice(0, 3));
    assert.throws(() => serializeNet(new Network(150, 4)), /150 inputs fits no leading part/);
  });

  it('is taken from the input count in files that do not record it', () => {
    const { layout, ...unrecorded } = current;
    assert.ok(layout);
    assert.equal(deserializeNet(unrecorded).inputCount, INPUT_COUNT);
    assert.throws(() => deserializeNet({ ...unrecorded, inputs: 150 }), /the weights have 150 inputs laid out as \[\]; this encoding reads/);
  });

  it('refuses weights laid out otherwise, naming both layouts', () => {
    const renamed = [...INPUT_LAYOUT.slice(0, -1), 'mobility:4'];
    assert.throws(() => deserializeNet({ ...current, layout: renamed }), /laid out as \[board:196, pips:2, primes:2, contact:6, mobility:4\]; this encoding reads \[board:196, pips:2, primes:2, contact:6, contact-pips:4\]/);
    assert.throws(() => deserializeNet({ ...current, layout: [...INPUT_LAYOUT, 'mobility:2'] }), /210 inputs laid out as/);
    assert.throws(() => deserializeNet({ ...current, layout: INPUT_LAYOUT.slice(0, -1) }), /210 inputs laid out as/);
  });
});
