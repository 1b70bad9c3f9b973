import pg from 'pg';
import { IN_MEMORY, openDatabase, type Database, type DatabaseTarget, type OpenOptions } from '../../src/db/orm.js';
import { startServices, type Services } from '../../src/services.js';
import { requireService, type SkippableContext } from './services.js';

let shared: Promise<Services> | null = null;

/**
 * One embedded database in memory for the whole test process: PGlite takes about two seconds
 * to start, so test servers share it instead of each opening their own.
 */
export function sharedTestServices(): Promise<Services> {
  shared ??= startServices({ kind: 'pglite', dataDir: IN_MEMORY });
  return shared;
}

export const POSTGRES_ADMIN_URL = 'postgresql://postgres@127.0.0.1:5432/postgres';

/** Both databases the persistence suites run on. */
export const DATABASE_KINDS = ['pglite', 'postgresql'] as const;
export type DatabaseKind = (typeof DATABASE_KINDS)[number];

/** A database of its own for one suite, empty until migrated; PostgreSQL suites skip (or fail in CI) without a server. */
export class TestDatabase {
  private constructor(
    readonly target: DatabaseTarget,
    private readonly postgresName: string | null,
  ) {}

  static async create(context: SkippableContext, kind: DatabaseKind, label: string): Promise<TestDatabase> {
    if (kind === 'pglite') return new TestDatabase({ kind: 'pglite', dataDir: IN_MEMORY }, null);
    await requireService(context, 'postgres');
    const name = `tavla_test_${label}_${process.pid}`;
    await adminQuery(`drop database if exists ${name}`);
    await adminQuery(`create database ${name}`);
    return new TestDatabase({ kind: 'postgresql', url: POSTGRES_ADMIN_URL.replace(/\/postgres$/, `/${name}`) }, name);
  }

  open(options?: OpenOptions): Promise<Database> {
    return openDatabase(this.target, options);
  }

  /** Drops a PostgreSQL database (close every connection to it first). */
  async drop(): Promise<void> {
    if (this.postgresName) await adminQuery(`drop database if exists ${this.postgresName} with (force)`);
  }
}

async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
