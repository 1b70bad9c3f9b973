import { randomBytes } from 'node:crypto';
import type { Presence } from '@colyseus/core';
import { z } from 'zod';

/** A seat matchmaking keeps for one client (by session id) of one account. */
const ReservedSeat = z.object({
  userId: z.uuid(),
  name: z.string().min(1).max(32),
  rating: z.number().finite(),
  sessionId: z.string().min(1).max(64),
});
export type ReservedSeat = z.infer<typeof ReservedSeat>;

/** Both seats, or seat 0 alone where a bot takes seat 1. */
const Reservation = z.array(ReservedSeat).min(1).max(2);

/** Long enough for the match room to be created, on whichever process presence picks. */
const RESERVATION_SECONDS = 60;

const keyOf = (token: string) => `tavla:seat-reservation:${token}`;

/**
 * Keeps the seats of a match matchmaking arranged, and returns the unguessable token the match
 * room is created with. The seats travel through presence, never through room options, so no
 * client can create a match with seats reserved for accounts of its choosing.
 */
export async function reserveSeats(presence: Presence, seats: readonly ReservedSeat[]): Promise<string> {
  const token = randomBytes(18).toString('base64url');
  await presence.setex(keyOf(token), JSON.stringify(seats), RESERVATION_SECONDS);
  return token;
}

/** The reserved seats, seat 0 first, once: a token works for one room; unknown or expired gives null. */
export async function claimSeats(presence: Presence, token: string): Promise<ReservedSeat[] | null> {
  const raw: unknown = await presence.get(keyOf(token));
  if (typeof raw !== 'string') return null;
  await presence.del(keyOf(token));
  const parsed = Reservation.safeParse(JSON.parse(raw));
  return parsed.success ? parsed.data : null;
}
