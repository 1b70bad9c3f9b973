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
 * (polling, idle) falls outside the spans. Measuring only `writer.write()` until it returns its
 * promise would miss most of the work: JournalStore builds and stringifies the events after
 * `begin` has answered, and the driver parses results in socket callbacks; all of it runs in
 * later macrotasks that this catches.
 *
 * Attribution: the room driver marks the spans it runs itself (its own tick, appending to the
 * queue); every other span in the benchmark process belongs to the write path (the queue's
 * drain, the ORM, the database driver, PGlite's WebAssembly), since nothing else runs.
 *
 * Cost: promise hooks make every promise reaction call into JavaScript twice, which slows the
 * write path; spans measured here are an upper bound of the spans without the hooks, so this
 * runs in a pass of its own, apart from the throughput and event-loop-delay figures.
 */
import { createHook, executionAsyncResource, type AsyncHook } from 'node:async_hooks';
import { constants, performance, PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';

const IN_CHECKPOINT = new Set(['TickObject', 'Microtask']);

export interface Span {
  readonly start: number;
  readonly ms: number;
  readonly rooms: boolean;
  /** The batch being written while the span ran (-1 between batches). */
  readonly batch: number;
}

export class SpanMeter {
  readonly spans: Span[] = [];
  /** Garbage collections, to tell the write path's own time from the collector's pauses inside its spans. */
  readonly gcs: { start: number; ms: number; kind: string }[] = [];
  private readonly observer = new PerformanceObserver((list) => this.noteGcs(list.getEntries()));
  /** Set by the writer wrapper: the batch in flight. */
  batch = -1;
  /** Pending process.nextTick and queueMicrotask callbacks: they run inside the current span, not as new ones. */
  private readonly inCheckpoint = new Set<number>();
  private start = -1;
  private lastEnd = 0;
  private rooms = false;
  private spanBatch = -1;
  private readonly hook: AsyncHook;

  constructor() {
    this.hook = createHook({
      init: (id, type) => {
        if (IN_CHECKPOINT.has(type)) this.inCheckpoint.add(id);
      },
      before: (id) => {
        const now = performance.now();
        if (executionAsyncResource() instanceof Promise || this.inCheckpoint.delete(id)) {
          // A promise reaction or tick: part of the current span. A batch started inside it counts for the span.
          if (this.start >= 0 && this.spanBatch < 0) this.spanBatch = this.batch;
          return;
        }
        this.close();
        this.start = now;
        this.lastEnd = now;
        this.rooms = false;
        this.spanBatch = this.batch;
      },
      after: () => {
        this.lastEnd = performance.now();
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
    this.spans.push({ start: this.start, ms: this.lastEnd - this.start, rooms: this.rooms, batch: this.spanBatch });
    this.start = -1;
  }
}
