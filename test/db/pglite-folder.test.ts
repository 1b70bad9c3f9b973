import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../src/db/orm.js';
import { createDataFolder } from '../../src/db/pglite-folder.js';

describe('the embedded database in a data folder', function () {
  this.timeout(120_000);
  let folder: string;

  before(() => (folder = mkdtempSync(join(tmpdir(), 'tavla-data-folder-'))));
  after(() => rmSync(folder, { recursive: true, force: true }));

  it('is created in a new folder by its own process, then opened, and keeps its rows for the next start', async () => {
    const dataDir = join(folder, 'new', 'data');
    await createDataFolder(dataDir);
    assert.ok(existsSync(join(dataDir, 'PG_VERSION')), 'the folder holds a database before the server opens it');
    const first = await openDatabase({ kind: 'pglite', dataDir });
    try {
      await first.em().execute(`insert into servers (id, started_at, seen_at) values ('11111111-1111-4111-8111-111111111111', now(), now())`);
    } finally {
      await first.close();
    }
    const second = await openDatabase({ kind: 'pglite', dataDir });
    try {
      assert.deepEqual(await second.em().execute('select id from servers'), [{ id: '11111111-1111-4111-8111-111111111111' }]);
    } finally {
      await second.close();
    }
  });

  it('that holds a database is left as it is', async () => {
    const dataDir = join(folder, 'existing');
    await createDataFolder(dataDir);
    const control = join(dataDir, 'global', 'pg_control');
    const before = statSync(control).mtimeMs;
    await createDataFolder(dataDir);
    assert.equal(statSync(control).mtimeMs, before);
  });

  it('that cannot be made stops the start with a message naming it', async () => {
    const file = join(folder, 'a-file');
    writeFileSync(file, 'not a folder');
    const dataDir = join(file, 'data');
    await assert.rejects(openDatabase({ kind: 'pglite', dataDir }), (error: Error) => error.message.startsWith(`cannot open the embedded database in ${dataDir}: `));
  });
});
