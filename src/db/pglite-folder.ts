import { execFile } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { loaderFlags } from './pglite-thread.js';

/**
 * Makes sure the data folder holds a database: a new one is created by a short-lived process of
 * its own (pglite-initdb.ts), so that the server's embedded database only ever opens an existing
 * one. Creating it in the server's process would leave over 100 MB of WebAssembly memory behind.
 */
export async function createDataFolder(dataDir: string): Promise<void> {
  mkdirSync(dataDir, { recursive: true });
  if (existsSync(join(dataDir, 'PG_VERSION'))) return;
  const script = fileURLToPath(new URL('./pglite-initdb.ts', import.meta.url));
  try {
    await promisify(execFile)(process.execPath, [...loaderFlags(process.execArgv), script, dataDir]);
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim();
    throw new Error(`creating the database failed: ${stderr || (error instanceof Error ? error.message : String(error))}`, { cause: error });
  }
}
