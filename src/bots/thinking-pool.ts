import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { loaderFlags } from '../db/pglite-thread.js';
import type { MatchState, Seat } from '../engine/index.js';
import type { SeatIntent } from './seat-player.js';
import type { BotName } from './thinking-players.js';
import type { ThinkingReply, ThinkingRequest } from './thinking-worker.js';

/** How long one decision may take, waiting for a free thread included, before the room decides without it. */
export const DEFAULT_THINKING_TIMEOUT_MS = 5_000;

export interface ThinkingPoolOptions {
  /** Threads; by default one fewer than the machine's cores, and at least one. */
  readonly size?: number;
  readonly timeoutMs?: number;
  /** The worker's script: thinking-worker.ts unless a test brings one that misbehaves. */
  readonly script?: URL;
}

/** Why a decision has no answer: it took too long, its thread failed, or the pool closed. */
export class ThinkingFailed extends Error {
  override readonly name = 'ThinkingFailed';
}

interface Job {
  readonly request: ThinkingRequest;
  readonly resolve: (intent: SeatIntent | null) => void;
  readonly reject: (error: Error) => void;
  readonly timer: NodeJS.Timeout;
}

interface Thread {
  /** Started when there is work for it; null after it failed or was stopped. */
  worker: Worker | null;
  job: Job | null;
}

/**
 * Worker threads shared by every room, where bots decide, so that no room's event loop waits
 * for one. Decisions queue for a free thread; one that is not answered in time is given up, and
 * a thread still busy with it is replaced (a computation in progress cannot be interrupted).
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
    this.threads = Array.from({ length: this.size }, () => ({ worker: null, job: null }));
  }

  /** The bot's next action in the match; rejects with ThinkingFailed when no thread answers in time. */
  think(match: MatchState, seat: Seat, bot: BotName): Promise<SeatIntent | null> {
    if (this.closed) return Promise.reject(new ThinkingFailed('the thinking threads are closed'));
    return new Promise((resolve, reject) => {
      const request: ThinkingRequest = { id: this.nextId++, match, seat, bot };
      const timer = setTimeout(() => this.giveUp(job), this.timeoutMs);
      const job: Job = { request, resolve, reject, timer };
      this.queue.push(job);
      this.dispatch();
    });
  }

  /** Stops every thread; decisions waiting or in progress fail. */
  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) this.fail(job, 'the thinking threads are closed');
    await Promise.all(this.threads.map((thread) => this.stop(thread, 'the thinking threads are closed')));
  }

  private dispatch(): void {
    for (const thread of this.threads) {
      if (thread.job || this.queue.length === 0) continue;
      const job = this.queue.shift()!;
      thread.job = job;
      (thread.worker ??= this.startWorker(thread)).postMessage(job.request);
    }
  }

  private startWorker(thread: Thread): Worker {
    const worker = new Worker(this.script, { execArgv: loaderFlags(process.execArgv) });
    worker.on('message', (reply: ThinkingReply) => this.answer(thread, reply));
    worker.on('error', (error) => this.lose(thread, worker, `a thinking thread failed: ${error.message}`));
    worker.on('exit', (code) => this.lose(thread, worker, `a thinking thread exited (code ${code})`));
    // Rooms keep the server running; an idle pool must not keep a finished process alive (listeners ref, so this comes after them).
    worker.unref();
    return worker;
  }

  private answer(thread: Thread, reply: ThinkingReply): void {
    const job = thread.job;
    if (!job || job.request.id !== reply.id) return;
    thread.job = null;
    clearTimeout(job.timer);
    if ('error' in reply) job.reject(new ThinkingFailed(`the bot failed to decide: ${reply.error}`));
    else job.resolve(reply.intent);
    this.dispatch();
  }

  /** The thread is gone: its decision fails, and the next one starts a new thread. */
  private lose(thread: Thread, worker: Worker, why: string): void {
    if (thread.worker !== worker) return;
    thread.worker = null;
    const job = thread.job;
    thread.job = null;
    if (job) this.fail(job, why);
    if (!this.closed) this.dispatch();
  }

  private giveUp(job: Job): void {
    const queued = this.queue.indexOf(job);
    if (queued >= 0) this.queue.splice(queued, 1);
    const thread = this.threads.find((candidate) => candidate.job === job);
    const why = `no decision within ${this.timeoutMs} ms`;
    if (thread) void this.stop(thread, why).then(() => this.dispatch());
    else this.fail(job, why);
  }

  private async stop(thread: Thread, why: string): Promise<void> {
    const { worker, job } = thread;
    thread.worker = null;
    thread.job = null;
    if (job) this.fail(job, why);
    await worker?.terminate();
  }

  private fail(job: Job, why: string): void {
    clearTimeout(job.timer);
    job.reject(new ThinkingFailed(why));
  }
}
