import assert from 'node:assert/strict';
import { ALL_ROLLS, formatPlay, legalPlays, positionId, type Dice, type Play, type Position } from '../../src/engine/index.js';
import { hintedPlays, runGnubgCommands } from '../../src/bots/gnubg/command-line.js';
import { GnubgUnavailable } from '../../src/bots/gnubg/external.js';
import { GnubgPlayer } from '../../src/bots/gnubg/player.js';
import { playPair, pubevalChooser } from '../../src/bots/training/benchmark.js';
import type { PlayChooser } from '../../src/bots/training/game.js';
import { benchPositions } from '../../bench/positions.js';
import { requireService } from '../support/services.js';

describe('GNU Backgammon as a bench:bots opponent', function () {
  this.timeout(120_000);
  let gnubg: GnubgPlayer;

  before(async function () {
    await requireService(this, 'gnubg');
    gnubg = GnubgPlayer.start();
  });
  after(() => gnubg?.close());

  it('plays a seeded pair of cubeless games against pubeval, every choice one of our legal plays', () => {
    let choices = 0;
    const checked: PlayChooser = (position, plays, dice) => {
      const index = gnubg.choose(position, plays, dice);
      if (plays.length > 0) {
        assert.ok(index >= 0 && index < plays.length, `index ${index} of ${plays.length} plays`);
        assert.deepEqual(legalPlays(position, dice).map(formatPlay), plays.map(formatPlay));
        choices++;
      }
      return index;
    };
    const result = playPair(checked, pubevalChooser, 7, 0);
    assert.ok(choices > 10, `${choices} choices`);
    assert.ok(Math.abs(result.points) <= 3 && [0, 1, 2].includes(result.wins), JSON.stringify(result));
  });

  it("chooses the play gnubg's own 0-ply hint ranks first", () => {
    const cases: Array<{ position: Position; dice: Dice; plays: Play[] }> = [];
    for (const { position } of benchPositions(3, 99)) {
      for (const dice of ALL_ROLLS.filter((_, index) => index % 4 === 0)) {
        const plays = legalPlays(position, dice);
        if (plays.length > 1) cases.push({ position, dice, plays });
      }
    }
    const commands = ['new game', 'set evaluation chequerplay evaluation plies 0', 'set evaluation chequerplay evaluation cubeful off', 'set jacoby off'];
    for (const { position, dice } of cases) commands.push(`set board ${positionId(position)}`, `set dice ${dice[0]} ${dice[1]}`, 'hint 1', 'show dice');
    const blocks = runGnubgCommands(commands).split(/^\S+ (?:has|have) rolled \d and \d\.$/m).slice(0, cases.length);
    assert.ok(cases.length > 50, `${cases.length} cases`);
    assert.equal(blocks.length, cases.length);
    cases.forEach(({ position, dice, plays }, index) => {
      const ours = formatPlay(plays[gnubg.choose(position, plays, dice)]!);
      assert.equal(ours, hintedPlays(blocks[index]!)[0], `${positionId(position)} ${dice.join('-')}`);
    });
  });

  it("fails loudly when gnubg's play is not among the plays it is given", () => {
    const { position } = benchPositions(1, 5)[1]!;
    const dice: Dice = [5, 2];
    const plays = legalPlays(position, dice);
    const chosen = gnubg.choose(position, plays, dice);
    const others = plays.filter((_, index) => index !== chosen);
    assert.throws(() => gnubg.choose(position, others, dice), /none of our \d+ legal plays/);
  });
});

describe('GNU Backgammon missing', () => {
  it('says how to install it', () => {
    assert.throws(() => GnubgPlayer.start({ executable: '/nonexistent/gnubg' }), (error: Error) => {
      assert.ok(error instanceof GnubgUnavailable);
      assert.match(error.message, /not installed at \/nonexistent\/gnubg.*apt-get install gnubg/);
      return true;
    });
  });
});
