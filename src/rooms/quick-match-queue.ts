import { matchMaker, QueueRoom, type Client } from '@colyseus/core';
import { z } from 'zod';
import { MAX_MATCH_LENGTH } from '../engine/index.js';
import { parseOptions } from './match-options.js';

const QueueJoin = z.object({
  name: z.string().trim().min(1).max(32).default('Player'),
  rating: z.number().finite().min(0).max(10_000).default(1500),
  matchLength: z.number().int().min(0).max(MAX_MATCH_LENGTH).default(5),
});

/** Rating points two players may be apart: 100 at once, 50 more for every cycle either has waited. */
export function ratingWindow(cyclesWaited: number): number {
  return 100 + 50 * cyclesWaited;
}

/**
 * Quick match: players waiting for the same match length are paired by rating, the window
 * widening the longer they wait; each pair gets a new match room with their seats reserved.
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
    super.onJoin(client as Parameters<QueueRoom['onJoin']>[0], { ...wanted, rank: wanted.rating });
  }

  protected override compare = (client: { rank: number; currentCycle?: number }, group: { averageRank: number }): boolean =>
    Math.abs(client.rank - group.averageRank) <= ratingWindow(client.currentCycle ?? 0);

  protected override onGroupReady = (group: Parameters<QueueRoom['onGroupReady']>[0]) =>
    matchMaker.createRoom('match', {
      matchLength: this.matchLength,
      reservedSeats: group.clients.map((client) => ({
        name: (client.userData!.options as z.infer<typeof QueueJoin>).name,
        rating: client.userData!.rank,
        sessionId: client.sessionId,
      })),
    });
}
