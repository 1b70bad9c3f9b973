import { Worker } from 'node:worker_threads';
import { loaderFlags } from '../db/pglite-thread.js';

/**
 * What a pool's thread posts: first `{ ready: true }` once it has loaded what its jobs need,
 * then one answer for each job it is given (`{ id, request }`), in any order.
 */
export type JobReply<Result> = { readonly ready: true } | { readonly id: number; readonly result: Result } | { readonly id: number; readonly error: string };

/** A job as the pool posts it to a thread. */
export interface PostedJob<Request> {
  readonly id: number;
  readonly request: Request;
}

export interface WorkerPoolOptions {
  readonly size: number;
  /** How long a job may wait for a ready thread, and then how long it may take. */
  readonly timeoutMs: number;
  /** The thread's script, which answers jobs (see serveJobs). */
  readonly script: URL;
  /** Names the threads in failures: "thinking", "analysis". */
  readonly purpose: string;
  /** The error a job fails with: `thrown` when its thread answered that the job threw, otherwise it got no answer. */
  readonly failure: (why: string, thrown: boolean) => Error;
}

interface Job<Request, Result> {
  readonly posted: PostedJob<Request>;
  readonly resolve: (result: Result) => void;
  readonly reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

interface Thread<Request, Result> {
  /** Started when there is work; null after it failed or was stopped. */
  worker: Worker | null;
  /** It has loaded what its jobs need (its first message says so): only a ready thread is given jobs. */
  ready: boolean;
  job: Job<Request, Result> | null;
}

/**
 * Worker threads that take jobs off an event loop that must not wait for them. A job waits at
 * most `timeoutMs` for a ready thread, then has `timeoutMs` to be done; one given up on has its
 * thread replaced (work in progress cannot be interrupted). Threads start when there is work,
 * one job at a time each.
 */
export class WorkerPool<Request, Result> {
  readonly size: number;
  readonly timeoutMs: number;
  private readonly threads: Thread<Request, Result>[];
  private readonly queue: Job<Request, Result>[] = [];
  private nextId = 1;
  private closed = false;

  constructor(private readonly options: WorkerPoolOptions) {
    this.size = options.size;
    this.timeoutMs = options.timeoutMs;
    this.threads = Array.from({ length: this.size }, () => ({ worker: null, ready: false, job: null }));
  }

  /** The job's result; rejects with the pool's failure when no thread answers in time. `urgent` jobs go before those waiting. */
  run(request: Request, { urgent = false }: { readonly urgent?: boolean } = {}): Promise<Result> {
    if (this.closed) return Promise.reject(this.options.failure(`the ${this.options.purpose} threads are closed`, false));
    return new Promise((resolve, reject) => {
      const job: Job<Request, Result> = { posted: { id: this.nextId++, request }, resolve, reject, timer: undefined! };
      job.timer = setTimeout(() => this.dequeue(job), this.timeoutMs);
      if (urgent) this.queue.unshift(job);
      else this.queue.push(job);
      this.dispatch();
    });
  }

  /** Threads running now, loading or ready. */
  get started(): number {
    return this.threads.filter((thread) => thread.worker !== null).length;
  }

  /** Jobs waiting for a thread or being done. */
  get busy(): number {
    return this.queue.length + this.threads.filter((thread) => thread.job !== null).length;
  }

  /** Starts the threads not running yet, so that the first job does not wait for them to load. */
  warm(): void {
    if (this.closed) return;
    for (const thread of this.threads) thread.worker ??= this.startWorker(thread);
  }

  /** Stops every thread; jobs waiting or in progress fail. */
  async close(): Promise<void> {
    this.closed = true;
    const why = `the ${this.options.purpose} threads are closed`;
    for (const job of this.queue.splice(0)) this.fail(job, why);
    await Promise.all(this.threads.map((thread) => this.stop(thread, why)));
  }

  private dispatch(): void {
    if (this.closed) return;
    for (const thread of this.threads) {
      if (this.queue.length === 0) return;
      if (!thread.worker) thread.worker = this.startWorker(thread);
      if (!thread.ready || thread.job) continue;
      const job = this.queue.shift()!;
      clearTimeout(job.timer);
      job.timer = setTimeout(() => void this.stop(thread, `no answer within ${this.timeoutMs} ms`).then(() => this.dispatch()), this.timeoutMs);
      thread.job = job;
      thread.worker.postMessage(job.posted);
    }
  }

  private startWorker(thread: Thread<Request, Result>): Worker {
    const worker = new Worker(this.options.script, { execArgv: loaderFlags(process.execArgv) });
    const { purpose } = this.options;
    worker.on('message', (reply: JobReply<Result>) => this.receive(thread, reply));
    worker.on('error', (error) => this.lose(thread, worker, `a ${purpose} thread failed: ${error.message}`));
    worker.on('exit', (code) => this.lose(thread, worker, `a ${purpose} thread exited (code ${code})`));
    // Rooms keep the server running; an idle pool must not keep a finished process alive (listeners ref, so this comes after them).
    worker.unref();
    return worker;
  }

  private receive(thread: Thread<Request, Result>, reply: JobReply<Result>): void {
    if ('ready' in reply) {
      thread.ready = true;
      return this.dispatch();
    }
    const job = thread.job;
    if (!job || job.posted.id !== reply.id) return;
    thread.job = null;
    clearTimeout(job.timer);
    if ('error' in reply) job.reject(this.options.failure(reply.error, true));
    else job.resolve(reply.result);
    this.dispatch();
  }

  /** The thread is gone: its job fails, and the next job starts a new thread. */
  private lose(thread: Thread<Request, Result>, worker: Worker, why: string): void {
    if (thread.worker !== worker) return;
    const job = thread.job;
    Object.assign(thread, { worker: null, ready: false, job: null });
    if (job) this.fail(job, why);
    this.dispatch();
  }

  /** No thread was ready for the job in time. */
  private dequeue(job: Job<Request, Result>): void {
    const index = this.queue.indexOf(job);
    if (index >= 0) this.queue.splice(index, 1);
    this.fail(job, `no ${this.options.purpose} thread was free within ${this.timeoutMs} ms`);
  }

  private async stop(thread: Thread<Request, Result>, why: string): Promise<void> {
    const { worker, job } = thread;
    Object.assign(thread, { worker: null, ready: false, job: null });
    if (job) this.fail(job, why);
    await worker?.terminate();
  }

  private fail(job: Job<Request, Result>, why: string): void {
    clearTimeout(job.timer);
    job.reject(this.options.failure(why, false));
  }
}
