import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';

/** The weakest CPU priority (nice 19): the thread gets the time nothing else at a normal priority wants. */
export const BACKGROUND_NICE = 19;

/**
 * Gives the calling thread the weakest CPU priority, so that work nobody waits for (analysing
 * finished games) never delays the rooms' thread on a busy machine. Linux lets one thread have
 * its own nice value, set by its thread id (found through /proc/thread-self); elsewhere, or where
 * it is refused, the thread keeps its priority. Returns whether the priority was lowered.
 */
export function runInBackground(): boolean {
  try {
    const threadId = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (!Number.isInteger(threadId)) return false;
    setPriority(threadId, BACKGROUND_NICE);
    return true;
  } catch {
    return false;
  }
}
