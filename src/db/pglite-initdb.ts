/**
 * Creates the embedded database in the data folder named by the first argument, then exits. It
 * runs as a process of its own (see createDataFolder): PGlite creates a database (initdb) in
 * WebAssembly memory, which never shrinks, so the memory initdb takes leaves with this process.
 */
import { PGlite } from '@electric-sql/pglite';

try {
  const database = await PGlite.create({ dataDir: process.argv[2] });
  await database.close();
} catch (error) {
  process.stderr.write(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
}
