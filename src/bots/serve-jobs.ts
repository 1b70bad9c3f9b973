import { parentPort } from 'node:worker_threads';
import type { JobReply, PostedJob } from './worker-pool.js';

/**
 * The thread side of a WorkerPool: answers every job with `answer`, which runs synchronously;
 * a job that throws is answered with its error's message. Call it once whatever the jobs need
 * is loaded: it tells the pool the thread is ready.
 */
export function serveJobs<Request, Result>(answer: (request: Request) => Result): void {
  const port = parentPort!;
  port.on('message', ({ id, request }: PostedJob<Request>) => port.postMessage(replyTo(id, () => answer(request))));
  port.postMessage({ ready: true } satisfies JobReply<Result>);
}

function replyTo<Result>(id: number, answer: () => Result): JobReply<Result> {
  try {
    return { id, result: answer() };
  } catch (error) {
    return { id, error: error instanceof Error ? error.message : String(error) };
  }
}
