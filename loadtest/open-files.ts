import { readFileSync } from 'node:fs';

/**
 * Each client is a socket, and a socket is an open file: a process holds at most its open-file
 * limit (`ulimit -n`) of them, less what it needs besides (database connections, logs, modules).
 * Past it the server cannot accept (EMFILE) and clients fail to join.
 */
const FILES_BESIDES_CLIENTS = 200;

/** The soft open-file limit of this process, which the processes it starts inherit; null where the system does not tell. */
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

/**
 * The most matches (two clients each) whose sockets fit under `limit` in every process: the
 * servers share them out (when started here: the limit of an external server is its own), and so
 * do the generator's processes.
 */
export function mostMatchesThatFit(limit: number, generatorProcesses: number, serverProcesses: number | null): number {
  const clientsPerProcess = Math.max(0, limit - FILES_BESIDES_CLIENTS);
  const byGenerator = Math.floor((clientsPerProcess * generatorProcesses) / 2);
  return serverProcesses === null ? byGenerator : Math.min(byGenerator, Math.floor((clientsPerProcess * serverProcesses) / 2));
}

/** Why `matches` cannot run here, or null when they fit (or the limit is unknown). */
export function openFilesProblem(matches: number, generatorProcesses: number, serverProcesses: number | null, limit = openFileLimit()): string | null {
  if (limit === null || matches <= mostMatchesThatFit(limit, generatorProcesses, serverProcesses)) return null;
  const servers = serverProcesses === null ? '' : ` and ${serverProcesses} server process(es)`;
  return (
    `${matches} matches are ${matches * 2} client sockets over ${generatorProcesses} generator process(es)${servers}, but a process here may hold ` +
    `${limit} open files (ulimit -n; each client is one socket, and about ${FILES_BESIDES_CLIENTS} go to other files): at most ` +
    `${mostMatchesThatFit(limit, generatorProcesses, serverProcesses)} matches fit. Raise the limit (ulimit -n, LimitNOFILE), or add --workers and server processes`
  );
}
