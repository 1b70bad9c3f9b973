import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';
import { nameThread } from './thread-name.js';

/** The weakest CPU priority (nice 19): the thread gets the time nothing else at a normal priority wants. */
export const BACKGROUND_NICE = 19;

/** How many nice steps V8's helper threads run below the main thread: below the rooms', the journal's and the database's threads, above analysis. */
export const HELPER_NICE_STEPS = 10;

/** How the helper threads are named once their priority is lowered, as top -H and perf show them. */
export const HELPER_THREAD_NAME = 'v8-helper';

/** Linux's name for a thread nobody named: every thread of a Node process starts as `node`. */
const UNNAMED = 'node';

/**
 * Gives the calling thread the weakest CPU priority, so that work nobody waits for (analysing
 * finished games) never delays the rooms' thread on a busy machine. Linux lets one thread have
 * its own nice value, set by its thread id (found through /proc/thread-self); elsewhere, or where
 * it is refused, the thread keeps its priority. Returns whether the priority was lowered.
 */
export function runInBackground(): boolean {
  const threadId = ownThreadId();
  if (threadId === null) return false;
  return lowerPriority(threadId, BACKGROUND_NICE);
}

/**
 * Lowers the priority of V8's helper threads (concurrent marking and sweeping, parallel
 * scavenges, compilation): the threads the process has when this is called, other than the
 * calling one, that nobody named (with V8's, Node's own idle ones: the signal watcher, a module
 * loader's thread). Call it first thing on the main thread, before any worker
 * thread starts. On a machine whose cores are all busy, the rooms' thread then runs first and the
 * collector's helpers take the time it leaves: a move no longer waits for a core behind them
 * (V8 finishes on the main thread what they did not). With a core to spare nothing changes.
 * Returns how many threads it lowered (0 where /proc or setpriority is not available).
 */
export function yieldHelperThreads(): number {
  const own = ownThreadId();
  if (own === null) return 0;
  const nice = Math.min(BACKGROUND_NICE, getPriority(own) + HELPER_NICE_STEPS);
  let lowered = 0;
  for (const threadId of threadIds()) {
    if (threadId === own || threadName(threadId) !== UNNAMED) continue;
    if (!lowerPriority(threadId, nice)) continue;
    nameThread(threadId, HELPER_THREAD_NAME);
    lowered += 1;
  }
  return lowered;
}

function ownThreadId(): number | null {
  try {
    const threadId = Number(readlinkSync('/proc/thread-self').split('/').pop());
    return Number.isInteger(threadId) ? threadId : null;
  } catch {
    return null;
  }
}

function threadIds(): number[] {
  try {
    return readdirSync('/proc/self/task').map(Number);
  } catch {
    return [];
  }
}

function threadName(threadId: number): string | null {
  try {
    return readFileSync(`/proc/self/task/${threadId}/comm`, 'utf8').trim();
  } catch {
    return null;
  }
}

function lowerPriority(threadId: number, nice: number): boolean {
  try {
    setPriority(threadId, nice);
    return true;
  } catch {
    return false;
  }
}
