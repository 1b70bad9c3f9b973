import { clientsWithin, FILES_BESIDES_CLIENTS, openFileLimit } from '../src/open-files.js';

/**
 * The most matches (two clients each) whose sockets fit under `limit` in every process: each
 * client is a socket, an open file, in a generator process and in a server process, and past the
 * limit a server cannot accept. The servers share the clients out (when started here: an external
 * server's limit is its own), and so do the generator's processes.
 */
export function mostMatchesThatFit(limit: number, generatorProcesses: number, serverProcesses: number | null): number {
  const clientsPerProcess = clientsWithin(limit);
  const byGenerator = Math.floor((clientsPerProcess * generatorProcesses) / 2);
  return serverProcesses === null ? byGenerator : Math.min(byGenerator, Math.floor((clientsPerProcess * serverProcesses) / 2));
}

/** Why `matches` cannot run here, or null when they fit (or the limit is unknown). */
export function openFilesProblem(matches: number, generatorProcesses: number, serverProcesses: number | null, limit = openFileLimit()): string | null {
  if (limit === null) return null;
  const fit = mostMatchesThatFit(limit, generatorProcesses, serverProcesses);
  if (matches <= fit) return null;
  const servers = serverProcesses === null ? '' : ` and ${serverProcesses} server process(es)`;
  return (
    `${matches} matches are ${matches * 2} client sockets over ${generatorProcesses} generator process(es)${servers}, but a process here may hold ` +
    `${limit} open files (ulimit -n; each client is one socket, and about ${FILES_BESIDES_CLIENTS} go to other files): at most ` +
    `${fit} matches fit. Raise the limit (ulimit -n, LimitNOFILE), or add --workers and server processes`
  );
}
