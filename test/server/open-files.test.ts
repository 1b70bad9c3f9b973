import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tapLog } from '../../src/log.js';
import { clientsWithin, openFileLimit, warnOfFewFiles } from '../../src/open-files.js';

function limitsFile(softLimit: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'tavla-limits-')), 'limits');
  writeFileSync(
    file,
    'Limit                     Soft Limit           Hard Limit           Units     \n' +
      'Max processes             unlimited            unlimited            processes \n' +
      `Max open files            ${softLimit}                20000                files     \n`,
  );
  return file;
}

describe('the open-file limit of a server process', () => {
  afterEach(() => tapLog(null));

  it('is read as the soft limit, unlimited, or nothing from a file that is not there', () => {
    assert.equal(openFileLimit(limitsFile('1024')), 1_024);
    assert.equal(openFileLimit(limitsFile('unlimited')), Number.POSITIVE_INFINITY);
    assert.equal(openFileLimit('/nonexistent/limits'), null);
    assert.equal(clientsWithin(20_000), 19_800);
  });

  it('is warned of at start when it, not the CPU, would cap the clients, and only then', () => {
    const lines: { level: number; msg: string }[] = [];
    tapLog((line) => lines.push(JSON.parse(line) as { level: number; msg: string }));
    warnOfFewFiles(20_000);
    warnOfFewFiles(Number.POSITIVE_INFINITY);
    warnOfFewFiles(null);
    assert.equal(lines.length, 0);
    warnOfFewFiles(1_024);
    assert.equal(lines.length, 1);
    assert.equal(lines[0]!.level, 40);
    assert.match(lines[0]!.msg, /may hold 1024 open files \(ulimit -n\), so at most about 824 clients at once/);
  });
});
