import { matchMaker, QueueRoom, type Client } from '@colyseus/core';
import { BOT_NAMES, type BotName } from '../bots/player.js';
import { botIdentity } from '../bots/thinking-players.js';
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

type QueueGroup = Parameters<QueueRoom['onGroupReady']>[0];

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
 * cycle for players the widening window brings together. A player who waits alone for
 * `botAfterMs` (0: never) plays a bot instead.
 */
export class QuickMatchQueue extends QueueRoom {
  override cycleTickInterval = 500;
  private matchLength = 5;
  /** How long a player waits alone before being offered a bot; 0: never. Set by `quickMatchQueueWith`. */
  protected botAfterMs = 0;
  /** When each waiting client (by session id) joined. */
  private readonly queuedSince = new Map<string, number>();

  override onCreate(options: unknown): void {
    this.matchLength = parseOptions(QueueJoin, options, 'quick match options').matchLength;
    super.onCreate({ matchRoomName: 'match', maxPlayers: 2 });
  }

  override onJoin(client: Client, options: unknown): void {
    const wanted = parseOptions(QueueJoin, options, 'quick match options');
    const queued = this.clients.find((other) => other !== client && claimsOf(other).sub === claimsOf(client).sub);
    // One place in the queue per account: a second tab replaces the first instead of playing against it.
    if (queued) queued.leave(4000, 'this account queued again from another connection');
    this.queuedSince.set(client.sessionId, Date.now());
    super.onJoin(client as Parameters<QueueRoom['onJoin']>[0], { ...wanted, rank: claimsOf(client).rating });
    this.pairWithoutWaiting();
  }

  override onLeave(client: Client): void {
    this.queuedSince.delete(client.sessionId);
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

  /** A player alone in a group for botAfterMs is ready to play a bot. */
  override processGroupsReady(): void {
    if (this.botAfterMs > 0) {
      const now = Date.now();
      for (const group of this.groups) {
        const alone = group.clients.length === 1 ? group.clients[0]! : null;
        if (alone && !group.ready && now - (this.queuedSince.get(alone.sessionId) ?? now) >= this.botAfterMs) group.ready = true;
      }
    }
    super.processGroupsReady();
  }

  protected override onGroupReady = async (group: QueueGroup) => {
    const seats = group.clients.map((client): ReservedSeat => {
      const who = claimsOf(client);
      return { userId: who.sub, name: who.name, rating: who.rating, sessionId: client.sessionId };
    });
    const reservation = await reserveSeats(matchMaker.presence, seats);
    if (seats.length === 2) return matchMaker.createRoom('match', { matchLength: this.matchLength, reservation });
    const bot = botNearest(seats[0]!.rating);
    group.clients[0]!.send('bot', { level: bot, ...botIdentity(bot) });
    return matchMaker.createRoom('match', { matchLength: this.matchLength, reservation, bot });
  };
}

/** The bot whose rating is nearest `rating`. */
function botNearest(rating: number): BotName {
  const distance = (bot: BotName) => Math.abs(botIdentity(bot).rating - rating);
  return BOT_NAMES.reduce((best, bot) => (distance(bot) < distance(best) ? bot : best));
}

/** The queue as a server runs it: only players with a valid access token may wait in it; `botAfterMs` as QUICK_MATCH_BOT_AFTER_MS says. */
export function quickMatchQueueWith(database: Database, botAfterMs: number): typeof QuickMatchQueue {
  return class ServedQuickMatchQueue extends QuickMatchQueue {
    protected override botAfterMs = botAfterMs;

    static override onAuth(token: string | undefined): Promise<AccessClaims> {
      return authenticateJoin(database, token);
    }
  };
}
