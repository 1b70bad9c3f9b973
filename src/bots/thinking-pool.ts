import { availableParallelism } from 'node:os';
import type { MatchState, Seat } from '../engine/index.js';
import type { BotName } from './player.js';
import type { SeatIntent } from './seat-player.js';
import type { ThinkingRequest } from './thinking-worker.js';
import { WorkerPool } from './worker-pool.js';

/** How long one decision may wait for a thread, and then how long it may take, before the room decides without it. */
export const DEFAULT_THINKING_TIMEOUT_MS = 5_000;

export interface ThinkingPoolOptions {
  /** Threads; by default one fewer than the machine's cores, and at least one. */
  readonly size?: number;
  readonly timeoutMs?: number;
  /** The worker's script: thinking-worker.ts unless a test brings one that misbehaves. */
  readonly script?: URL;
}

/** Why a decision has no answer: it waited or took too long, its thread failed, or the pool closed. */
export class ThinkingFailed extends Error {
  override readonly name = 'ThinkingFailed';
}

/**
 * Worker threads shared by every room, where bots decide, so that no room's event loop waits
 * for one (see WorkerPool). Threads load the bots' network once, before their first decision.
 */
export class ThinkingPool extends WorkerPool<ThinkingRequest, SeatIntent | null> {
  constructor(options: ThinkingPoolOptions = {}) {
    super({
      size: options.size ?? Math.max(1, availableParallelism() - 1),
      timeoutMs: options.timeoutMs ?? DEFAULT_THINKING_TIMEOUT_MS,
      script: options.script ?? new URL('./thinking-worker.ts', import.meta.url),
      purpose: 'thinking',
      failure: (why) => new ThinkingFailed(why),
    });
  }

  /** The bot's next action in the match; rejects with ThinkingFailed when no thread answers in time. */
  think(match: MatchState, seat: Seat, bot: BotName): Promise<SeatIntent | null> {
    return this.run({ match, seat, bot });
  }
}
