import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { PROTOCOL_DOC, renderProtocol } from '../../src/cli/protocol.js';

describe('the protocol reference', () => {
  it('docs/protocol.md is what the code defines (npm run docs:protocol writes it)', () => {
    const committed = readFileSync(PROTOCOL_DOC, 'utf8');
    assert.ok(committed === renderProtocol(), 'docs/protocol.md is stale: run `npm run docs:protocol` and commit it');
  });

  it('describes every field of the state, the phases, and every message both ways', () => {
    const text = renderProtocol();
    for (const expected of ['`matchId`', '`lastDiceBlocked`', '`phase`', '| `resigning` |', '#### `move`', '#### `no-move`', '`"resignation"`', '### `clients`']) {
      assert.ok(text.includes(expected), `the reference mentions ${expected}`);
    }
  });
});
