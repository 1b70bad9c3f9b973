/**
 * Checks the engine against GNU Backgammon itself where it is installed (Debian: apt-get install
 * gnubg). Without it these tests skip (and fail where TAVLA_REQUIRE_SERVICES=1, as in CI): the other engine tests pin the same behaviour with
 * values taken from gnubg.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ALL_ROLLS } from '../../src/engine/dice.js';
import { positionId } from '../../src/engine/gnubg-id.js';
import { legalPlays } from '../../src/engine/legal.js';
import { exportMat } from '../../src/engine/mat.js';
import { applyAction, matchRecord, newMatch, seatToAct, type MatchState } from '../../src/engine/match.js';
import { formatPlay } from '../../src/engine/notation.js';
import { turnPlays } from '../../src/engine/turn.js';
import { benchPositions } from '../../bench/positions.js';
import { hintedPlays, runGnubgCommands as runGnubg } from '../../src/bots/gnubg/command-line.js';
import { randomDice, seededRandom } from '../support/random-games.js';
import { requireService } from '../support/services.js';

/** A match of random legal plays with random cube actions, played to its end. */
function randomMatchState(seed: number, matchLength: number): MatchState {
  const random = seededRandom(seed);
  let state = applyAction(newMatch({ matchLength }), { type: 'opening-roll', dice: [1, 2] });
  while (state.phase !== 'over') {
    const seat = seatToAct(state);
    if (state.phase === 'opening') state = applyAction(state, { type: 'opening-roll', dice: randomDice(random) });
    else if (state.phase === 'doubled') state = applyAction(state, { type: random() < 0.7 ? 'take' : 'drop', seat: seat! });
    else if (state.phase === 'rolling') {
      const doubles = random() < 0.08 && (state.cube.owner === null || state.cube.owner === seat);
      state = doubles && !state.crawford ? applyAction(state, { type: 'double', seat: seat! }) : applyAction(state, { type: 'roll', seat: seat!, dice: randomDice(random) });
    } else if (state.phase === 'moving') {
      const plays = turnPlays(state.turnInProgress!);
      const play = plays[Math.floor(random() * plays.length)]!;
      for (const move of play.moves) state = applyAction(state, { type: 'move', seat: seat!, from: move.from, to: move.to });
      state = applyAction(state, { type: 'confirm', seat: seat! });
    }
  }
  return state;
}

describe('agreement with GNU Backgammon', function () {
  this.timeout(180_000);
  before(async function () {
    await requireService(this, 'gnubg');
  });

  it('lists the same plays, in gnubg notation, for positions given by Position ID', () => {
    const positions = benchPositions(2, 4242).map((entry) => entry.position);
    const commands = ['new game'];
    const expected: string[][] = [];
    for (const position of positions) {
      for (const [high, low] of ALL_ROLLS) {
        commands.push(`set board ${positionId(position)}`, `set dice ${high} ${low}`, 'hint 999', 'show dice');
        expected.push(legalPlays(position, [high, low]).map(formatPlay).sort());
      }
    }
    const blocks = runGnubg(commands).split(/^\S+ (?:has|have) rolled \d and \d\.$/m).slice(0, expected.length);
    assert.equal(blocks.length, expected.length);
    blocks.forEach((block, index) => assert.deepEqual(hintedPlays(block).sort(), expected[index], `position-roll ${index}`));
  });

  it('imports our .mat export and writes it back unchanged', () => {
    const folder = mkdtempSync(join(tmpdir(), 'tavla-gnubg-'));
    try {
      for (const [seed, length] of [[11, 3], [12, 5], [13, 1]] as const) {
        const ours = exportMat(matchRecord(randomMatchState(seed, length), ['alice', 'bob']));
        const input = join(folder, `in-${seed}.mat`);
        const output = join(folder, `out-${seed}.mat`);
        writeFileSync(input, ours);
        runGnubg([`import mat ${input}`, `export match mat ${output}`]);
        const theirs = readFileSync(output, 'utf8').split('\n').filter((line) => !line.startsWith(';'));
        assert.deepEqual(theirs.join('\n').trim(), ours.trim(), `match ${seed}`);
      }
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
