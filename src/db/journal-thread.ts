import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { log } from '../log.js';
import { Fifo } from './fifo.js';
import type { JournalEntry } from './journal.js';
import type { JournalReport, JournalSettings } from './journal-host.js';
import { putEntry, type JournalWire } from './journal-wire.js';
import type { Database } from './orm.js';
import { loaderFlags } from './pglite-thread.js';
import { laneOf } from './write-queue.js';

/** Entries handed to the journal's thread in one message, so that no message holds up the rooms for long. */
const ENTRIES_PER_MESSAGE = 200;

/** Pauses before starting a journal thread that stopped again: from one second, doubling up to half a minute. */
const RESTART_MIN_MS = 1_000;
const RESTART_MAX_MS = 30_000;

export interface JournalOptions extends Omit<JournalSettings, 'lanes'> {
  readonly lanes?: number;
  /** Told about each failed write, with how many failed in a row. */
  readonly onError?: (message: string, failuresInARow: number) => void;
  /** Told when writing works again after failures. */
  readonly onRecovered?: (failures: number) => void;
  /** Told after each batch written, with its size and how long the write took. */
  readonly onWritten?: (count: number, ms: number) => void;
  /** Told of matches whose entries were refused, once each: another process plays them now. */
  readonly onMovedAway?: (matchIds: readonly string[]) => void;
}

/**
 * One writer by default, on either database: the events of every room go out in one commit at
 * a time, and those arriving during a commit (or within JOURNAL_WRITE_SPACING_MS of the previous
 * one's start) join the next. Several lanes commit more often with fewer events each; at 2,000
 * paced matches on PostgreSQL that cost the database (and the server's thread) more CPU and
 * lengthened the wait for a patch instead of shortening it.
 */
export const DEFAULT_JOURNAL_LANES = 1;

/**
 * At most one commit every few milliseconds under load: the patches wait that much longer, and
 * the database does a fraction of the commits. An idle journal writes at once.
 */
export const JOURNAL_WRITE_SPACING_MS = 4;

/** One journal thread and the port to it; a thread that stops is replaced by a new connection. */
interface Connection {
  readonly port: MessagePort;
  readonly worker: Worker | null;
  alive: boolean;
}

/**
 * The match journal as the rooms see it: `append` returns at once and costs well under a
 * microsecond; entries go to the journal's own thread and are written there (see serveJournal).
 * The writer runs next to the database's client: on a thread of its own for PostgreSQL, on the
 * embedded database's thread for PGlite.
 *
 * One message is on its way at a time: what gathers while the thread writes goes in one message
 * once it reports the last one written, at least JOURNAL_WRITE_SPACING_MS after that one left
 * (an idle journal sends after the turn of the event loop that appended). Each message is then
 * one commit, and each commit wakes the journal's thread twice (the message, the database's
 * answer) instead of for every message, timer and answer.
 *
 * Every entry is kept here, per lane, until the thread reports it written. If the thread stops
 * (only a bug or running out of memory would stop it: it retries every failed write), a new one
 * starts once every report the old one posted has been taken, and gets every unconfirmed entry
 * in one message, so that each lane's first batch starts where the lost thread's last one did
 * and covers it: a batch written but not reported (the thread ended between the two) is written
 * again, which changes nothing.
 */
export class JournalThread {
  /** Messages full and waiting, then the one being gathered. */
  private outbox: { readonly wire: JournalWire; readonly entries: number }[] = [];
  private gathering: JournalWire = [];
  private gathered = 0;
  /** Entries appended and not yet posted to the journal's thread. */
  private unsent = 0;
  /** A send is scheduled or under way (a backlog goes one message a turn). */
  private sending = false;
  private lastPostedAt = -Infinity;
  private failures = 0;
  private restarts = 0;
  private idleWaiters: (() => void)[] = [];
  private closing = false;
  /** Per lane, the entries the journal's thread has not yet confirmed written, in order. */
  private readonly unconfirmed: Fifo<JournalEntry>[];
  /** Per lane, entries appended and entries confirmed written since the start: positions in the lane's order. */
  private readonly appendedCount: number[];
  private readonly writtenCount: number[];
  /** Per lane, callbacks waiting for the lane to be written up to a position, in the order they came. */
  private readonly writeWaiters: Fifo<WriteWaiter>[];
  /** Matches whose entries the writer refused, another process playing them now: nothing waiting for them is called, until one comes back (playsAgain). */
  private readonly movedAway = new Set<string>();
  private connection: Connection;
  private settleReady!: (error?: Error) => void;
  /** Resolves once the writer's thread has started and takes entries (appending before is fine: they wait). */
  readonly ready = new Promise<void>((resolve, reject) => (this.settleReady = (error) => (error ? reject(error) : resolve())));
  private started = false;

  private constructor(
    private readonly database: Database,
    private readonly settings: JournalSettings,
    private readonly options: JournalOptions,
  ) {
    this.unconfirmed = Array.from({ length: settings.lanes }, () => new Fifo<JournalEntry>());
    this.appendedCount = new Array<number>(settings.lanes).fill(0);
    this.writtenCount = new Array<number>(settings.lanes).fill(0);
    this.writeWaiters = Array.from({ length: settings.lanes }, () => new Fifo<WriteWaiter>());
    this.connection = this.connect();
  }

  static start(database: Database, options: JournalOptions = {}): JournalThread {
    const settings = {
      ...withoutCallbacks(options),
      writeSpacingMs: options.writeSpacingMs ?? JOURNAL_WRITE_SPACING_MS,
      lanes: options.lanes ?? DEFAULT_JOURNAL_LANES,
    };
    return new JournalThread(database, settings, options);
  }

  /** The writer writes each message as it comes: this side spaces them (sendWhenDue). */
  private get writerSettings(): JournalSettings {
    return { ...this.settings, writeSpacingMs: 0 };
  }

  /** Entries posted to the journal's thread that it has not yet reported written. */
  private get inFlight(): number {
    return this.pending - this.unsent;
  }

  /** Entries not yet written. */
  get pending(): number {
    return this.unconfirmed.reduce((sum, lane) => sum + lane.length, 0);
  }

  /** Failed writes in a row; 0 while writing works. */
  get failuresInARow(): number {
    return this.failures;
  }

  append(entry: JournalEntry): void {
    const lane = laneOf(entry.matchId, this.settings.lanes);
    this.unconfirmed[lane]!.push(entry);
    this.appendedCount[lane]! += 1;
    putEntry(this.gathering, entry);
    this.unsent += 1;
    if (++this.gathered === ENTRIES_PER_MESSAGE) this.seal();
    if (this.pending === 1) this.connection.port.ref();
    this.sendWhenDue();
  }

  /**
   * Calls `callback` once every entry of the match appended so far is written: at once (before
   * returning) when it already is. Callbacks for the same match are called in the order given.
   * Never called for a match another process has taken over (its entries are refused).
   */
  afterWritten(matchId: string, callback: () => void): void {
    if (this.movedAway.has(matchId)) return;
    const lane = laneOf(matchId, this.settings.lanes);
    const position = this.appendedCount[lane]!;
    if (this.writtenCount[lane]! >= position) return callback();
    this.writeWaiters[lane]!.push({ matchId, position, callback });
  }

  /**
   * This process plays the match again, claimed back after another process had it (its entries
   * were refused then): its entries are written and waited for again.
   */
  playsAgain(matchId: string): void {
    this.movedAway.delete(matchId);
  }

  /** Whether entries of the match wait to be written (or refused): a room of this process appended them. */
  holds(matchId: string): boolean {
    for (const entry of this.unconfirmed[laneOf(matchId, this.settings.lanes)]!) if (entry.matchId === matchId) return true;
    return false;
  }

  /** Resolves once everything appended so far (and since) is written. */
  flushed(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Stops the writer (entries not written by then are dropped: wait for `flushed()` first). */
  async close(): Promise<void> {
    this.closing = true;
    const { port, worker, alive } = this.connection;
    port.close();
    if (!worker || !alive) return;
    const exited = new Promise((resolve) => worker.once('exit', resolve));
    // The thread ends by itself once its connections are closed; a database that does not answer is not waited for.
    const timer = setTimeout(() => void worker.terminate(), 5_000);
    await exited;
    clearTimeout(timer);
  }

  private connect(): Connection {
    const { port1: port, port2 } = new MessageChannel();
    const { target } = this.database;
    let worker: Worker | null = null;
    if (target.kind === 'pglite') {
      this.database.pglite!.serveJournal(port2, this.writerSettings);
    } else {
      worker = new Worker(new URL('./journal-worker.ts', import.meta.url), {
        workerData: { url: target.url, port: port2, settings: this.writerSettings },
        transferList: [port2],
        execArgv: loaderFlags(process.execArgv),
      });
      worker.on('error', (error) => log.error({ err: error }, 'the match journal thread failed'));
      worker.unref();
    }
    const connection: Connection = { port, worker, alive: true };
    port.on('message', (report: JournalReport) => this.receive(report));
    worker?.once('exit', (code) => this.stopped(connection, code));
    // The port holds the process open while the thread starts and while entries wait to be written.
    void this.ready.then(() => this.pending === 0 && port.unref(), () => port.unref());
    return connection;
  }

  private seal(): void {
    this.outbox.push({ wire: this.gathering, entries: this.gathered });
    this.gathering = [];
    this.gathered = 0;
  }

  /**
   * Schedules the next send once nothing is in flight: after this turn of the event loop, or
   * when JOURNAL_WRITE_SPACING_MS has passed since the last message left.
   */
  private sendWhenDue(): void {
    if (this.sending || this.unsent === 0 || this.inFlight > 0 || !this.connection.alive) return;
    this.sending = true;
    const wait = this.lastPostedAt + this.settings.writeSpacingMs! - performance.now();
    if (wait >= 1) setTimeout(() => this.send(), wait);
    else setImmediate(() => this.send());
  }

  /** What has gathered, one message per turn of the event loop while a backlog lasts, of at most ENTRIES_PER_MESSAGE entries. */
  private send(): void {
    if (!this.connection.alive) return void (this.sending = false);
    if (this.outbox.length === 0) this.seal();
    const message = this.outbox.shift()!;
    this.unsent -= message.entries;
    this.connection.port.postMessage(message.wire);
    this.lastPostedAt = performance.now();
    if (this.outbox.length > 0 || this.gathered > 0) setImmediate(() => this.send());
    else this.sending = false;
  }

  private stopped(connection: Connection, code: number): void {
    connection.alive = false;
    // The port stays open until the new thread starts: reports the thread posted before it ended
    // may still be on their way, and every written batch must be confirmed before the rest is sent again.
    if (this.closing) return connection.port.close();
    if (!this.started) return this.settleReady(new Error(`the match journal's thread stopped before it started (exit code ${code})`));
    this.restarts += 1;
    const pause = Math.min(RESTART_MAX_MS, RESTART_MIN_MS * 2 ** (this.restarts - 1));
    log.error({ exitCode: code, pending: this.pending }, `the match journal's thread stopped (exit code ${code}); a new one starts in ${pause / 1000} s and writes the ${this.pending} match events not yet written`);
    setTimeout(() => this.restart(), pause).unref();
  }

  /** A new thread, given every unconfirmed entry at once (see the class comment). */
  private restart(): void {
    const lost = this.connection;
    for (let report = receiveMessageOnPort(lost.port); report; report = receiveMessageOnPort(lost.port)) this.receive(report.message as JournalReport);
    lost.port.close();
    if (this.closing) return;
    this.connection = this.connect();
    if (this.pending > 0) this.connection.port.ref();
    this.outbox = [];
    this.gathering = [];
    this.gathered = 0;
    this.unsent = 0;
    const everything: JournalWire = [];
    for (const lane of this.unconfirmed) for (const entry of lane) putEntry(everything, entry);
    if (everything.length > 0) this.connection.port.postMessage(everything);
  }

  private receive(report: JournalReport): void {
    if (report.type === 'ready') {
      this.started = true;
      this.settleReady();
    } else if (report.type === 'written') {
      const movedAway = report.refused.filter((matchId) => !this.movedAway.has(matchId));
      for (const matchId of movedAway) this.movedAway.add(matchId);
      this.confirm(report.lane, report.count);
      if (movedAway.length > 0) this.options.onMovedAway?.(movedAway);
      this.restarts = 0;
      this.options.onWritten?.(report.count, report.ms);
    } else if (report.type === 'failed') {
      this.failures = report.failuresInARow;
      this.options.onError?.(report.message, report.failuresInARow);
    } else {
      this.failures = 0;
      this.options.onRecovered?.(report.failures);
    }
  }

  private callWriteWaiters(lane: number): void {
    const waiters = this.writeWaiters[lane]!;
    const written = this.writtenCount[lane]!;
    for (let waiter = waiters.peek(); waiter && waiter.position <= written; waiter = waiters.peek()) {
      waiters.drop(1);
      if (this.movedAway.has(waiter.matchId)) continue;
      try {
        waiter.callback();
      } catch (error) {
        log.error({ err: error }, 'a callback waiting for match events to be written failed');
      }
    }
  }

  private confirm(lane: number, count: number): void {
    this.unconfirmed[lane]!.drop(count);
    this.writtenCount[lane]! += count;
    this.callWriteWaiters(lane);
    if (this.pending === 0) {
      this.connection.port.unref();
      for (const resolve of this.idleWaiters.splice(0)) resolve();
    }
    this.sendWhenDue();
  }
}

interface WriteWaiter {
  readonly matchId: string;
  readonly position: number;
  readonly callback: () => void;
}

function withoutCallbacks(options: JournalOptions): Omit<JournalSettings, 'lanes'> {
  const { serverId, maxBatch, writeSpacingMs, retryMinMs, retryMaxMs } = options;
  return { serverId, maxBatch, writeSpacingMs, retryMinMs, retryMaxMs };
}
