import assert from 'node:assert/strict';
import type { Room } from '@colyseus/sdk';
import type { MatchRoomMessages, MatchRoomType } from '../../clients/typescript/protocol.js';
import { sdkClient, useTestServer, type WireState } from '../support/match-clients.js';

type TypedMatch = MatchRoomType<WireState>;

// Never called: `tsc --noEmit` (the first step of `npm test`) fails when one of these compiles.
export function refusedByTheTypes(room: Room<TypedMatch>): void {
  // @ts-expect-error a point is a number
  room.send('move', { from: 'bar', to: 8 });
  // @ts-expect-error no such message
  room.send('teleport', {});
  // @ts-expect-error the seat message has no such field
  room.onMessage('seat', (seat) => seat.table);
}

describe('the typed match room of clients/typescript', function () {
  this.timeout(60_000);
  const table = useTestServer();

  it('types the SDK room: its state, what it sends and what it receives', async () => {
    const room = await sdkClient('typed').create<TypedMatch>('match', { matchLength: 3, clock: false });
    table.open.push(room);
    const seat = await new Promise<MatchRoomMessages['seat']>((resolve) => room.onMessage('seat', resolve));
    assert.equal(seat.seat, 0);
    const refused = new Promise<MatchRoomMessages['error']>((resolve) => room.onMessage('error', resolve));
    room.send('roll');
    const { code, type } = await refused;
    assert.deepEqual({ code, type }, { code: 'NOT_STARTED', type: 'roll' }, 'a roll before the opponent sits down is refused');
    const state: WireState = room.state;
    assert.equal(state.matchId, seat.matchId);
  });
});
