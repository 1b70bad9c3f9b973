import { readFileSync } from 'node:fs';
import { log } from './log.js';

/** Files a server process holds besides its clients' sockets: database connections, logs, its own modules. */
export const FILES_BESIDES_CLIENTS = 200;

/** Below this many clients a process would run out of files before it runs out of CPU. */
const FEW_CLIENTS = 4_000;

/** The soft open-file limit of this process (`ulimit -n`), which the processes it starts inherit; null where the system does not tell. */
export function openFileLimit(limitsFile = '/proc/self/limits'): number | null {
  try {
    const line = readFileSync(limitsFile, 'utf8')
      .split('\n')
      .find((entry) => entry.startsWith('Max open files'));
    const soft = line?.slice('Max open files'.length).trim().split(/\s+/)[0];
    if (soft === 'unlimited') return Number.POSITIVE_INFINITY;
    const limit = Number(soft);
    return Number.isInteger(limit) && limit > 0 ? limit : null;
  } catch {
    return null;
  }
}

/** Clients a process can hold under `limit` open files: each is one socket. */
export function clientsWithin(limit: number): number {
  return Math.max(0, limit - FILES_BESIDES_CLIENTS);
}

/**
 * Warns when the open-file limit, not the CPU, would cap this process's clients: past it the
 * server cannot accept connections, and the system says so nowhere else (a common default is 1,024).
 */
export function warnOfFewFiles(limit = openFileLimit()): void {
  if (limit === null || clientsWithin(limit) >= FEW_CLIENTS) return;
  log.warn(
    { openFileLimit: limit },
    `this process may hold ${limit} open files (ulimit -n), so at most about ${clientsWithin(limit)} clients at once: each is one socket. Raise the limit (ulimit -n, LimitNOFILE=) to serve more`,
  );
}
