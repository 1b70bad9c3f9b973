import { writeFileSync } from 'node:fs';

/** Linux keeps at most 15 bytes of a thread's name. */
const MAX_NAME_BYTES = 15;

/**
 * Names the calling thread as `top -H`, `ps -L`, `perf` and /proc/<pid>/task/<tid>/comm show it,
 * so that an operator sees which of the server's threads takes the CPU (every thread of a Node
 * process is called `node` otherwise). Linux only: elsewhere, or where it is refused, nothing
 * changes. Returns whether the thread was named.
 */
export function nameThisThread(name: string): boolean {
  return writeName('/proc/thread-self/comm', name);
}

/** Names another thread of this process, by its thread id, as nameThisThread does. */
export function nameThread(threadId: number, name: string): boolean {
  return writeName(`/proc/self/task/${threadId}/comm`, name);
}

function writeName(path: string, name: string): boolean {
  try {
    writeFileSync(path, name.slice(0, MAX_NAME_BYTES));
    return true;
  } catch {
    return false;
  }
}
