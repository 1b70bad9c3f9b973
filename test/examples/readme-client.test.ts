import assert from 'node:assert/strict';
import { playReadmeMatch } from '../../examples/readme-client.js';
import { MATCH_ROOM_MESSAGES, type MatchRoomMessageType } from '../../src/rooms/server-messages.js';
import { TEST_PORT, useTestServer } from '../support/match-clients.js';

describe('the example client that follows the README', function () {
  this.timeout(60_000);
  useTestServer();

  it('signs up two guests and plays a 1-point match to the end with random legal plays', async () => {
    const played = await playReadmeMatch(`http://127.0.0.1:${TEST_PORT}`);
    assert.ok(played.winner === 0 || played.winner === 1);
    assert.ok(played.score[played.winner]! >= 1, "the winner reached the match length (a gammon scores 2)");
    assert.match(played.matchId, /^[0-9a-f-]{36}$/);
    for (const [type, message] of played.received) {
      const definition = MATCH_ROOM_MESSAGES[type as MatchRoomMessageType];
      assert.ok(definition, `the room sent "${type}", which docs/PROTOCOL.md does not list`);
      const checked = definition.safeParse(message);
      assert.ok(checked.success, `"${type}" ${JSON.stringify(message)} does not match its definition: ${checked.error?.message}`);
    }
  });
});
