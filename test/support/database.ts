import { IN_MEMORY } from '../../src/db/orm.js';
import { startServices, type Services } from '../../src/services.js';

let shared: Promise<Services> | null = null;

/**
 * One embedded database in memory for the whole test process: PGlite takes about two seconds
 * to start, so test servers share it instead of each opening their own.
 */
export function sharedTestServices(): Promise<Services> {
  shared ??= startServices({ kind: 'pglite', dataDir: IN_MEMORY });
  return shared;
}
