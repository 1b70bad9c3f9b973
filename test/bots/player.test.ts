import assert from 'node:assert/strict';
import { choosePlay } from '../../src/bots/index.js';
import { BOT_NAMES, botPlayer, type BotName } from '../../src/bots/player.js';
import { applyAction, newMatch, positionsEqual, type MatchState } from '../../src/engine/index.js';
import { Prng } from '../../src/bots/prng.js';
import { playMatch } from './play-match.js';

function bot(name: BotName, seed: number) {
  const prng = Prng.fromSeed(seed);
  return botPlayer(name, () => prng.next());
}

describe('bot players', () => {
  it('names every level and the random bot', () => {
    assert.deepEqual([...BOT_NAMES].sort(), ['advanced', 'beginner', 'expert', 'intermediate', 'net0', 'pubeval', 'random']);
    for (const name of BOT_NAMES) assert.ok(botPlayer(name).name.length > 0);
  });

  it('plays its chosen play one single-die move per call, then confirms', () => {
    const player = botPlayer('net0');
    let match: MatchState = applyAction(newMatch({ matchLength: 3 }), { type: 'opening-roll', dice: [6, 4] });
    const start = match.turnInProgress!.start;
    const intents = [];
    for (let intent = player.decide(match, 0); intent?.type === 'move'; intent = player.decide(match, 0)) {
      intents.push(intent);
      match = applyAction(match, { type: 'move', seat: 0, from: intent.from, to: intent.to });
    }
    assert.equal(intents.length, 2);
    assert.deepEqual(player.decide(match, 0), { type: 'confirm' });
    assert.ok(positionsEqual(match.turnInProgress!.position, choosePlay('net0', start, [6, 4])!.position));
    assert.equal(player.decide(match, 1), null, 'nothing to do while the other seat acts');
  });

  it('plays whole 5-point matches with the cube, sending only legal actions', function () {
    this.timeout(120_000);
    const pairs: Array<[BotName, BotName]> = [['beginner', 'advanced'], ['intermediate', 'pubeval'], ['advanced', 'random']];
    pairs.forEach(([a, b], index) => {
      const { match, sent } = playMatch([bot(a, index), bot(b, index + 10)], { matchLength: 5 }, 100 + index);
      assert.equal(match.phase, 'over');
      assert.ok(sent.some((entry) => entry.intent.type === 'confirm'));
    });
  });

  it('answers doubles and plays on in money games with the Jacoby rule and beavers', function () {
    this.timeout(120_000);
    const { match, sent } = playMatch([bot('advanced', 1), bot('beginner', 2)], { matchLength: 0, beavers: true }, 7);
    assert.ok(match.games.length > 3);
    const doubles = sent.filter((entry) => entry.intent.type === 'double').length;
    const answers = sent.filter((entry) => entry.phase === 'doubled').map((entry) => entry.intent.type);
    assert.ok(doubles > 0, 'some double was offered');
    assert.equal(answers.length, doubles);
    assert.ok(answers.every((type) => ['take', 'drop', 'beaver'].includes(type)));
  });

  it('plays a match at 2-ply (expert)', function () {
    this.timeout(300_000);
    const { match } = playMatch([bot('expert', 3), bot('advanced', 4)], { matchLength: 1 }, 9);
    assert.equal(match.phase, 'over');
  });
});
