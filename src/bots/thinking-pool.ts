import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { loaderFlags } from '../db/pglite-thread.js';
import type { MatchState, Seat } from '../engine/index.js';
import type { BotName } from './player.js';
import type { SeatIntent } from './seat-player.js';
import type { ThinkingReply, ThinkingRequest } from './thinking-worker.js';

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

interface Job {
  readonly request: ThinkingRequest;
  readonly resolve: (intent: SeatIntent | null) => void;
  readonly reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

interface Thread {
  /** Started when there is work; null after it failed or was stopped. */
  worker: Worker | null;
  /** It has loaded what bots need (its first message says so): only a ready thread is given decisions. */
  ready: boolean;
  job: Job | null;
}

/**
 * Worker threads shared by every room, where bots decide, so that no room's event loop waits
 * for one. A decision waits at most `timeoutMs` for a ready thread, then has `timeoutMs` to be
 * made; one given up on has its thread replaced (a search in progress cannot be interrupted).
 * Threads start when there is work and load the bots' network once, before their first decision.
 */
export class ThinkingPool {
  readonly size: number;
  readonly timeoutMs: number;
  private readonly script: URL;
  private readonly threads: Thread[];
  private readonly queue: Job[] = [];
  private nextId = 1;
  private closed = false;

  constructor(options: ThinkingPoolOptions = {}) {
    this.size = options.size ?? Math.max(1, availableParallelism() - 1);
    this.timeoutMs = options.timeoutMs ?? DEFAULT_THINKING_TIMEOUT_MS;
    this.script = options.script ?? new URL('./thinking-worker.ts', import.meta.url);
    this.threads = Array.from({ length: this.size }, () => ({ worker: null, ready: false, job: null }));
  }

  /** The bot's next action in the match; rejects with ThinkingFailed when no thread answers in time. */
  think(match: MatchState, seat: Seat, bot: BotName): Promise<SeatIntent | null> {
    if (this.closed) return Promise.reject(new ThinkingFailed('the thinking threads are closed'));
    return new Promise((resolve, reject) => {
      const job: Job = { request: { id: this.nextId++, match, seat, bot }, resolve, reject, timer: undefined! };
      job.timer = setTimeout(() => this.dequeue(job), this.timeoutMs);
      this.queue.push(job);
      this.dispatch();
    });
  }

  /** Threads running now, loading or ready. */
  get started(): number {
    return this.threads.filter((thread) => thread.worker !== null).length;
  }

  /** Starts the threads not running yet, so that a bot's first decision does not wait for them to load. */
  warm(): void {
    if (this.closed) return;
    for (const thread of this.threads) thread.worker ??= this.startWorker(thread);
  }

  /** Stops every thread; decisions waiting or in progress fail. */
  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) this.fail(job, 'the thinking threads are closed');
    await Promise.all(this.threads.map((thread) => this.stop(thread, 'the thinking threads are closed')));
  }

  private dispatch(): void {
    if (this.closed) return;
    for (const thread of this.threads) {
      if (this.queue.length === 0) return;
      if (!thread.worker) thread.worker = this.startWorker(thread);
      if (!thread.ready || thread.job) continue;
      const job = this.queue.shift()!;
      clearTimeout(job.timer);
      job.timer = setTimeout(() => void this.stop(thread, `no decision within ${this.timeoutMs} ms`).then(() => this.dispatch()), this.timeoutMs);
      thread.job = job;
      thread.worker.postMessage(job.request);
    }
  }

  private startWorker(thread: Thread): Worker {
    const worker = new Worker(this.script, { execArgv: loaderFlags(process.execArgv) });
    worker.on('message', (reply: ThinkingReply) => this.receive(thread, reply));
    worker.on('error', (error) => this.lose(thread, worker, `a thinking thread failed: ${error.message}`));
    worker.on('exit', (code) => this.lose(thread, worker, `a thinking thread exited (code ${code})`));
    // Rooms keep the server running; an idle pool must not keep a finished process alive (listeners ref, so this comes after them).
    worker.unref();
    return worker;
  }

  private receive(thread: Thread, reply: ThinkingReply): void {
    if ('ready' in reply) {
      thread.ready = true;
      return this.dispatch();
    }
    const job = thread.job;
    if (!job || job.request.id !== reply.id) return;
    thread.job = null;
    clearTimeout(job.timer);
    if ('error' in reply) job.reject(new ThinkingFailed(`the bot failed to decide: ${reply.error}`));
    else job.resolve(reply.intent);
    this.dispatch();
  }

  /** The thread is gone: its decision fails, and the next decision starts a new thread. */
  private lose(thread: Thread, worker: Worker, why: string): void {
    if (thread.worker !== worker) return;
    const job = thread.job;
    Object.assign(thread, { worker: null, ready: false, job: null });
    if (job) this.fail(job, why);
    this.dispatch();
  }

  /** No thread was ready for the decision in time. */
  private dequeue(job: Job): void {
    const index = this.queue.indexOf(job);
    if (index >= 0) this.queue.splice(index, 1);
    this.fail(job, `no thinking thread was free within ${this.timeoutMs} ms`);
  }

  private async stop(thread: Thread, why: string): Promise<void> {
    const { worker, job } = thread;
    Object.assign(thread, { worker: null, ready: false, job: null });
    if (job) this.fail(job, why);
    await worker?.terminate();
  }

  private fail(job: Job, why: string): void {
    clearTimeout(job.timer);
    job.reject(new ThinkingFailed(why));
  }
}
