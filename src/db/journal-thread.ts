import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import type { JournalEntry } from './journal.js';
import type { JournalReport, JournalSettings } from './journal-host.js';
import { putEntry, type JournalWire } from './journal-wire.js';
import type { Database } from './orm.js';
import { loaderFlags } from './pglite-thread.js';

/** Entries handed to the journal's thread in one message, so that no message holds up the rooms for long. */
const ENTRIES_PER_MESSAGE = 200;

export interface JournalOptions extends Omit<JournalSettings, 'lanes'> {
  readonly lanes?: number;
  /** Told about each failed write, with how many failed in a row. */
  readonly onError?: (message: string, failuresInARow: number) => void;
  /** Told when writing works again after failures. */
  readonly onRecovered?: (failures: number) => void;
  /** Told after each batch written, with its size and how long the write took. */
  readonly onWritten?: (count: number, ms: number) => void;
}

/**
 * Writers working at once on PostgreSQL (a connection each); the embedded PGlite answers one
 * query at a time, so more would only wait.
 */
export function journalLanes(database: Database): number {
  return database.target.kind === 'postgresql' ? 4 : 1;
}

/**
 * The match journal as the rooms see it: `append` returns at once and costs a few hundred
 * nanoseconds; entries gathered during a turn of the event loop go to the journal's own thread
 * in one message after it, and are written there (see serveJournal). The writer runs next to the
 * database's client: on a thread of its own for PostgreSQL, on the embedded database's thread for
 * PGlite.
 */
export class JournalThread {
  /** Messages full and waiting, then the one being gathered. */
  private readonly outbox: JournalWire[] = [];
  private gathering: JournalWire = [];
  private gathered = 0;
  private sending = false;
  private unwritten = 0;
  private failures = 0;
  private idleWaiters: (() => void)[] = [];
  private closing = false;
  private settleReady!: (error?: Error) => void;
  /** Resolves once the writer's thread has started and takes entries (appending before is fine: they wait). */
  readonly ready = new Promise<void>((resolve, reject) => (this.settleReady = (error) => (error ? reject(error) : resolve())));

  private constructor(
    private readonly port: MessagePort,
    private readonly worker: Worker | null,
    private readonly options: JournalOptions,
  ) {
    port.on('message', (report: JournalReport) => this.receive(report));
    // The port holds the process open while the thread starts and while entries wait to be written.
    void this.ready.then(() => this.unwritten === 0 && port.unref(), () => port.unref());
    worker?.once('exit', (code) => this.stopped(code));
  }

  static start(database: Database, options: JournalOptions = {}): JournalThread {
    const settings: JournalSettings = { ...withoutCallbacks(options), lanes: options.lanes ?? journalLanes(database) };
    const { port1, port2 } = new MessageChannel();
    const { target } = database;
    if (target.kind === 'pglite') {
      database.pglite!.serveJournal(port2, settings);
      return new JournalThread(port1, null, options);
    }
    const worker = new Worker(new URL('./journal-worker.ts', import.meta.url), {
      workerData: { url: target.url, port: port2, settings },
      transferList: [port2],
      execArgv: loaderFlags(process.execArgv),
    });
    worker.on('error', (error) => console.error('the match journal thread failed:', error));
    worker.unref();
    return new JournalThread(port1, worker, options);
  }

  /** Entries not yet written. */
  get pending(): number {
    return this.unwritten;
  }

  /** Failed writes in a row; 0 while writing works. */
  get failuresInARow(): number {
    return this.failures;
  }

  append(entry: JournalEntry): void {
    putEntry(this.gathering, entry);
    if (++this.gathered === ENTRIES_PER_MESSAGE) this.seal();
    this.unwritten += 1;
    if (this.unwritten === 1) this.port.ref();
    if (!this.sending) {
      this.sending = true;
      setImmediate(() => this.send());
    }
  }

  /** Resolves once everything appended so far (and since) is written. */
  flushed(): Promise<void> {
    if (this.unwritten === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Stops the writer (entries not written by then are dropped: wait for `flushed()` first). */
  async close(): Promise<void> {
    this.closing = true;
    const worker = this.worker;
    const exited = worker ? new Promise((resolve) => worker.once('exit', resolve)) : null;
    this.port.close();
    if (!worker) return;
    // The thread ends by itself once its connections are closed; a database that does not answer is not waited for.
    const timer = setTimeout(() => void worker.terminate(), 5_000);
    await exited;
    clearTimeout(timer);
  }

  private seal(): void {
    this.outbox.push(this.gathering);
    this.gathering = [];
    this.gathered = 0;
  }

  /** One message per turn of the event loop, of at most ENTRIES_PER_MESSAGE entries. */
  private send(): void {
    if (this.outbox.length === 0) this.seal();
    this.port.postMessage(this.outbox.shift());
    if (this.outbox.length > 0 || this.gathered > 0) setImmediate(() => this.send());
    else this.sending = false;
  }

  private stopped(code: number): void {
    this.settleReady(new Error(`the match journal's thread stopped before it started (exit code ${code})`));
    if (!this.closing) console.error(`the match journal's thread stopped (exit code ${code}) with ${this.unwritten} match events not written`);
  }

  private receive(report: JournalReport): void {
    if (report.type === 'ready') {
      this.settleReady();
    } else if (report.type === 'written') {
      this.unwritten -= report.count;
      this.options.onWritten?.(report.count, report.ms);
      if (this.unwritten === 0) {
        this.port.unref();
        for (const resolve of this.idleWaiters.splice(0)) resolve();
      }
    } else if (report.type === 'failed') {
      this.failures = report.failuresInARow;
      this.options.onError?.(report.message, report.failuresInARow);
    } else {
      this.failures = 0;
      this.options.onRecovered?.(report.failures);
    }
  }
}

function withoutCallbacks(options: JournalOptions): Omit<JournalSettings, 'lanes'> {
  const { serverId, maxBatch, lingerMs, retryMinMs, retryMaxMs } = options;
  return { serverId, maxBatch, lingerMs, retryMinMs, retryMaxMs };
}
