import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

describe('bench:footprint', function () {
  this.timeout(120_000);

  it('starts the server as npm start does, in production, and prints its idle RSS', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'bench/footprint.ts', '--only', 'new-folder', '--runs', '1', '--idle', '1'], {
      encoding: 'utf8',
    });
    const rss = /embedded, new data folder\s+(\d+) MB/.exec(stdout);
    assert.ok(rss, stdout);
    assert.ok(Number(rss[1]) > 50, `an idle server holds more than 50 MB: ${rss[1]} MB`);
  });
});
