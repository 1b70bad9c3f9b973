import assert from 'node:assert/strict';
import { MessageChannel } from 'node:worker_threads';
import type { JournalEntry } from '../../src/db/journal.js';
import { putEntry, readEntries, type JournalWire } from '../../src/db/journal-wire.js';
import { RandomRecordedMatch } from '../support/recorded-matches.js';
import { seededRandom } from '../support/random-games.js';

describe('journal entries crossing to the journal thread', () => {
  it('arrive on the other side of a message port equal and in order, whatever their kinds', async () => {
    const played = new RandomRecordedMatch({ append: () => undefined }, seededRandom(3), { matchLength: 3 }).playOut();
    const kinds = new Set(played.entries.map((entry) => entry.kind));
    assert.deepEqual([...kinds].sort(), ['event', 'game-finished', 'match-finished', 'match-started']);
    const wire: JournalWire = [];
    for (const entry of played.entries) putEntry(wire, entry);
    const { port1, port2 } = new MessageChannel();
    const received = new Promise<JournalWire>((resolve) => port2.once('message', resolve));
    port1.postMessage(wire);
    const entries: JournalEntry[] = readEntries(await received);
    port1.close();
    assert.deepEqual(entries, played.entries);
  });

  it('carries event text with quotes, backslashes, tabs and line breaks unchanged', () => {
    const json = JSON.stringify({ seq: 1, type: 'chat', data: { text: 'a\t"b"\\c\nd' }, at: new Date(0) });
    const entry: JournalEntry = { kind: 'event', matchId: 'm', seq: 1, type: 'chat', json };
    const wire: JournalWire = [];
    putEntry(wire, entry);
    assert.deepEqual(readEntries(structuredClone(wire)), [entry]);
  });
});
