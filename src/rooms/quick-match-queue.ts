import { matchMaker, QueueRoom, type Client } from '@colyseus/core';
import { z } from 'zod';
import type { AccessClaims } from '../auth/tokens.js';
import { MAX_MATCH_LENGTH } from '../engine/index.js';
import type { Database } from '../db/orm.js';
import { DiceSeed, parseOptions } from './match-options.js';
import { authenticateJoin, claimsOf } from './room-auth.js';
import { reserveSeats, type ReservedSeat } from './seat-reservations.js';

/** What QueueRoom keeps about a waiting player. */
interface QueuedPlayer {
  currentCycle?: number;
}

const QueueJoin = z.object({
  matchLength: z.number().int().min(0).max(MAX_MATCH_LENGTH).default(5),
  /** The player's dice seed: it travels with the seat reservation and is the player's seed in the match. */
  diceSeed: DiceSeed.optional(),
});

/** Rating points two players may be apart: 100 at once, 50 more for every cycle either has waited. */
export function ratingWindow(cyclesWaited: number): number {
  return 100 + 50 * cyclesWaited;
}

/**
 * Quick match: players waiting for the same match length are paired by their rating, the window
 * widening the longer they wait; each pair gets a new match room with their seats reserved. A
 * joining player is paired at once when a compatible player waits; the queue looks again every
 * cycle for players the widening window brings together.
 */
export class QuickMatchQueue extends QueueRoom {
  override cycleTickInterval = 500;
  private matchLength = 5;

  override onCreate(options: unknown): void {
    this.matchLength = parseOptions(QueueJoin, options, 'quick match options').matchLength;
    super.onCreate({ matchRoomName: 'match', maxPlayers: 2 });
  }

  override onJoin(client: Client, options: unknown): void {
    const wanted = parseOptions(QueueJoin, options, 'quick match options');
    const queued = this.clients.find((other) => other !== client && claimsOf(other).sub === claimsOf(client).sub);
    // One place in the queue per account: a second tab replaces the first instead of playing against it.
    if (queued) queued.leave(4000, 'this account queued again from another connection');
    super.onJoin(client as Parameters<QueueRoom['onJoin']>[0], { ...wanted, rank: claimsOf(client).rating });
    this.pairWithoutWaiting();
  }

  /** Groups the players now instead of at the next cycle; it is not a cycle waited, so no window widens. */
  private pairWithoutWaiting(): void {
    const cycles = this.clients.map((client) => [client, (client.userData as QueuedPlayer | undefined)?.currentCycle] as const);
    this.reassignMatchGroups();
    for (const [client, cycle] of cycles) {
      const queued = client.userData as QueuedPlayer | undefined;
      if (queued && cycle !== undefined) queued.currentCycle = cycle;
    }
  }

  protected override compare = (client: { rank: number; currentCycle?: number }, group: { averageRank: number }): boolean =>
    Math.abs(client.rank - group.averageRank) <= ratingWindow(client.currentCycle ?? 0);

  protected override onGroupReady = async (group: Parameters<QueueRoom['onGroupReady']>[0]) => {
    const [first, second] = group.clients.map((client): ReservedSeat => {
      const who = claimsOf(client);
      return { userId: who.sub, name: who.name, rating: who.rating, sessionId: client.sessionId };
    });
    const reservation = await reserveSeats(matchMaker.presence, [first!, second!]);
    return matchMaker.createRoom('match', { matchLength: this.matchLength, reservation });
  };
}

/** The queue as a server runs it: only players with a valid access token may wait in it. */
export function quickMatchQueueWith(database: Database): typeof QuickMatchQueue {
  return class ServedQuickMatchQueue extends QuickMatchQueue {
    static override onAuth(token: string | undefined): Promise<AccessClaims> {
      return authenticateJoin(database, token);
    }
  };
}
