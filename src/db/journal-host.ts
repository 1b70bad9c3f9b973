import type { MessagePort } from 'node:worker_threads';
import type { JournalEntry } from './journal.js';
import { JournalStore } from './journal-store.js';
import type { Transactions } from './transactions.js';
import { readEntries, type JournalWire } from './journal-wire.js';
import { WriteLanes } from './write-queue.js';

/** How the journal's writer batches and retries, chosen by the server's thread. */
export interface JournalSettings {
  /** Writers at once, a database connection each. */
  readonly lanes: number;
  /** The server process whose matches these are (see live-servers.ts). */
  readonly serverId?: string | null;
  readonly maxBatch?: number;
  readonly writeSpacingMs?: number;
  readonly retryMinMs?: number;
  readonly retryMaxMs?: number;
}

/** From the journal's thread back: what was written, and how writing goes. */
export type JournalReport =
  | { readonly type: 'ready' }
  /**
   * A batch of `count` entries of lane `lane` is written (lanes as WriteLanes numbers them, by
   * `laneOf`), but for the entries of the `refused` matches, which another process plays now.
   */
  | { readonly type: 'written'; readonly lane: number; readonly count: number; readonly ms: number; readonly refused: readonly string[] }
  | { readonly type: 'failed'; readonly message: string; readonly failuresInARow: number }
  | { readonly type: 'recovered'; readonly failures: number };

/**
 * The journal's writer, on a thread of its own next to the database's client: entries arrive
 * through `port` and are written in lanes of ordered, batching queues (see WriteLanes); every
 * write, failure and recovery is reported back through the same port.
 */
export function serveJournal(port: MessagePort, database: Transactions, settings: JournalSettings): void {
  const store = new JournalStore(database, settings.serverId ?? null);
  const report = (message: JournalReport) => port.postMessage(message);
  const writerOf = (lane: number) => ({
    async write(batch: readonly JournalEntry[]) {
      const started = performance.now();
      const refused = await store.write(batch);
      report({ type: 'written', lane, count: batch.length, ms: performance.now() - started, refused });
    },
  });
  let lanesMade = 0;
  const lanes = new WriteLanes<JournalEntry>(settings.lanes, () => writerOf(lanesMade++), (entry) => entry.matchId, {
    ...settings,
    onError: (error, failuresInARow) => report({ type: 'failed', message: error instanceof Error ? error.message : String(error), failuresInARow }),
    onRecovered: (failures) => report({ type: 'recovered', failures }),
  });
  port.on('message', (wire: JournalWire) => {
    for (const entry of readEntries(wire)) lanes.append(entry);
  });
  report({ type: 'ready' });
}
