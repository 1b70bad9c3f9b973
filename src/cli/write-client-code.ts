/**
 * Writes the generated client code: `npm run clients:generate` (all of it), `npm run schema:csharp`
 * (clients/unity) or `npm run schema:typescript` (clients/typescript). A test fails while a committed
 * file is stale.
 */
import { writeFileSync } from 'node:fs';
import { CLIENT_CODE } from './client-code.js';
import { repositoryPath } from './client-schema.js';

const folder = process.argv[2] ?? 'clients/';
for (const [path, render] of Object.entries(CLIENT_CODE).filter(([path]) => path.startsWith(folder))) {
  writeFileSync(repositoryPath(path), render());
  console.log(`wrote ${path}`);
}
