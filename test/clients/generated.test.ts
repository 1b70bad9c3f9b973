import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import ts from 'typescript';
import { CLIENT_CODE } from '../../src/cli/client-code.js';
import { repositoryPath } from '../../src/cli/client-schema.js';
import { MatchStateSchema, MoveState, PlayerState } from '../../src/schema/match-state.js';

/** Field index to field name, as the server encodes a schema class. */
function serverFields(klass: object): Map<number, string> {
  const metadata = (klass as Record<symbol, Record<string, { name: string }>>)[Symbol.metadata]!;
  return new Map(Object.keys(metadata).filter((key) => /^\d+$/.test(key)).map((key) => [Number(key), metadata[key]!.name]));
}

/** Field index to field name of one class in the generated C#. */
function csharpFields(code: string, className: string): Map<number, string> {
  const body = code.split(`public partial class ${className} :`)[1]?.split('public partial class')[0] ?? '';
  return new Map([...body.matchAll(/Type\((\d+), [^\n]*\n\s*public [^ ]+ (\w+) =/g)].map((match) => [Number(match[1]), match[2]!]));
}

describe('the generated client code', function () {
  this.timeout(60_000);

  for (const [path, render] of Object.entries(CLIENT_CODE)) {
    it(`${path} is what the code defines (npm run clients:generate writes it)`, () => {
      assert.ok(readFileSync(repositoryPath(path), 'utf8') === render(), `${path} is stale: run \`npm run clients:generate\` and commit it`);
    });
  }

  it('gives the Unity classes every field of the state at the index the server encodes it with', () => {
    const code = readFileSync(repositoryPath('clients/unity/Tavla.Schema.cs'), 'utf8');
    for (const klass of [MatchStateSchema, MoveState, PlayerState]) {
      assert.deepEqual(csharpFields(code, klass.name), serverFields(klass), `the C# class ${klass.name}`);
    }
    assert.doesNotMatch(code, /MoveState|PlayerState|MatchStateSchema/, 'nested classes are named by their schema names');
  });

  it('typechecks the TypeScript entry and its example as a client outside this repository compiles them', () => {
    const config = ts.getParsedCommandLineOfConfigFile(repositoryPath('clients/typescript/tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined })!;
    const program = ts.createProgram(config.fileNames, config.options);
    const problems = ts.getPreEmitDiagnostics(program).map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
    assert.deepEqual(problems, []);
    const checker = program.getTypeChecker();
    const exported = checker.getExportsOfModule(checker.getSymbolAtLocation(program.getSourceFile(repositoryPath('clients/typescript/index.ts'))!)!);
    const names = exported.map((symbol) => symbol.name);
    for (const name of ['Match', 'Move', 'Player', 'MatchRoom', 'MatchRoomType', 'ClientMessages', 'MatchRoomMessages', 'MatchRoomOptions', 'TokenPair']) assert.ok(names.includes(name), `the entry exports ${name}`);
  });
});
