import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { repositoryPath } from '../../src/cli/client-schema.js';
import { TEST_PORT, useTestServer } from '../support/match-clients.js';

const run = promisify(execFile);

describe('a TypeScript client built on clients/typescript', function () {
  this.timeout(60_000);
  useTestServer();

  it('decodes the live state with the generated Match class (clients/typescript/example.ts)', async () => {
    // Compiled as a client's own project would compile it: with the package's tsconfig (decorators on).
    const tsx = repositoryPath('node_modules/.bin/tsx');
    const { stdout } = await run(tsx, ['--tsconfig', 'clients/typescript/tsconfig.json', 'clients/typescript/example.ts', `http://127.0.0.1:${TEST_PORT}`], { cwd: repositoryPath('') });
    const printed = JSON.parse(stdout.trim().split('\n').at(-1)!) as {
      name: string;
      seat: number;
      decodedBy: string;
      state: { matchLength: number; phase: string; checkers0: number[]; checkers1: number[]; players: { name: string; seat: number; colour: string }[]; cubeValue: number };
    };
    assert.equal(printed.decodedBy, 'Match');
    assert.equal(printed.seat, 0);
    const { state } = printed;
    assert.equal(state.matchLength, 3);
    assert.equal(state.phase, 'waiting');
    assert.equal(state.cubeValue, 1);
    assert.deepEqual(state.players.map((player) => [player.seat, player.colour]), [[0, 'white'], [1, 'black']]);
    assert.equal(state.players[0]!.name, printed.name, 'the creator holds seat 0 under its account name');
    for (const checkers of [state.checkers0, state.checkers1]) {
      assert.equal(checkers.length, 26);
      assert.equal(checkers.reduce((sum, count) => sum + count, 0), 15);
    }
  });
});
