import { Redis } from 'ioredis';
import { HEARTBEAT_MS, serversGoneSilent, type GoneServers } from '../db/live-servers.js';
import type { Database } from '../db/orm.js';
import { log } from '../log.js';

/** How this process tells the others it is alive, and learns which of them are gone. */
export interface Liveness {
  readonly gone: GoneServers;
  /** How often to look through every match in play for those whose process is gone. */
  readonly checkEveryMs: number;
  /** The server processes alive now, this one among them: they share the matches to take over. */
  alive(): Promise<readonly string[]>;
  /** Calls `look` whenever a process is newly seen gone or has handed matches over, between those full looks. */
  watch(look: () => void): void;
  /**
   * Whether this process may take matches over now: its own presence is current. A process just
   * back from a stall, or from a lapse of its presence, waits until the others could have seen it alive again.
   */
  mayTakeOver(): boolean;
  /** Calls `lost` when this process finds that its presence lapsed: the others may have taken its matches over. */
  onLost(lost: () => void): void;
  /** Tells the others that this process handed matches over (see live-servers.ts: handOverMatch), so they look at once. */
  handedOver(): Promise<void>;
  /** Says this process is gone, at once. */
  stop(): Promise<void>;
}

/**
 * Presence keys live this long unless renewed: a process is found gone within about two seconds
 * of dying. A process whose event loop stalls for longer loses its key, and with it its matches
 * (it moves its clients to the new rooms once it runs again: see src/recovery/handover.ts).
 */
export const PRESENCE_TTL_MS = 2_000;
const PRESENCE_BEAT_MS = 500;
/** How often the others' presence is looked at: a Redis round trip, no database query. */
const WATCH_MS = 200;
/** Processes that have not renewed their key for this long are dropped from the list of members. */
const FORGET_MEMBER_MS = 60_000;
/** Every process's id, scored by the time of its latest renewal. */
const MEMBERS_KEY = 'tavla:servers';
/** Counts the hand-overs of every process, so that a change tells the others to look. */
const HANDOVERS_KEY = 'tavla:handovers';

/** Redis presence keys (REDIS_URL set), else the `servers` heartbeat, which takes a minute to notice a crash. */
export async function startLiveness(redisUrl: string | null, database: Database, serverId: string): Promise<Liveness> {
  if (!redisUrl) return heartbeatLiveness(database, serverId);
  return RedisPresenceKeys.start(redisUrl, serverId);
}

/** One process on its own (or on the `servers` heartbeat): nothing to watch but the database, and nobody to share with. */
export function heartbeatLiveness(database: Database, serverId: string): Liveness {
  return {
    gone: serversGoneSilent(database),
    checkEveryMs: HEARTBEAT_MS,
    alive: async () => [serverId],
    watch: () => undefined,
    mayTakeOver: () => true,
    onLost: () => undefined,
    handedOver: async () => undefined,
    stop: async () => undefined,
  };
}

/** `tavla:alive:<server id>`, renewed twice a second with a TTL of two: gone when it has expired or was deleted. */
class RedisPresenceKeys implements Liveness {
  readonly checkEveryMs = HEARTBEAT_MS;
  private readonly timers: NodeJS.Timeout[] = [];
  /** When the latest renewal that Redis acknowledged was sent; 0 before the first. */
  private renewedAt = 0;
  private lapsedAt = Number.NEGATIVE_INFINITY;
  private readonly lostListeners: (() => void)[] = [];

  private constructor(
    private readonly redis: Redis,
    private readonly serverId: string,
  ) {}

  static async start(redisUrl: string, serverId: string): Promise<RedisPresenceKeys> {
    const presence = new RedisPresenceKeys(new Redis(redisUrl, { maxRetriesPerRequest: 2 }), serverId);
    await presence.beat();
    // A missed beat (Redis away a moment) is made up by the next one.
    presence.every(PRESENCE_BEAT_MS, () => presence.beat());
    return presence;
  }

  readonly gone: GoneServers = async (serverIds) => {
    if (serverIds.length === 0) return new Set();
    const present = await this.redis.mget(...serverIds.map(keyOf));
    return new Set(serverIds.filter((_, index) => present[index] === null));
  };

  async alive(): Promise<readonly string[]> {
    const members = await this.redis.zrange(MEMBERS_KEY, 0, -1);
    const gone = await this.gone(members);
    return members.filter((id) => !gone.has(id));
  }

  watch(look: () => void): void {
    let seen = '';
    this.every(WATCH_MS, async () => {
      const members = (await this.redis.zrange(MEMBERS_KEY, 0, -1)).filter((id) => id !== this.serverId);
      const [handovers, ...present] = await this.redis.mget(HANDOVERS_KEY, ...members.map(keyOf));
      const gone = members.filter((_, index) => present[index] === null);
      const now = `${handovers ?? 0} ${gone.sort().join(' ')}`;
      if (now !== seen) look();
      seen = now;
    });
  }

  mayTakeOver(): boolean {
    const now = Date.now();
    return now - this.renewedAt < PRESENCE_TTL_MS - PRESENCE_BEAT_MS && now - this.lapsedAt > PRESENCE_TTL_MS;
  }

  onLost(lost: () => void): void {
    this.lostListeners.push(lost);
  }

  async handedOver(): Promise<void> {
    await this.redis.incr(HANDOVERS_KEY);
  }

  async stop(): Promise<void> {
    for (const timer of this.timers) clearInterval(timer);
    await this.redis.multi().del(keyOf(this.serverId)).zrem(MEMBERS_KEY, this.serverId).exec().catch(() => undefined);
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  /** Renews the key; finding it gone (not on the first beat) means it lapsed: a stall, or Redis lost it. */
  private async beat(): Promise<void> {
    const sentAt = Date.now();
    const results = await this.redis
      .multi()
      .set(keyOf(this.serverId), '1', 'PX', PRESENCE_TTL_MS, 'GET')
      .zadd(MEMBERS_KEY, sentAt, this.serverId)
      .zremrangebyscore(MEMBERS_KEY, '-inf', sentAt - FORGET_MEMBER_MS)
      .exec();
    const [failure, previous] = results?.[0] ?? [new Error('the presence key was not renewed'), undefined];
    if (failure) throw failure;
    if (previous === null && this.renewedAt > 0) this.lapsed(sentAt);
    this.renewedAt = sentAt;
  }

  private lapsed(at: number): void {
    this.lapsedAt = at;
    log.warn({ serverId: this.serverId, silentMs: at - this.renewedAt }, `this process's presence lapsed after ${at - this.renewedAt} ms without renewal: its matches may have been taken over`);
    for (const lost of this.lostListeners) lost();
  }

  /** Runs `task` every `ms`; a failure waits for the next run. */
  private every(ms: number, task: () => Promise<void>): void {
    this.timers.push(setInterval(() => void task().catch(() => undefined), ms).unref());
  }
}

function keyOf(serverId: string): string {
  return `tavla:alive:${serverId}`;
}
