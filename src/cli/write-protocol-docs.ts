/** Writes docs/PROTOCOL.md from the code: `npm run docs:protocol`. A test fails while the committed file is stale. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { PROTOCOL_DOC, renderProtocol } from './protocol.js';

mkdirSync(dirname(PROTOCOL_DOC), { recursive: true });
writeFileSync(PROTOCOL_DOC, renderProtocol());
console.log(`wrote ${PROTOCOL_DOC}`);
