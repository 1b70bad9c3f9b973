import { performance } from 'node:perf_hooks';
import type { Room } from '@colyseus/sdk';
import type { Table } from './generator.js';

const RATE_BURST = 50;

/**
 * What every generated client does whatever the room: counts its connection, reports errors
 * and closes it did not ask for, pauses for the think time and keeps under the rate limit.
 */
export abstract class SeatedPlayer<State> {
  private tokens = RATE_BURST;
  private refilledAt = performance.now();
  /** The think-time timer before the next action. */
  private thinking: NodeJS.Timeout | null = null;
  private open = true;
  private leaving: Promise<unknown> | null = null;

  constructor(
    protected readonly table: Table,
    protected readonly room: Room<any, State>,
  ) {
    const { counters } = table.generator;
    counters.clients += 1;
    room.reconnection.enabled = false;
    room.onError((code, message) => {
      if (this.leaving) return;
      table.generator.noteError('clientErrors', `room ${room.roomId}: error ${code} ${message ?? ''}`);
    });
    room.onLeave((code, reason) => {
      if (this.open) {
        this.open = false;
        counters.clients -= 1;
      }
      if (this.leaving || table.isClosed || table.generator.isStopping) return;
      table.generator.noteError('unexpectedCloses', `room ${room.roomId} ${this.describeSeat()}: closed with ${code} ${reason ?? ''}`);
      table.fail();
    });
  }

  /** It knows its seat and has the state. */
  abstract get isReady(): boolean;
  /** How long the action in flight has waited, or 0. */
  abstract waitingSince(now: number): number;
  abstract describePending(): string;
  protected abstract describeSeat(): string;
  /** Acts on the current state if it is its turn and nothing is in flight. */
  abstract next(): void;

  /** Whether it is gone or going: nothing more to do. */
  protected get done(): boolean {
    return this.table.isClosed || this.leaving !== null || this.table.generator.isSilent;
  }

  leave(): Promise<unknown> {
    if (this.thinking) clearTimeout(this.thinking);
    this.thinking = null;
    if (!this.leaving) {
      this.leaving = this.open && this.room.connection?.isOpen ? this.room.leave(true).catch(() => undefined) : Promise.resolve();
    }
    return this.leaving;
  }

  /**
   * Runs `act` after the think time (and whatever the rate limit asks), unless a pause is
   * already running or there is nothing to do; after the pause, `act` runs only if
   * `mayAct` still holds.
   */
  protected afterThinking(act: () => void, mayAct: () => boolean): void {
    if (this.thinking) return;
    const thinkMs = this.table.generator.options.thinkMs;
    const waitMs = Math.max(thinkMs > 0 ? thinkMs * (0.5 + Math.random()) : 0, this.rateLimitWaitMs());
    if (waitMs <= 0) return act();
    if (!mayAct()) return;
    this.thinking = setTimeout(() => {
      this.thinking = null;
      if (!this.done && mayAct()) act();
    }, waitMs);
  }

  /** Sends a message, counted and charged to the rate limit. */
  protected sendCounted(type: string, payload?: unknown): void {
    this.table.generator.counters.messagesSent += 1;
    this.tokens -= 1;
    this.room.send(type, payload);
  }

  /**
   * A token bucket keeps each client under `maxRate` messages a second (at most RATE_BURST +
   * maxRate in any second), below the room's flood limit, which disconnects.
   */
  private rateLimitWaitMs(): number {
    const rate = this.table.generator.options.maxRate;
    const now = performance.now();
    this.tokens = Math.min(RATE_BURST, this.tokens + ((now - this.refilledAt) * rate) / 1000);
    this.refilledAt = now;
    return this.tokens >= 1 ? 0 : ((1 - this.tokens) * 1000) / rate;
  }
}
