/**
 * The embedded database's own thread: PGlite runs PostgreSQL in WebAssembly, synchronously, so
 * on the server's thread every query would hold up every room. PGliteThread talks to this; the
 * match journal's writer runs here too, next to the database.
 */
import { setFlagsFromString } from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite, type QueryOptions } from '@electric-sql/pglite';
import { createPostgreSqlTypeParsers } from '@mikro-orm/sql';
import array from 'postgres-array';
import { serveJournal } from './journal-host.js';
import type { PGliteRequest, PGliteResponse, SerializedError } from './pglite-thread.js';
import type { Transactions } from './transactions.js';
import { releaseStartupMemory } from '../startup-memory.js';
import { nameThisThread } from '../thread-name.js';

const port = parentPort!;
const { dataDir } = workerData as { dataDir: string };
nameThisThread('tavla-database');

/**
 * Whose transaction is open: the server thread's (from its `begin` to its `commit` or
 * `rollback`) or the journal's. One at a time; single statements wait inside PGlite for an
 * open transaction of the journal, and on the server's side for one of its own.
 */
class TransactionTurn {
  private last: Promise<void> = Promise.resolve();

  /** Resolves when the turn is yours, with the function that ends it. */
  take(): Promise<() => void> {
    let end!: () => void;
    const ended = new Promise<void>((resolve) => (end = resolve));
    const yours = this.last.then(() => end);
    this.last = this.last.then(() => ended);
    return yours;
  }
}

/**
 * PostgreSQL's buffer cache lives in the WebAssembly memory, which never shrinks: the default
 * (160 MB) is most of an idle server's memory, while the operating system caches the data files
 * as well. 16 MB keeps an idle embedded server small.
 */
const EMBEDDED_SETTINGS = ['shared_buffers = 16MB'];

/**
 * PostgreSQL's code runs as V8's baseline WebAssembly code (Liftoff) only: its optimising compiler
 * would otherwise recompile the functions a server uses most while it starts, and the memory
 * those compilations take (some 40 MB) stays with the process. PGlite is the only WebAssembly of
 * any weight in the process, which is why this process-wide flag is set here.
 */
setFlagsFromString('--liftoff-only');

const turn = new TransactionTurn();
let endServerTransaction: (() => void) | null = null;

try {
  // The same type parsers MikroORM gives a PGlite it creates itself.
  const database = await PGlite.create({ dataDir, parsers: createPostgreSqlTypeParsers((text) => array.parse(text)), postgresqlconf: EMBEDDED_SETTINGS });
  port.on('message', (request: PGliteRequest) => void answer(database, request));
  releaseStartupMemory();
  port.postMessage({ id: 0, result: 'ready' } satisfies PGliteResponse);
} catch (error) {
  port.postMessage({ id: 0, error: serializeError(error) } satisfies PGliteResponse);
}

async function answer(database: PGlite, request: PGliteRequest): Promise<void> {
  if (request.op === 'journal') return serveJournal(request.port, journalTransactions(database), request.settings);
  try {
    port.postMessage({ id: request.id, result: await run(database, request) } satisfies PGliteResponse);
  } catch (error) {
    port.postMessage({ id: request.id, error: serializeError(error) } satisfies PGliteResponse);
  }
}

async function run(database: PGlite, request: Exclude<PGliteRequest, { op: 'journal' }>): Promise<unknown> {
  switch (request.op) {
    case 'query':
      return database.query(request.sql, request.params, request.options as QueryOptions);
    case 'exec':
      return database.exec(request.sql, request.options as QueryOptions);
    case 'begin': {
      const end = await turn.take();
      try {
        const result = await database.query('begin');
        endServerTransaction = end;
        return result;
      } catch (error) {
        end();
        throw error;
      }
    }
    case 'commit':
    case 'rollback':
      try {
        return await database.query(request.op);
      } finally {
        endServerTransaction?.();
        endServerTransaction = null;
      }
    case 'close':
      return database.close();
  }
}

/** The journal's transactions, PGlite's own, in turn with the server thread's. */
function journalTransactions(database: PGlite): Transactions {
  return {
    async transaction(work) {
      const end = await turn.take();
      try {
        await database.transaction((tx) => work({ query: async <Row>(text: string, parameters: readonly unknown[]) => (await tx.query<Row>(text, [...parameters])).rows }));
      } finally {
        end();
      }
    },
    async statement<Row>(text: string, parameters: readonly unknown[]) {
      const end = await turn.take();
      try {
        return (await database.query<Row>(text, [...parameters])).rows;
      } finally {
        end();
      }
    },
  };
}

/** Errors cross threads as plain fields: MikroORM reads PostgreSQL's `code` to name the failure. */
function serializeError(error: unknown): SerializedError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error), fields: {} };
  const fields: Record<string, string | number> = {};
  for (const [key, value] of Object.entries(error)) if (typeof value === 'string' || typeof value === 'number') fields[key] = value;
  return { name: error.name, message: error.message, fields };
}
