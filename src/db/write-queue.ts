import { Fifo } from './fifo.js';

/** Entries per write: one transaction (its events in one statement), written on the journal's own thread. */
export const DEFAULT_MAX_BATCH = 5_000;

/** Writes a batch as one unit: all of it or, by throwing, none of it. Writing the same batch twice must be harmless. */
export interface BatchWriter<T> {
  write(batch: readonly T[]): Promise<void>;
}

export interface WriteQueueOptions {
  /** Most entries in one write. */
  readonly maxBatch?: number;
  /**
   * The shortest time from the start of one write to the start of the next: entries that come
   * meanwhile gather into one write. A few writes of many entries cost the database far less
   * than many writes of a few (a transaction each); an idle queue writes at once.
   */
  readonly writeSpacingMs?: number;
  /** First pause after a failed write; it doubles on each failure in a row, up to retryMaxMs. */
  readonly retryMinMs?: number;
  readonly retryMaxMs?: number;
  /** Told about each failed write, with how many failed in a row. */
  readonly onError?: (error: unknown, failuresInARow: number) => void;
  /** Told when writing works again after failures. */
  readonly onRecovered?: (failures: number) => void;
}

/**
 * An ordered, batching write-behind queue. `append` returns at once; a background loop writes
 * what has gathered in batches, in order. A failed batch stays at the head of the queue and is
 * retried after a pause, so nothing is lost or reordered while the database is away; the writer
 * makes a repeated batch harmless.
 */
export class WriteQueue<T> {
  private readonly entries = new Fifo<T>();
  private draining = false;
  private idleWaiters: (() => void)[] = [];
  private failures = 0;
  private readonly maxBatch: number;
  private readonly writeSpacingMs: number;
  private lastWriteStarted = -Infinity;
  private readonly retryMinMs: number;
  private readonly retryMaxMs: number;

  constructor(
    private readonly writer: BatchWriter<T>,
    private readonly options: WriteQueueOptions = {},
  ) {
    this.maxBatch = options.maxBatch ?? DEFAULT_MAX_BATCH;
    this.writeSpacingMs = options.writeSpacingMs ?? 0;
    this.retryMinMs = options.retryMinMs ?? 100;
    this.retryMaxMs = options.retryMaxMs ?? 5_000;
  }

  /** Entries not yet written. */
  get pending(): number {
    return this.entries.length;
  }

  /** Failed writes in a row; 0 while writing works. */
  get failuresInARow(): number {
    return this.failures;
  }

  append(entry: T): void {
    this.entries.push(entry);
    if (!this.draining) {
      this.draining = true;
      void this.drain();
    }
  }

  /** Resolves once everything appended so far (and since) is written. */
  flushed(): Promise<void> {
    if (this.pending === 0 && !this.draining) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private async drain(): Promise<void> {
    while (this.pending > 0) {
      // At least one turn of the event loop between writes: an embedded database answers without
      // any I/O, so its promises settle at once, and a backlog would otherwise be written batch
      // after batch with the rooms frozen.
      const spacing = this.lastWriteStarted + this.writeSpacingMs - performance.now();
      await (this.pending < this.maxBatch && spacing >= 1 ? pause(spacing) : new Promise((resolve) => setImmediate(resolve)));
      this.lastWriteStarted = performance.now();
      const batch = this.entries.front(this.maxBatch);
      try {
        await this.writer.write(batch);
        this.written(batch.length);
      } catch (error) {
        this.failures += 1;
        this.options.onError?.(error, this.failures);
        await pause(Math.min(this.retryMaxMs, this.retryMinMs * 2 ** (this.failures - 1)));
      }
    }
    this.draining = false;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  private written(count: number): void {
    this.entries.drop(count);
    const failures = this.failures;
    this.failures = 0;
    if (failures > 0) this.options.onRecovered?.(failures);
  }
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Several WriteQueues side by side, each with a writer of its own (a database connection each):
 * entries with the same key always go to the same lane, so each key's entries stay in order,
 * while lanes write at the same time. One connection spends most of its time waiting for the
 * server's answer; a few keep a PostgreSQL server busy.
 */
export class WriteLanes<T> {
  private readonly lanes: WriteQueue<T>[];

  constructor(
    lanes: number,
    writerOf: () => BatchWriter<T>,
    private readonly keyOf: (entry: T) => string,
    options: WriteQueueOptions = {},
  ) {
    const { onError, onRecovered, ...laneOptions } = options;
    // The lanes fail and recover together when the database goes and comes back: told once, for
    // the lane that has failed most in a row, rather than once per lane.
    let worst = 0;
    const told: WriteQueueOptions = {
      onError: (error) => {
        if (this.failuresInARow <= worst) return;
        worst = this.failuresInARow;
        onError?.(error, worst);
      },
      onRecovered: () => {
        if (this.failuresInARow > 0 || worst === 0) return;
        onRecovered?.(worst);
        worst = 0;
      },
    };
    this.lanes = Array.from({ length: Math.max(1, lanes) }, () => new WriteQueue(writerOf(), { ...laneOptions, ...told }));
  }

  get pending(): number {
    return this.lanes.reduce((sum, lane) => sum + lane.pending, 0);
  }

  get failuresInARow(): number {
    return Math.max(...this.lanes.map((lane) => lane.failuresInARow));
  }

  append(entry: T): void {
    this.lanes[laneOf(this.keyOf(entry), this.lanes.length)]!.append(entry);
  }

  async flushed(): Promise<void> {
    await Promise.all(this.lanes.map((lane) => lane.flushed()));
  }
}

/**
 * A stable lane for a key: a small string hash (FNV-1a) of its last 8 characters, modulo the
 * number of lanes. The keys are random UUIDs, whose tails are as random as their whole, and
 * append() runs for every event.
 */
export function laneOf(key: string, lanes: number): number {
  let hash = 0x811c9dc5;
  for (let index = Math.max(0, key.length - 8); index < key.length; index++) hash = Math.imul(hash ^ key.charCodeAt(index), 0x01000193);
  return (hash >>> 0) % lanes;
}
