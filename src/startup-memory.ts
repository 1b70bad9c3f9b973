import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

type CollectGarbage = (options: { type: 'major'; execution: 'sync'; flavor: 'last-resort' }) => void;

/**
 * Collects the garbage of starting up and hands the memory it no longer needs back to the system,
 * on the calling thread. Starting up (compiling modules, opening the database, migrating) fills
 * the young generation, which `--max-semi-space-size=64` lets grow to 128 MB, and V8 keeps it
 * that large until its memory reducer notices, some 25 s of idling later. Takes a few tens of
 * milliseconds, once.
 */
export function releaseStartupMemory(): void {
  // V8's own collector with its memory-reducing flavour, reached the way Node documents for
  // `--expose-gc` set at run time, and hidden again at once.
  setFlagsFromString('--expose-gc');
  const collectGarbage = runInNewContext('gc') as CollectGarbage;
  setFlagsFromString('--no-expose-gc');
  collectGarbage({ type: 'major', execution: 'sync', flavor: 'last-resort' });
}
