import { MikroORM, type Options } from '@mikro-orm/core';
import { Migrator } from '@mikro-orm/migrations';
import { PgliteDriver } from '@mikro-orm/pglite';
import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import type { EntityManager } from '@mikro-orm/sql';
import { ENTITIES } from './entities.js';
import { createDataFolder } from './pglite-folder.js';
import { PGliteThread } from './pglite-thread.js';
import { MIGRATIONS } from './migrations/index.js';

/** Where the data lives: a PostgreSQL server by URL, or the embedded PGlite in a folder (or in memory). */
export type DatabaseTarget = { readonly kind: 'postgresql'; readonly url: string } | { readonly kind: 'pglite'; readonly dataDir: string };

export const IN_MEMORY = 'memory://';

export interface Database {
  readonly target: DatabaseTarget;
  readonly orm: MikroORM;
  /** The embedded database's thread, when the data is in PGlite. */
  readonly pglite: PGliteThread | null;
  /** A fresh unit of work; use one per request or batch. */
  em(): EntityManager;
  /** Whether close() has been called: what is asked of the database from then on fails. */
  readonly closing: boolean;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** Bring the schema up to date (the default); off only to test the migrations themselves. */
  readonly migrate?: boolean;
  /** Log SQL (development). */
  readonly debug?: boolean;
}

/** Connects, then applies any pending migration. */
export async function openDatabase(target: DatabaseTarget, options: OpenOptions = {}): Promise<Database> {
  const thread = target.kind === 'pglite' ? await startPGliteThread(target.dataDir) : null;
  const close = async (orm: MikroORM | null) => {
    await orm?.close(true);
    await thread?.close();
  };
  let orm: MikroORM | null = null;
  try {
    orm = await MikroORM.init(ormOptions(target, options.debug ?? false, thread));
    if (options.migrate ?? true) await orm.migrator.up();
  } catch (error) {
    await close(orm);
    throw error;
  }
  const opened = orm;
  let closing = false;
  return {
    target,
    orm: opened,
    pglite: thread,
    em: () => opened.em.fork() as EntityManager,
    get closing() {
      return closing;
    },
    close: () => {
      closing = true;
      return close(opened);
    },
  };
}

async function startPGliteThread(dataDir: string): Promise<PGliteThread> {
  let thread: PGliteThread | null = null;
  try {
    if (dataDir !== IN_MEMORY) await createDataFolder(dataDir);
    thread = new PGliteThread(dataDir);
    await thread.waitReady;
    return thread;
  } catch (error) {
    await thread?.close();
    throw new Error(`cannot open the embedded database in ${dataDir}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

const PG_POOL_OPTIONS = { connectionTimeoutMillis: 10_000, keepAlive: true };

function ormOptions(target: DatabaseTarget, debug: boolean, thread: PGliteThread | null): Partial<Options> {
  const common: Partial<Options> = {
    entities: ENTITIES,
    extensions: [Migrator],
    migrations: { migrationsList: MIGRATIONS, transactional: true, allOrNothing: true, snapshot: false, silent: true },
    debug,
    // Rooms and routes each fork their own EntityManager; the global one must never be used.
    allowGlobalContext: false,
    // Each flush here is one statement. MikroORM's own transactions rely on Kysely's controlled
    // transactions, which never hand a connection back to the pool when it dies mid-transaction
    // (the rollback fails before the release): every such failure would cost a pooled connection
    // for good. Multi-statement writes use Kysely's managed transaction instead (ormTransactions).
    implicitTransactions: false,
  };
  // A connection attempt that gets no answer (a server or network gone silent) fails after
  // 10 s instead of holding a place in the pool, and the pool's shutdown waiting on it, for good.
  if (target.kind === 'postgresql') return { ...common, driver: PostgreSqlDriver, clientUrl: target.url, driverOptions: PG_POOL_OPTIONS };
  if (!thread) throw new Error('the embedded database is reached through its own thread');
  return { ...common, driver: PgliteDriver, dbName: target.dataDir, driverOptions: { pglite: () => thread } };
}

/** A URL, when there is one; otherwise the data folder of the embedded database. */
export function databaseTarget(url: string | undefined, dataDir: string): DatabaseTarget {
  return url ? { kind: 'postgresql', url } : { kind: 'pglite', dataDir };
}

/** For logs: where the data is, without the password. */
export function describeTarget(target: DatabaseTarget): string {
  if (target.kind === 'pglite') return target.dataDir === IN_MEMORY ? 'embedded PGlite in memory' : `embedded PGlite in ${target.dataDir}`;
  const url = new URL(target.url);
  if (url.password) url.password = '***';
  return `PostgreSQL at ${url.toString()}`;
}
