import assert from 'node:assert/strict';
import { analyseGame, analysePosition, ratingOf, skillOf, summarise, type GameAnalysis } from '../../src/bots/analysis/index.js';
import { analyseCube, matchWinningChancesToEquity, normalisedValue, whyNoCubeDecision } from '../../src/bots/analysis/equity.js';
import { bestEquity, openingLuck, rollLuck } from '../../src/bots/analysis/luck.js';
import type { CubeSituation } from '../../src/bots/cube-decisions.js';
import { netSearch } from '../../src/bots/index.js';
import { matchEquity } from '../../src/bots/met.js';
import { equityOf } from '../../src/bots/outcome.js';
import { botPlayer } from '../../src/bots/player.js';
import type { SeatPlayer } from '../../src/bots/seat-player.js';
import { netEvaluator } from '../../src/bots/shared-evaluator.js';
import { ALL_ROLLS, formatPlay, isDouble, positionFrom, positionId, startPosition, turnAround, whyNoDouble } from '../../src/engine/index.js';
import { playLoggedMatch, type LoggedMatch } from '../support/logged-matches.js';

const MONEY: CubeSituation = { matchLength: 0, away: 0, opponentAway: 0, postCrawford: false, cubeDead: false, value: 1, owner: 'centred', jacoby: false };
const FOUR_AWAY_ALL: CubeSituation = { ...MONEY, matchLength: 7, away: 4, opponentAway: 4 };

/** Money prospects with the given winning chance and share of gammons among the wins. */
function prospects(win: number, gammons = 0): Float64Array {
  return Float64Array.of(win, gammons, 0, 0, 0);
}

describe('game analysis', function () {
  this.timeout(300_000);

  describe("gnubg's yardsticks", () => {
    it('labels a decision by the equity it lost: more than 0.04 doubtful, 0.08 bad, 0.16 very bad', () => {
      assert.equal(skillOf(0), null);
      assert.equal(skillOf(0.04), null);
      assert.equal(skillOf(0.0401), 'doubtful');
      assert.equal(skillOf(0.08), 'doubtful');
      assert.equal(skillOf(0.1), 'bad');
      assert.equal(skillOf(0.16), 'bad');
      assert.equal(skillOf(0.5), 'very bad');
    });

    it('rates an error rate per decision as gnubg does, each label for rates below its bound', () => {
      const cases: [number, string][] = [
        [0, 'Supernatural'],
        [0.0019, 'Supernatural'],
        [0.002, 'World class'],
        [0.0049, 'World class'],
        [0.005, 'Expert'],
        [0.008, 'Advanced'],
        [0.012, 'Intermediate'],
        [0.018, 'Casual player'],
        [0.026, 'Beginner'],
        [0.0349, 'Beginner'],
        [0.035, 'Awful!'],
        [0.2, 'Awful!'],
      ];
      for (const [rate, label] of cases) assert.equal(ratingOf(rate), label, `error rate ${rate}`);
    });

    it('adds up error rates as equity lost per counted decision, in thousandths, and luck per roll', () => {
      const summary = summarise({ unforcedMoves: 30, cubeDecisions: 2, checkerEquityLost: 0.24, cubeEquityLost: 0.08, doubtful: 2, errors: 1, blunders: 1, luck: -0.3, rolls: 40 });
      assert.equal(summary.decisions, 32);
      assert.ok(Math.abs(summary.equityLost - 0.32) < 1e-12);
      assert.ok(Math.abs(summary.errorRate! - 10) < 1e-9, 'mEMG: 1000 x 0.32 / 32');
      assert.ok(Math.abs(summary.checkerErrorRate! - 8) < 1e-9);
      assert.ok(Math.abs(summary.cubeErrorRate! - 40) < 1e-9);
      assert.equal(summary.rating, 'Advanced');
      assert.ok(Math.abs(summary.luckRate! + 7.5) < 1e-9);
      const none = summarise({ ...summary, unforcedMoves: 0, cubeDecisions: 0, rolls: 0 });
      assert.equal(none.errorRate, null);
      assert.equal(none.rating, null);
      assert.equal(none.luckRate, null);
    });
  });

  describe('equity and the cube', () => {
    it('maps match-winning chances to normalised equity: winning the cube is +1, losing it -1', () => {
      const doubled: CubeSituation = { ...FOUR_AWAY_ALL, value: 2, owner: 'player' };
      assert.ok(Math.abs(matchWinningChancesToEquity(matchEquity(2, 4, false), doubled) - 1) < 1e-12);
      assert.ok(Math.abs(matchWinningChancesToEquity(matchEquity(4, 2, false), doubled) + 1) < 1e-12);
      assert.equal(normalisedValue(MONEY), equityOf);
    });

    it('gives the cube verdicts of clear positions', () => {
      assert.equal(analyseCube(prospects(0.5), MONEY, 0.68).verdict, 'No double, take');
      assert.equal(analyseCube(prospects(0.72), MONEY, 0.68).verdict, 'Double, take');
      assert.equal(analyseCube(prospects(0.9), MONEY, 0.68).verdict, 'Double, pass');
      assert.equal(analyseCube(prospects(0.9, 0.6), MONEY, 0.68).verdict, 'Too good to double, pass');
      assert.equal(analyseCube(prospects(0.9), { ...MONEY, value: 2, owner: 'player' }, 0.68).verdict, 'Redouble, pass');
      const pass = analyseCube(prospects(0.9), MONEY, 0.68);
      assert.equal(pass.doublePass, 1);
      assert.equal(pass.optimal, 1);
      assert.ok(pass.close, 'a right double counts as a decision');
      assert.equal(analyseCube(prospects(0.5), MONEY, 0.68).close, false, 'an even position is no cube decision worth counting');
    });

    it('says why a side has no cube decision', () => {
      assert.equal(whyNoCubeDecision(MONEY), null);
      assert.match(whyNoCubeDecision({ ...FOUR_AWAY_ALL, cubeDead: true })!, /Crawford/);
      assert.match(whyNoCubeDecision({ ...MONEY, value: 2, owner: 'opponent' })!, /opponent owns/);
      assert.match(whyNoCubeDecision({ ...FOUR_AWAY_ALL, away: 2, value: 2, owner: 'player' })!, /already wins the match/);
    });
  });

  describe('luck', () => {
    const position = positionFrom({ 24: 2, 13: 4, 8: 3, 6: 4, 4: 2 }, { 24: 1, 23: 1, 13: 5, 8: 3, 6: 5 });

    it('is the equity after the best play of the roll less its average over the 36 rolls, so the rolls average none', () => {
      const evaluator = netEvaluator();
      let average = 0;
      for (const dice of ALL_ROLLS) average += ((isDouble(dice) ? 1 : 2) * rollLuck(evaluator, position, dice, equityOf)) / 36;
      assert.ok(Math.abs(average) < 1e-9);
      const sixFive = rollLuck(evaluator, position, [6, 5], equityOf);
      assert.ok(Math.abs(sixFive - rollLuck(evaluator, position, [5, 6], equityOf)) < 1e-12, 'the order of the dice does not matter');
    });

    it('of an opening roll in money play, is the starter’s equity after its best play: the 30 starting rolls average none', () => {
      const evaluator = netEvaluator();
      const start = startPosition();
      const luck = openingLuck(evaluator, start, [3, 1], equityOf, equityOf);
      assert.ok(Math.abs(luck - bestEquity(evaluator, start, [3, 1], equityOf)) < 1e-9);
      assert.ok(luck > 0, '31 is a good opening roll');
    });
  });

  describe('a game with a deliberately bad play', () => {
    let played: LoggedMatch;
    let bad: { positionId: string; play: string; zeroPlyLoss: number } | null = null;
    let analysis: GameAnalysis;

    before(() => {
      const [white, black] = [botPlayer('net0'), botPlayer('net0')];
      played = playLoggedMatch({
        players: [white, black],
        settings: { matchLength: 1 },
        seed: 5,
        pickPlay: (match, seat, plays, turn) => {
          if (bad || seat !== 0 || turn < 6) return -1;
          const { equities } = netSearch().rank(plays, 0);
          const worst = equities.indexOf(Math.min(...equities));
          const zeroPlyLoss = Math.max(...equities) - equities[worst]!;
          if (zeroPlyLoss < 0.4) return -1;
          bad = { positionId: positionId(match.turnInProgress!.start), play: formatPlay(plays[worst]!), zeroPlyLoss };
          return worst;
        },
      });
      analysis = analyseGame(played.log, 1, 1);
    });

    it('flags that play as the largest error of the game, and as very bad', () => {
      assert.ok(bad, 'a turn offered a play much worse than the best');
      const largest = analysis.decisions.reduce((worst, decision) => (decision.equityLost > worst.equityLost ? decision : worst));
      assert.equal(largest.kind, 'play');
      assert.equal(largest.seat, 0);
      assert.equal(largest.positionId, bad.positionId);
      assert.equal(largest.played, bad.play);
      assert.notEqual(largest.best, bad.play);
      assert.equal(largest.skill, 'very bad');
      assert.ok(largest.counted);
      assert.equal(analysis.players[0].blunders >= 1, true);
    });

    it('judges one play for every roll, and counts only the plays with a choice', () => {
      const rolls = played.log.filter(({ entry }) => entry.type === 'roll' || (entry.type === 'opening-roll' && entry.dice[0] !== entry.dice[1])).length;
      const plays = analysis.decisions.filter((decision) => decision.kind === 'play');
      assert.equal(plays.length, rolls);
      const forced = plays.filter((decision) => decision.legalPlays! <= 1);
      assert.ok(forced.length > 0, 'the game had forced plays');
      for (const decision of forced) {
        assert.equal(decision.counted, false);
        assert.equal(decision.equityLost, 0);
      }
      for (const seat of [0, 1] as const) {
        const own = plays.filter((decision) => decision.seat === seat);
        const totals = analysis.players[seat];
        assert.equal(totals.unforcedMoves, own.filter((decision) => decision.legalPlays! > 1).length);
        assert.equal(totals.rolls, own.length);
        assert.ok(Math.abs(totals.checkerEquityLost - own.reduce((sum, decision) => sum + decision.equityLost, 0)) < 1e-9);
        assert.ok(Math.abs(totals.luck - own.reduce((sum, decision) => sum + decision.luck!, 0)) < 1e-9);
        const summary = summarise(totals);
        assert.ok(Math.abs(summary.errorRate! - (1000 * totals.checkerEquityLost) / totals.unforcedMoves) < 1e-9);
      }
    });

    it('has no cube decisions in a 1-point match, where the cube cannot matter', () => {
      assert.ok(analysis.decisions.every((decision) => decision.kind === 'play'));
      assert.equal(analysis.players[0].cubeDecisions + analysis.players[1].cubeDecisions, 0);
    });
  });

  describe('cube decisions in a game', () => {
    /** Doubles at its first chance, and drops every double. */
    function eager(inner: SeatPlayer): SeatPlayer {
      return {
        ...inner,
        decide: (match, seat) => {
          if (match.phase === 'doubled') return { type: 'drop' };
          if (match.phase === 'rolling' && whyNoDouble(match, seat) === null) return { type: 'double' };
          return inner.decide(match, seat);
        },
      };
    }

    it('flags an early double and its drop as errors, and counts both decisions', () => {
      const played = playLoggedMatch({ players: [eager(botPlayer('net0')), eager(botPlayer('net0'))], settings: { matchLength: 3 }, seed: 9 });
      const analysis = analyseGame(played.log, 1, 0);
      const double = analysis.decisions.find((decision) => decision.kind === 'double')!;
      const drop = analysis.decisions.find((decision) => decision.kind === 'drop')!;
      assert.equal(double.best, 'No double');
      assert.ok(double.equityLost > 0.1, `an opening double loses equity (${double.equityLost})`);
      assert.equal(drop.best, 'Take');
      assert.ok(drop.equityLost > 0.5, `dropping an early double gives up most of a point (${drop.equityLost})`);
      assert.equal(drop.skill, 'very bad');
      assert.equal(drop.positionId, double.positionId, 'the answer is judged in the position doubled in');
      assert.equal(analysis.players[double.seat].cubeDecisions, 1);
      assert.equal(analysis.players[drop.seat].cubeDecisions, 1);
      assert.ok(Math.abs(analysis.players[drop.seat].cubeEquityLost - drop.equityLost) < 1e-12);
    });
  });

  describe('a position', () => {
    it('lists the best plays first, each with its difference to the best, and the cube decision', () => {
      const position = turnAround(positionFrom({ 24: 2, 13: 5, 8: 3, 6: 5 }, { 24: 2, 13: 5, 8: 3, 6: 5 }));
      const result = analysePosition(position, MONEY, [3, 1], 1);
      assert.equal(result.plays[0]!.play, '8/5 6/5');
      assert.equal(result.plays[0]!.difference, 0);
      assert.equal(result.legalPlays, 16);
      for (let index = 1; index < result.plays.length; index++) assert.ok(result.plays[index]!.difference <= 0);
      assert.equal(result.cube?.verdict, 'No double, take');
      assert.ok(Math.abs(result.evaluation.win - 0.5) < 0.1);
    });

    it('has no cube decision in the Crawford game, and says so', () => {
      const result = analysePosition(startPosition(), { ...FOUR_AWAY_ALL, away: 1, postCrawford: true, cubeDead: true }, null, 0);
      assert.equal(result.cube, null);
      assert.match(result.cubeUnavailable!, /Crawford/);
      assert.equal(result.legalPlays, null);
      assert.deepEqual(result.plays, []);
    });
  });
});
