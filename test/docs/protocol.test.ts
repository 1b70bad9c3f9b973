import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { PROTOCOL_DOC, renderProtocol } from '../../src/cli/protocol.js';
import { repositoryPath } from '../../src/cli/client-schema.js';

/** Every distinct match of `pattern`'s first group in the files. */
function codesIn(files: string[], pattern: RegExp): string[] {
  return [...new Set(files.flatMap((file) => [...readFileSync(repositoryPath(file), 'utf8').matchAll(pattern)].map((match) => match[1]!)))];
}

describe('the protocol reference', () => {
  const text = renderProtocol();

  it('docs/PROTOCOL.md is what the code defines (npm run docs:protocol writes it)', () => {
    const committed = readFileSync(PROTOCOL_DOC, 'utf8');
    assert.ok(committed === text, 'docs/PROTOCOL.md is stale: run `npm run docs:protocol` and commit it');
  });

  it('describes every field of the state, the phases, and every message both ways', () => {
    for (const expected of ['`matchId`', '`lastDiceBlocked`', '`phase`', '| `resigning` |', '#### `move`', '#### `no-move`', '`"resignation"`', '### `clients`']) {
      assert.ok(text.includes(expected), `the reference mentions ${expected}`);
    }
  });

  it('explains every error code a room answers a refused message with', () => {
    const roomFiles = readdirSync(repositoryPath('src/rooms')).map((file) => `src/rooms/${file}`);
    const refusals = codesIn(roomFiles, /refuse\(\s*client,\s*[^,]+,\s*'([A-Z_]+)'/g);
    // What the engine refuses a player's action with. Settings it refuses when a match is created,
    // which reaches the client as `invalid match options`; notation and files no room asks it to parse.
    const engineRefusals = codesIn(['src/engine/match.ts', 'src/engine/turn.ts', 'src/engine/cube.ts'], /fail\('([A-Z_]+)'/g).filter((code) => code !== 'INVALID_SETTINGS');
    assert.ok(refusals.includes('INVALID_MESSAGE') && engineRefusals.includes('ILLEGAL_MOVE'), 'the codes were found in the source');
    for (const code of [...refusals, ...engineRefusals]) assert.ok(text.includes(`| \`${code}\` |`), `the error code table explains ${code}`);
  });

  it('explains every code a join is refused with', () => {
    const codes = codesIn(['src/rooms/match-options.ts', 'src/auth/tokens.ts'], /'((?:INVITE_REQUIRED|SPECTATORS_FULL|TOKEN_[A-Z]+))'/g);
    assert.ok(codes.length >= 6, 'the codes were found in the source');
    for (const code of codes) assert.ok(text.includes(`\`${code}\``), `the reference explains ${code}`);
  });

  it('explains every code the REST API refuses a request with', () => {
    const httpFiles = readdirSync(repositoryPath('src/http')).map((file) => `src/http/${file}`);
    const refusals = codesIn(httpFiles, /(?:HttpFailure\(\d+, |code: |\? |: )'([A-Z][A-Z_]+)'/g);
    const accountAndTokenCodes = codesIn(['src/auth/accounts.ts', 'src/auth/tokens.ts'], /readonly code: ([^,;]+)/g).flatMap((union) => union.match(/[A-Z][A-Z_]+/g) ?? []);
    assert.ok(refusals.includes('VALIDATION_ERROR') && accountAndTokenCodes.includes('TOKEN_REUSED'), 'the codes were found in the source');
    const table = text.slice(text.indexOf('### HTTP'), text.indexOf('## Close codes'));
    for (const code of [...refusals, ...accountAndTokenCodes]) assert.ok(table.includes(`\`${code}\``), `the HTTP error table explains ${code}`);
  });

  it('shows the example programs verbatim, each run by a test of test/examples', () => {
    const examples = [...text.matchAll(/^\/\/ (examples\/[\w-]+\.ts)$/gm)].map((match) => match[1]!);
    assert.deepEqual(examples.sort(), ['examples/bot-client.ts', 'examples/readme-client.ts', 'examples/rejoin-client.ts']);
    for (const example of examples) {
      assert.ok(text.includes(readFileSync(repositoryPath(example), 'utf8').trimEnd()), `${example} is shown whole`);
      const test = `test/examples/${basename(example, '.ts')}.test.ts`;
      assert.ok(readFileSync(repositoryPath(test), 'utf8').includes(`'../../${example.replace(/\.ts$/, '.js')}'`), `${test} runs ${example}`);
    }
  });
});
