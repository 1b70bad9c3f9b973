import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createFairDice, type FairRoll } from '../../src/engine/index.js';
import { checkFairDice } from '../../web/src/fair-dice.js';

/** The web client's Web Crypto check against the engine's own dice, run on Node's Web Crypto. */
describe("the web client's fair-dice check", () => {
  function playedRolls(clientSeeds: string[], count: number) {
    const dice = createFairDice({ clientSeeds });
    const rolls: FairRoll[] = Array.from({ length: count }, () => dice.roll());
    return { reveal: dice.reveal(), rolls: rolls.map((roll) => ({ index: roll.index, dice: [...roll.dice] })) };
  }

  it('recomputes every roll the engine made, with and without client seeds, in any alphabet', async () => {
    for (const clientSeeds of [[], [randomBytes(16).toString('hex')], ['ab', 'ünïcødé-😀'], ['', randomBytes(40).toString('base64url')]]) {
      const { reveal, rolls } = playedRolls(clientSeeds, 200);
      const report = await checkFairDice({ ...reveal, clientSeeds: [...reveal.clientSeeds], rolls });
      assert.deepEqual(report, { commitmentMatches: true, mismatches: [], checked: 200 });
    }
  });

  it('names a roll that was changed, and a seed that does not match its commitment', async () => {
    const { reveal, rolls } = playedRolls(['seed-of-seat-0-abcdef'], 30);
    const changed = rolls.map((roll) => (roll.index === 17 ? { ...roll, dice: [roll.dice[0] === 6 ? 1 : roll.dice[0]! + 1, roll.dice[1]!] } : roll));
    const tampered = await checkFairDice({ ...reveal, clientSeeds: [...reveal.clientSeeds], rolls: changed });
    assert.deepEqual(tampered.mismatches, [17]);
    const otherSeed = await checkFairDice({ ...reveal, serverSeed: randomBytes(32).toString('hex'), clientSeeds: [...reveal.clientSeeds], rolls });
    assert.equal(otherSeed.commitmentMatches, false);
    assert.ok(otherSeed.mismatches.length > 20, 'another seed gives other dice');
  });
});
