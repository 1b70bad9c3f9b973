import { performance } from 'node:perf_hooks';
import type { Room } from '@colyseus/sdk';
import type { Table } from './generator.js';
import { SeatedPlayer } from './seated-player.js';

interface CounterState {
  count?: number;
}

/**
 * One client of the baseline room (loadtest/baseline-room.ts). The two players take turns as
 * in a match: seat 0 increments when the count is even, seat 1 when it is odd, each after the
 * patch that shows the previous increment, so one action is in flight per room and every
 * patch goes to both, as in the match room.
 */
export class BaselinePlayer extends SeatedPlayer<CounterState> {
  /** The count when the increment in flight was sent, and when. */
  private pending: { count: number; sentAt: number } | null = null;
  private hasState = false;

  constructor(
    table: Table,
    room: Room<any, CounterState>,
    private readonly seat: 0 | 1,
  ) {
    super(table, room);
    room.onStateChange(() => this.onState());
  }

  get isReady(): boolean {
    return this.hasState;
  }

  waitingSince(now: number): number {
    return this.pending ? now - this.pending.sentAt : 0;
  }

  describePending(): string {
    return `${this.pending ? 'increment' : 'nothing'} (room ${this.room.roomId}, seat ${this.seat}, count ${this.room.state.count})`;
  }

  protected describeSeat(): string {
    return `seat ${this.seat}`;
  }

  next(): void {
    if (!this.isReady || this.done) return;
    this.table.ready();
    if (this.pending || !this.table.isPlaying) return;
    this.afterThinking(
      () => this.increment(),
      () => this.myTurn(),
    );
  }

  private myTurn(): boolean {
    return !this.pending && this.table.isPlaying && (this.room.state.count ?? 0) % 2 === this.seat;
  }

  private increment(): void {
    if (!this.myTurn()) return;
    this.pending = { count: this.room.state.count ?? 0, sentAt: performance.now() };
    this.sendCounted('increment');
  }

  private onState(): void {
    const { generator } = this.table;
    this.hasState = true;
    generator.counters.patchesReceived += 1;
    const now = performance.now();
    this.table.progressed(now);
    if (this.pending && (this.room.state.count ?? 0) > this.pending.count) {
      generator.moveLatency.record(now - this.pending.sentAt);
      generator.actionLatency.record(now - this.pending.sentAt);
      this.pending = null;
    }
    this.next();
  }
}
