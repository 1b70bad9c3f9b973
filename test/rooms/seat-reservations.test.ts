import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { LocalPresence } from '@colyseus/core';
import { claimSeats, reserveSeats, type ReservedSeat } from '../../src/rooms/seat-reservations.js';

describe('seat reservations between matchmaking and the match room', () => {
  const seats: [ReservedSeat, ReservedSeat] = [
    { userId: randomUUID(), name: 'alice', rating: 1510, sessionId: 'session-a' },
    { userId: randomUUID(), name: 'bob', rating: 1490, sessionId: 'session-b' },
  ];

  it('hands both seats to the first room that claims the token, and to no other', async () => {
    const presence = new LocalPresence();
    const token = await reserveSeats(presence, seats);
    assert.ok(token.length >= 24, 'an unguessable token');
    assert.deepEqual(await claimSeats(presence, token), seats);
    assert.equal(await claimSeats(presence, token), null);
  });

  it('knows nothing of a token it never issued', async () => {
    assert.equal(await claimSeats(new LocalPresence(), 'made-up'), null);
  });
});
