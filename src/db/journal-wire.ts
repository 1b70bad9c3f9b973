import type { JournalEntry } from './journal.js';

/**
 * Journal entries as they cross from the rooms' thread to the journal's, in order. An event,
 * nearly every entry, travels as four plain values (match id, sequence, type, the event's JSON):
 * copying strings costs the rooms' thread about a third of cloning as many objects. The few
 * other entries travel as objects.
 */
export type JournalWire = (string | number | Exclude<JournalEntry, { kind: 'event' }>)[];

/** Adds an entry to a message being gathered. */
export function putEntry(wire: JournalWire, entry: JournalEntry): void {
  if (entry.kind === 'event') wire.push(entry.matchId, entry.seq, entry.type, entry.json);
  else wire.push(entry);
}

export function readEntries(wire: JournalWire): JournalEntry[] {
  const entries: JournalEntry[] = [];
  for (let index = 0; index < wire.length; ) {
    const item = wire[index]!;
    if (typeof item === 'object') {
      entries.push(item);
      index += 1;
    } else {
      entries.push({ kind: 'event', matchId: item as string, seq: wire[index + 1] as number, type: wire[index + 2] as string, json: wire[index + 3] as string });
      index += 4;
    }
  }
  return entries;
}
