/**
 * Coming back to a match: a guest creates a match and a friend joins it; the guest's connection
 * drops and it reconnects with its reconnection token, then it opens the match again from another
 * device (a second client with the same access token), which takes the seat back from the first.
 * `rejoinMovedMatch` finds a match whose room closed (its server process stopped or died) in the
 * room where it goes on.
 *
 *   npx tsx examples/rejoin-client.ts [http://localhost:2567]
 */
import { Client, type Room } from '@colyseus/sdk';
import type { MatchRoomAnswer, MatchRoomMessages } from '../clients/typescript/protocol.js';
import { guestClient, type MatchState } from './readme-client.js';

type Seat = MatchRoomMessages['seat'];

export interface Rejoined {
  /** The reconnected connection is the session that dropped: it holds the same seat. */
  sameSession: boolean;
  /** The seat the room told the reconnected connection. */
  seatBack: Seat;
  /** What the other device's connection was told on joining, and what the older connection was told then. */
  otherDevice: Seat;
  olderConnection: Seat;
}

/** Joins (however `join` does it) and resolves with the room and its first `seat` message. */
async function joinSeated(join: Promise<Room<unknown, MatchState>>): Promise<{ room: Room<unknown, MatchState>; seat: Seat }> {
  const room = await join;
  room.onMessage('*', () => undefined);
  const seat = await new Promise<Seat>((resolve) => room.onMessage('seat', resolve));
  return { room, seat };
}

/**
 * After the room of a match in progress closed and the SDK could not reconnect (the server
 * process playing it shut down, died or stalled): joins the room where the match goes on, with the
 * same account (a spectator passes `{ spectate: true }`). That is the room a `moving` message named,
 * if one came; else the one `GET /matches/:id/room` names once another process has taken the match
 * over (a second or two; `roomId` is null meanwhile). Resolves with null once the match is no
 * longer played.
 */
export async function rejoinMovedMatch(client: Client, httpUrl: string, matchId: string, closedRoomId: string, movingTo?: string, options = {}): Promise<Room<unknown, MatchState> | null> {
  let roomId = movingTo ?? null;
  for (const started = Date.now(); Date.now() - started < 60_000; ) {
    if (roomId && roomId !== closedRoomId) {
      try {
        return await client.joinById<MatchState>(roomId, options);
      } catch {
        // Not open yet: ask again.
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
    const answer = await fetch(`${httpUrl}/matches/${matchId}/room`).catch(() => null); // any process of the deployment answers
    if (!answer?.ok) continue;
    const where = (await answer.json()) as MatchRoomAnswer;
    if (where.status !== 'playing') return null;
    roomId = where.roomId;
  }
  return null;
}

export async function rejoinMatch(httpUrl: string): Promise<Rejoined> {
  const [guest, friend] = await Promise.all([guestClient(httpUrl), guestClient(httpUrl)]);
  const { room: first } = await joinSeated(guest.create<MatchState>('match', { matchLength: 1, clock: false }));
  const { room: friendRoom } = await joinSeated(friend.joinById<MatchState>(first.roomId));

  // The connection drops (leave without consent, as a lost network does); the seat waits for
  // `reconnectSeconds`, and the reconnection token brings the client back to it with the full state.
  // This client stands for an app that lost its connection and restarted: no automatic reconnection.
  const { reconnectionToken, sessionId } = first;
  first.reconnection.enabled = false;
  await first.leave(false);
  const back = await guest.reconnect<MatchState>(reconnectionToken);
  back.onMessage('*', () => undefined);
  // The room tells the seat again on every reconnection.
  const seatBack = await new Promise<Seat>((resolve) => back.onMessage('seat', resolve));

  // Another device: the same account joins by room id and takes the seat; the older connection watches.
  const otherDevice = new Client(httpUrl.replace(/^http/, 'ws'));
  otherDevice.auth.token = guest.auth.token!; // the same account: guestClient set its access token
  const demoted = new Promise<Seat>((resolve) => back.onMessage('seat', resolve));
  const { room: moved, seat: taken } = await joinSeated(otherDevice.joinById<MatchState>(back.roomId));
  const olderConnection = await demoted;

  await Promise.all([moved, back, friendRoom].map((room) => room.leave()));
  return { sameSession: back.sessionId === sessionId, seatBack, otherDevice: taken, olderConnection };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { sameSession, otherDevice, olderConnection } = await rejoinMatch(process.argv[2] ?? 'http://localhost:2567');
  console.log(`reconnected to ${sameSession ? 'the same' : 'another'} session; the other device took seat ${otherDevice.seat}; the older connection: ${olderConnection.reason}`);
}
