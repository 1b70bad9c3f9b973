import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';

/**
 * Counts attempts per key in a sliding window: once a key has made `limit` attempts within the
 * window, it must wait until the oldest of them leaves it.
 */
export interface AttemptLimiter {
  /** Seconds to wait before `key` may try again, or 0 when it may try now. */
  retryAfterSeconds(key: string): Promise<number>;
  record(key: string): Promise<void>;
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

  async retryAfterSeconds(key: string, now = Date.now()): Promise<number> {
    const recent = this.recent(key, now);
    return recent.length < this.settings.limit ? 0 : waitSeconds(recent[0]!, this.settings.windowMs, now);
  }

  async record(key: string, now = Date.now()): Promise<void> {
    const recent = this.recent(key, now);
    recent.push(now);
    this.attempts.set(key, recent);
    if (this.attempts.size > 10_000) this.prune(now);
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

  async retryAfterSeconds(key: string, now = Date.now()): Promise<number> {
    const redisKey = this.keyOf(key);
    const results = await this.redis
      .multi()
      .zremrangebyscore(redisKey, '-inf', now - this.settings.windowMs)
      .zcard(redisKey)
      .zrange(redisKey, 0, 0, 'WITHSCORES')
      .exec();
    const count = Number(results?.[1]?.[1] ?? 0);
    const oldest = Number((results?.[2]?.[1] as string[] | undefined)?.[1] ?? now);
    return count < this.settings.limit ? 0 : waitSeconds(oldest, this.settings.windowMs, now);
  }

  async record(key: string, now = Date.now()): Promise<void> {
    const redisKey = this.keyOf(key);
    // Members must differ for attempts made in the same millisecond.
    await this.redis.multi().zadd(redisKey, now, `${now}:${randomBytes(6).toString('hex')}`).pexpire(redisKey, this.settings.windowMs).exec();
  }

  async forget(key: string): Promise<void> {
    await this.redis.del(this.keyOf(key));
  }

  private keyOf(key: string): string {
    return `tavla:limit:${this.settings.name}:${key}`;
  }
}
