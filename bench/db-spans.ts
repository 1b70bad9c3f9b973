/**
 * Measures every synchronous span of the event loop: how long each macrotask ran, its
 * microtasks included, before control went back to libuv. While a span runs, no room's timer,
 * message or patch can run, so the longest span is the longest time the write path held the
 * rooms up.
 *
 * Method. Node runs a macrotask (an Immediate, a Timeout, a socket's read callback, ...) and
 * then drains process.nextTick and the microtask queue before libuv moves on. async_hooks
 * reports `before`/`after` around the macrotask's callback and, with promise hooks (turned on
 * by createHook), around every promise reaction, nextTick and queueMicrotask callback that
 * follows it. So a span starts at the `before` of a macrotask and ends at the last `after`
 * seen before the next macrotask's `before`: that is the whole synchronous stretch, callback
 * and microtasks, during which the loop could not turn. Time libuv spends between macrotasks
 * (polling, idle) falls outside the spans. The write path's work on this thread is handing
 * entries to the journal's thread (an Immediate after the rooms' turn) and taking its reports
 * (MessagePort callbacks); whatever else it did would show up here too.
 *
 * Attribution: the room driver marks the spans it runs itself (its own tick, appending to the
 * journal); every other span in the benchmark process belongs to the write path, since nothing
 * else runs on this thread.
 *
 * Preemption: each span also records how long the thread waited, runnable, for a core while it
 * ran (RunQueueClock below), so the span's own length can be told from the scheduler's.
 *
 * Cost: promise hooks make every promise reaction call into JavaScript twice, which slows the
 * write path; spans measured here are an upper bound of the spans without the hooks, so this
 * runs in a pass of its own, apart from the throughput and event-loop-delay figures.
 */
import { createHook, executionAsyncResource, type AsyncHook } from 'node:async_hooks';
import { openSync, readSync } from 'node:fs';
import { constants, performance, PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';

const IN_CHECKPOINT = new Set(['TickObject', 'Microtask']);

export interface Span {
  readonly start: number;
  readonly ms: number;
  /** Of `ms`, the time the thread waited for a core (preempted by other processes), when the kernel tells it. */
  readonly waitMs: number;
  readonly rooms: boolean;
  /** What started the span: the macrotask's resource (Immediate, Timeout, a socket's handle, ...). */
  readonly cause: string;
}

export class SpanMeter {
  readonly spans: Span[] = [];
  /** Garbage collections, to tell the write path's own time from the collector's pauses inside its spans. */
  readonly gcs: { start: number; ms: number; kind: string }[] = [];
  private readonly observer = new PerformanceObserver((list) => this.noteGcs(list.getEntries()));
  /** Pending process.nextTick and queueMicrotask callbacks: they run inside the current span, not as new ones. */
  private readonly inCheckpoint = new Set<number>();
  private start = -1;
  private lastEnd = 0;
  private startWait = 0;
  private lastWait = 0;

  private readonly runQueue = new RunQueueClock();
  private rooms = false;
  private cause = '';
  private readonly hook: AsyncHook;

  constructor() {
    this.hook = createHook({
      init: (id, type) => {
        if (IN_CHECKPOINT.has(type)) this.inCheckpoint.add(id);
      },
      before: (id) => {
        const now = performance.now();
        if (executionAsyncResource() instanceof Promise || this.inCheckpoint.delete(id)) {
          return; // a promise reaction or tick: part of the current span
        }
        this.close();
        this.cause = (executionAsyncResource() as object | undefined)?.constructor?.name ?? 'unknown';
        this.start = now;
        this.lastEnd = now;
        this.startWait = this.lastWait = this.runQueue.waitedMs();
        this.rooms = false;
      },
      after: () => {
        this.lastEnd = performance.now();
        this.lastWait = this.runQueue.waitedMs();
      },
    });
  }

  /** Called by the room driver from inside its own tick. */
  markRooms(): void {
    this.rooms = true;
  }

  enable(): void {
    this.observer.observe({ entryTypes: ['gc'] });
    this.hook.enable();
  }

  disable(): void {
    this.close();
    this.hook.disable();
    this.inCheckpoint.clear();
    this.noteGcs(this.observer.takeRecords());
    this.observer.disconnect();
  }

  private noteGcs(entries: readonly PerformanceEntry[]): void {
    for (const entry of entries) {
      const kind = ((entry as { detail?: unknown }).detail as { kind?: number } | undefined)?.kind;
      const name = kind === constants.NODE_PERFORMANCE_GC_MAJOR ? 'major' : kind === constants.NODE_PERFORMANCE_GC_MINOR ? 'minor' : 'other';
      this.gcs.push({ start: entry.startTime, ms: entry.duration, kind: name });
    }
  }

  /** The garbage collector's time inside a span. */
  gcWithin(span: Span): number {
    let ms = 0;
    for (const gc of this.gcs) {
      const overlap = Math.min(span.start + span.ms, gc.start + gc.ms) - Math.max(span.start, gc.start);
      if (overlap > 0) ms += overlap;
    }
    return ms;
  }

  private close(): void {
    if (this.start < 0) return;
    const ms = this.lastEnd - this.start;
    this.spans.push({ start: this.start, ms, waitMs: Math.min(ms, this.lastWait - this.startWait), rooms: this.rooms, cause: this.cause });
    this.start = -1;
  }
}

/**
 * How long this thread has waited, runnable, for a core since it started (Linux schedstat's
 * run_delay; 0 where there is none). On a machine with as many busy processes as cores, the
 * scheduler takes the core away in the middle of a span; that time is the database's (or any
 * other process's), not the span's work.
 */
class RunQueueClock {
  private readonly fd: number | null;
  private readonly buffer = Buffer.alloc(64);

  constructor() {
    try {
      this.fd = openSync('/proc/thread-self/schedstat', 'r');
    } catch {
      this.fd = null;
    }
  }

  /** Time spent waiting for a core so far, in ms. */
  waitedMs(): number {
    if (this.fd === null) return 0;
    const length = readSync(this.fd, this.buffer, 0, this.buffer.length, 0);
    return Number(this.buffer.toString('latin1', 0, length).split(' ')[1]) / 1e6;
  }
}
