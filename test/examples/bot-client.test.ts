import assert from 'node:assert/strict';
import { playQuickMatch } from '../../examples/bot-client.js';
import { TEST_PORT, useTestServer } from '../support/match-clients.js';

/** The match's stored status once it is `wanted`, or the last one seen: the server stores a match's end behind play. */
async function storedStatus(url: string, wanted: string): Promise<string> {
  let status = '';
  for (let attempt = 0; attempt < 200 && status !== wanted; attempt++) {
    if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 50));
    status = ((await (await fetch(url)).json()) as { status: string }).status;
  }
  return status;
}

describe('the example bot client', function () {
  this.timeout(90_000);
  useTestServer();

  it('two instances quick-match each other as guests and play a 1-point match to the end', async () => {
    const httpUrl = `http://127.0.0.1:${TEST_PORT}`;
    const refused: string[] = [];
    const bots = await Promise.all([playQuickMatch(httpUrl, 1, (line) => line.startsWith('refused') && refused.push(line)), playQuickMatch(httpUrl, 1)]);
    assert.deepEqual(refused, [], 'the server refused none of the bot\'s messages');
    assert.equal(bots[0].matchId, bots[1].matchId, 'both bots played the same match');
    assert.deepEqual(bots.map((bot) => bot.seat).sort(), [0, 1]);
    const [{ over }] = bots;
    assert.deepEqual(bots[1].over.score, over.score);
    assert.ok(over.winner === 0 || over.winner === 1);
    assert.ok(over.score[over.winner]! >= 1, 'the winner reached the match length');
    assert.equal(over.forfeitedBy, null, 'the match was played out, not forfeited');
    assert.equal(await storedStatus(`${httpUrl}/matches/${bots[0].matchId}`, 'finished'), 'finished', 'the record of the match says it is finished');
  });
});
