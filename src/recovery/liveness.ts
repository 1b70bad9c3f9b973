import { Redis } from 'ioredis';
import { HEARTBEAT_MS, serversGoneSilent, type GoneServers } from '../db/live-servers.js';
import type { Database } from '../db/orm.js';

/** How this process tells the others it is alive, and learns which of them are gone. */
export interface Liveness {
  readonly gone: GoneServers;
  /** How often to look for the matches of processes that are gone. */
  readonly checkEveryMs: number;
  /** Says this process is gone, at once. */
  stop(): Promise<void>;
}

/** Presence keys live this long unless renewed: a process is found gone within seconds of dying. */
const PRESENCE_TTL_MS = 3_000;
const PRESENCE_BEAT_MS = 1_000;

/** Redis presence keys (REDIS_URL set), else the `servers` heartbeat, which takes a minute to notice a crash. */
export async function startLiveness(redisUrl: string | null, database: Database, serverId: string): Promise<Liveness> {
  if (!redisUrl) return { gone: serversGoneSilent(database), checkEveryMs: HEARTBEAT_MS, stop: async () => undefined };
  return RedisPresenceKeys.start(redisUrl, serverId);
}

/** `tavla:alive:<server id>`, renewed every second with a TTL of a few: gone when it has expired or was deleted. */
class RedisPresenceKeys implements Liveness {
  readonly checkEveryMs = PRESENCE_BEAT_MS;
  private timer: NodeJS.Timeout | null = null;

  private constructor(private readonly redis: Redis, private readonly serverId: string) {}

  static async start(redisUrl: string, serverId: string): Promise<RedisPresenceKeys> {
    const presence = new RedisPresenceKeys(new Redis(redisUrl, { maxRetriesPerRequest: 2 }), serverId);
    await presence.beat();
    // A missed beat (Redis away a moment) is made up by the next one.
    presence.timer = setInterval(() => void presence.beat().catch(() => undefined), PRESENCE_BEAT_MS).unref();
    return presence;
  }

  readonly gone: GoneServers = async (serverIds) => {
    const present = await this.redis.mget(...serverIds.map(keyOf));
    return new Set(serverIds.filter((_, index) => present[index] === null));
  };

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.redis.del(keyOf(this.serverId)).catch(() => undefined);
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  private async beat(): Promise<void> {
    await this.redis.set(keyOf(this.serverId), '1', 'PX', PRESENCE_TTL_MS);
  }
}

function keyOf(serverId: string): string {
  return `tavla:alive:${serverId}`;
}
