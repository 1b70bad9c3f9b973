/**
 * The embedded database's own thread: PGlite runs PostgreSQL in WebAssembly, synchronously, so
 * on the server's thread every query would hold up every room. PGliteThread talks to this.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite, type QueryOptions } from '@electric-sql/pglite';
import { createPostgreSqlTypeParsers } from '@mikro-orm/sql';
import array from 'postgres-array';
import type { PGliteRequest, PGliteResponse, SerializedError } from './pglite-thread.js';

const port = parentPort!;
const { dataDir } = workerData as { dataDir: string };

try {
  // The same type parsers MikroORM gives a PGlite it creates itself.
  const database = await PGlite.create({ dataDir, parsers: createPostgreSqlTypeParsers((text) => array.parse(text)) });
  port.on('message', (request: PGliteRequest) => void answer(database, request));
  port.postMessage({ id: 0, result: 'ready' } satisfies PGliteResponse);
} catch (error) {
  port.postMessage({ id: 0, error: serializeError(error) } satisfies PGliteResponse);
}

async function answer(database: PGlite, request: PGliteRequest): Promise<void> {
  try {
    const result =
      request.op === 'query'
        ? await database.query(request.sql, request.params, request.options as QueryOptions)
        : request.op === 'exec'
          ? await database.exec(request.sql, request.options as QueryOptions)
          : await database.close();
    port.postMessage({ id: request.id, result } satisfies PGliteResponse);
  } catch (error) {
    port.postMessage({ id: request.id, error: serializeError(error) } satisfies PGliteResponse);
  }
}

/** Errors cross threads as plain fields: MikroORM reads PostgreSQL's `code` to name the failure. */
function serializeError(error: unknown): SerializedError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error), fields: {} };
  const fields: Record<string, string | number> = {};
  for (const [key, value] of Object.entries(error)) if (typeof value === 'string' || typeof value === 'number') fields[key] = value;
  return { name: error.name, message: error.message, fields };
}
