import assert from 'node:assert/strict';
import type { MatchLogEntry } from '../../src/engine/index.js';
import { storedEventJson } from '../../src/rooms/match-recorder.js';

/** What the log stores, written the plain way: the entry's fields but its type under `data`. */
function plainJson(seq: number, entry: MatchLogEntry, at: Date): string {
  const { type, ...data } = entry;
  return JSON.stringify({ seq, type, data, at });
}

describe('a logged event as stored', () => {
  const at = new Date('2026-12-07T08:00:00.123Z');
  const entries = [
    { type: 'move', seat: 0, from: 13, to: 8 },
    { type: 'roll', seat: 1, dice: [6, 6], rollIndex: 41 },
    { type: 'opening-roll', dice: [3, 1], rollIndex: 0 },
    { type: 'confirm', seat: 1 },
    { type: 'timeout', seat: 0 },
    { type: 'game-end', game: 2, outcome: { winner: 1, kind: 'gammon', points: 4, by: 'play' }, score: [3, 4], positionId: '4HPwATDgc/ABMA' },
    { type: 'match-end', winner: 1, score: [3, 7], forfeitedBy: undefined, fairDice: { serverSeed: 'ab"c\\d', rolls: 12 } },
    { seat: 1, type: 'resign', kind: 'single' },
    { type: 'undo' },
  ] as unknown as MatchLogEntry[];

  for (const entry of entries) {
    it(`is the entry's JSON with its type cut out of data: ${JSON.stringify(entry)}`, () => {
      const text = storedEventJson(7, entry, at);
      assert.equal(text, plainJson(7, entry, at));
      const stored = JSON.parse(text);
      assert.equal(stored.type, entry.type);
      assert.equal('type' in stored.data, false);
    });
  }
});
