import assert from 'node:assert/strict';
import type { Room } from '@colyseus/sdk';
import { playReadmeMatch, playSeat, type MatchState } from '../../examples/readme-client.js';
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

  it('rolls again when both players\' rolls passed unplayed and brought back the same board', () => {
    const start = [0, 0, 0, 0, 0, 0, 5, 0, 3, 0, 0, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0];
    const rollingForSeat1 = (lastEventSeq: number): MatchState => ({
      matchId: 'm',
      version: lastEventSeq,
      lastEventSeq,
      phase: 'rolling',
      toAct: 1,
      checkers0: start,
      checkers1: start,
      dice: [],
      moves: [],
      players: [],
    });
    const sent: string[] = [];
    let onState: (state: MatchState) => void = () => undefined;
    // Just what playSeat uses of a room: its state, its state changes and send.
    const room = { state: rollingForSeat1(10), onStateChange: (listener: typeof onState) => (onState = listener), send: (type: string) => sent.push(type) };
    playSeat(room as unknown as Room<unknown, MatchState>, 1, Math.random);
    assert.deepEqual(sent, ['roll']);
    onState(rollingForSeat1(10));
    assert.deepEqual(sent, ['roll'], 'a patch for another reason (a spectator came) is not a new decision');
    onState(rollingForSeat1(13));
    assert.deepEqual(sent, ['roll', 'roll'], 'its roll and the opponent\'s passed unplayed: the same board, seat 1 to roll again');
  });
});
