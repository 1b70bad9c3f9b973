import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';

/**
 * Counts attempts per key in a sliding window: once a key has made `limit` attempts within the
 * window, it must wait until the oldest of them leaves it.
 */
export interface AttemptLimiter {
  /**
   * Counts an attempt of `key` and returns 0, or, when `key` has used up its attempts, counts
   * nothing and returns the seconds to wait. One step, so attempts made at the same moment
   * (on one process or several) cannot all pass before any is counted.
   */
  attempt(key: string): Promise<number>;
  forget(key: string): Promise<void>;
}

export interface LimitSettings {
  /** Names the limit among others sharing a store. */
  readonly name: string;
  readonly limit: number;
  readonly windowMs: number;
}

/** Attempt limiters kept in Redis (shared by every process of a deployment) or, without it, in this process. */
export function limiterFactory(redis: Redis | null): (settings: LimitSettings) => AttemptLimiter {
  return (settings) => (redis ? new RedisAttemptLimiter(redis, settings) : new MemoryAttemptLimiter(settings));
}

function waitSeconds(oldest: number, windowMs: number, now: number): number {
  return Math.max(1, Math.ceil((oldest + windowMs - now) / 1000));
}

/** One process's limits. */
export class MemoryAttemptLimiter implements AttemptLimiter {
  private readonly attempts = new Map<string, number[]>();

  constructor(private readonly settings: LimitSettings) {}

  async attempt(key: string, now = Date.now()): Promise<number> {
    const recent = this.recent(key, now);
    if (recent.length >= this.settings.limit) return waitSeconds(recent[0]!, this.settings.windowMs, now);
    recent.push(now);
    this.attempts.set(key, recent);
    if (this.attempts.size > 10_000) this.prune(now);
    return 0;
  }

  async forget(key: string): Promise<void> {
    this.attempts.delete(key);
  }

  private recent(key: string, now: number): number[] {
    return (this.attempts.get(key) ?? []).filter((at) => at > now - this.settings.windowMs);
  }

  private prune(now: number): void {
    for (const [key, times] of this.attempts) {
      if (times.every((at) => at <= now - this.settings.windowMs)) this.attempts.delete(key);
    }
  }
}

/** Limits every process sees alike: each key's attempts are a sorted set of times in Redis, expiring with the window. */
export class RedisAttemptLimiter implements AttemptLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly settings: LimitSettings,
  ) {}

  async attempt(key: string, now = Date.now()): Promise<number> {
    const redisKey = this.keyOf(key);
    // Members must differ for attempts made in the same millisecond.
    const member = `${now}:${randomBytes(6).toString('hex')}`;
    // Added, then counted, in one transaction: transactions run one after the other, so of attempts
    // made at the same moment only as many as the limit allows find the count within it.
    const results = await this.redis
      .multi()
      .zremrangebyscore(redisKey, '-inf', now - this.settings.windowMs)
      .zadd(redisKey, now, member)
      .pexpire(redisKey, this.settings.windowMs)
      .zcard(redisKey)
      .zrange(redisKey, 0, 0, 'WITHSCORES')
      .exec();
    const count = Number(results?.[3]?.[1] ?? 0);
    if (count <= this.settings.limit) return 0;
    await this.redis.zrem(redisKey, member);
    const oldest = Number((results?.[4]?.[1] as string[] | undefined)?.[1] ?? now);
    return waitSeconds(oldest, this.settings.windowMs, now);
  }

  async forget(key: string): Promise<void> {
    await this.redis.del(this.keyOf(key));
  }

  private keyOf(key: string): string {
    return `tavla:limit:${this.settings.name}:${key}`;
  }
}
