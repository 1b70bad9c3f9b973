import { RedisDriver } from '@colyseus/redis-driver';
import { RedisPresence } from '@colyseus/redis-presence';
import { Redis } from 'ioredis';
import type { Config } from './config.js';

/** How this process joins the others of a deployment: through Redis when REDIS_URL is set, else on its own. */
export interface Cluster {
  /** Colyseus's presence, driver and this process's public address; empty for a process on its own. */
  readonly serverOptions: { presence?: RedisPresence; driver?: RedisDriver; publicAddress?: string };
  /** For state every process must share (the rate limits); null on its own. */
  readonly redis: Redis | null;
  close(): Promise<void>;
}

export function joinCluster(config: Pick<Config, 'redisUrl' | 'publicAddress'>): Cluster {
  if (!config.redisUrl) return { serverOptions: {}, redis: null, close: async () => undefined };
  const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 2 });
  return {
    serverOptions: { presence: new RedisPresence(config.redisUrl), driver: new RedisDriver(config.redisUrl), publicAddress: config.publicAddress },
    redis,
    close: async () => {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
