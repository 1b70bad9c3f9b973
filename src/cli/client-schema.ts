/**
 * Client-side schema classes generated from src/schema/match-state.ts with @colyseus/schema's
 * schema-codegen: C# for Unity, TypeScript for other JavaScript clients.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as stateClasses from '../schema/match-state.js';

export const repositoryPath = (relative: string) => fileURLToPath(new URL(`../../${relative}`, import.meta.url));

const STATE_SOURCE = 'src/schema/match-state.ts';
const CODEGEN = repositoryPath('node_modules/@colyseus/schema/bin/schema-codegen');

export type SchemaLanguage = 'csharp' | 'ts';

const LANGUAGE_FLAGS: Record<SchemaLanguage, string[]> = {
  csharp: ['--csharp', '--namespace', 'Tavla.Schema'],
  ts: ['--ts'],
};

/** The schema classes in one language, as the text of one file. */
export function renderSchemaClasses(language: SchemaLanguage): string {
  const output = mkdtempSync(join(tmpdir(), 'tavla-schema-'));
  try {
    const run = spawnSync(process.execPath, [CODEGEN, STATE_SOURCE, '--output', output, '--bundle', ...LANGUAGE_FLAGS[language]], {
      cwd: repositoryPath(''),
      encoding: 'utf8',
    });
    const files = readdirSync(output);
    if (run.status !== 0 || files.length !== 1) throw new Error(`schema-codegen --${language} failed: ${run.stderr}${run.stdout}`);
    return withSchemaNames(readFileSync(join(output, files[0]!), 'utf8'));
  } finally {
    rmSync(output, { recursive: true, force: true });
  }
}

/**
 * schema-codegen names each class by its schema name (`schema({...}, 'Move')`) but refers to a
 * nested one by the variable holding it (`MoveState`); the classes are renamed to one name here.
 */
function withSchemaNames(code: string): string {
  return Object.entries(stateClasses)
    .filter(([variable, value]) => typeof value === 'function' && value.name !== variable)
    .reduce((text, [variable, value]) => text.replaceAll(new RegExp(`\\b${variable}\\b`, 'g'), (value as { name: string }).name), code);
}
