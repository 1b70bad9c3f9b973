import assert from 'node:assert/strict';
import { legalMoves, moveChecker, startTurn, type Turn } from '../../src/engine/turn.js';
import { movableFrom, targetsFrom, turnInProgress } from '../../web/src/rules.js';
import { randomGame, seededRandom } from '../support/random-games.js';

/** What the board offers: every movable point and where each can go. */
function offers(turn: Turn): string {
  return movableFrom(turn)
    .sort((a, b) => a - b)
    .map((from) => `${from}->${targetsFrom(turn, from).sort((a, b) => a - b).join(',')}`)
    .join(' ');
}

describe("the web client's legal targets", () => {
  it('rebuild the turn in progress from the board now and the moves made, as the server holds it, through 30 random games', () => {
    const random = seededRandom(2631);
    let checkedSteps = 0;
    for (let game = 0; game < 30; game++) {
      for (const { position, dice, play } of randomGame(random)) {
        let served = startTurn(position, dice);
        for (const move of play?.moves ?? []) {
          served = moveChecker(served, move.from, move.to);
          const made = served.steps.flatMap((step) => step.moves);
          const rebuilt = turnInProgress(served.position, dice, made);
          assert.ok(rebuilt, `the turn rebuilds after ${made.length} move(s)`);
          assert.deepEqual(rebuilt.position, served.position);
          assert.deepEqual(legalMoves(rebuilt), legalMoves(served));
          assert.equal(offers(rebuilt), offers(served));
          checkedSteps += 1;
        }
      }
    }
    assert.ok(checkedSteps > 1000, `${checkedSteps} steps checked`);
  });

  it('offer only the targets the server accepts, reaching further points through several dice', () => {
    const turn = startTurn({ player: startSide(), opponent: startSide() }, [6, 5]);
    const targets = targetsFrom(turn, 24);
    // 24/19 lands on the opponent's 6 point; 24/13 goes through 18.
    assert.deepEqual(targets.sort((a, b) => a - b), [13, 18]);
    for (const to of targets) assert.doesNotThrow(() => moveChecker(turn, 24, to));
    for (const to of [19, 14]) assert.throws(() => moveChecker(turn, 24, to));
  });
});

function startSide(): number[] {
  const side = new Array<number>(26).fill(0);
  side[24] = 2;
  side[13] = 5;
  side[8] = 3;
  side[6] = 5;
  return side;
}
