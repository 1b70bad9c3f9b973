import assert from 'node:assert/strict';
import { cubeEfficiency, cubeEquities, shouldDouble, shouldTake } from '../../src/bots/cube-decisions.js';
import { caseSituation, comparedCases, gnubgCubeAnalyses, inGnubgTwoSidedBearoff } from '../../src/bots/gnubg/cube-analysis.js';
import { positionFrom } from '../../src/engine/index.js';
import { benchPositions } from '../../bench/positions.js';
import { requireService } from '../support/services.js';

describe("cube decisions against GNU Backgammon's 0-ply cube analysis", function () {
  this.timeout(120_000);
  before(async function () {
    await requireService(this, 'gnubg');
  });

  it("given gnubg's probabilities, gives gnubg's cubeful equities and verdicts, money and match, recubes included", () => {
    const bearingOff = positionFrom({ 6: 5, 5: 5, 4: 5 }, { 6: 6, 5: 5, 4: 4 });
    const positions = [...benchPositions(2, 11).map((entry) => entry.position), bearingOff].filter((position) => !inGnubgTwoSidedBearoff(position));
    const cases = comparedCases(positions);
    const analyses = gnubgCubeAnalyses(cases);
    cases.forEach((cubeCase, index) => {
      const { outcome, equities: theirs } = analyses[index]!;
      const ours = cubeEquities(outcome, caseSituation(cubeCase), cubeEfficiency(cubeCase.position));
      const label = `${JSON.stringify({ ...cubeCase, position: undefined })} p=${outcome[0]}`;
      for (const key of ['noDouble', 'doubleTake', 'doublePass'] as const) {
        // gnubg prints six digits and computes in single precision.
        assert.ok(Math.abs(ours[key] - theirs[key]) < 2e-5, `${key} ${ours[key]} against gnubg's ${theirs[key]}: ${label}`);
      }
      if (Math.abs(Math.min(theirs.doubleTake, theirs.doublePass) - theirs.noDouble) > 1e-4) assert.equal(shouldDouble(ours), shouldDouble(theirs), label);
      if (Math.abs(theirs.doubleTake - theirs.doublePass) > 1e-4) assert.equal(shouldTake(ours), shouldTake(theirs), label);
    });
  });
});
