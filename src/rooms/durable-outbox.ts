import { Fifo } from '../db/fifo.js';

/** What a room needs of the journal to wait for it: see JournalThread.afterWritten. */
export interface WrittenSignal {
  afterWritten(matchId: string, callback: () => void): void;
}

interface Outgoing {
  written: boolean;
  readonly send: () => void;
}

/**
 * A room's patches and messages, held until the match events they show are written: no client
 * ever sees a state the database could lose. Sends leave in the order they were made, also across
 * matches of the same room (a rematch writes to another lane of the journal). Without a journal,
 * or with nothing waiting to be written, a send leaves at once.
 */
export class DurableOutbox {
  private readonly queue = new Fifo<Outgoing>();

  constructor(
    private readonly journal: WrittenSignal | null,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Entries not yet sent. */
  get waiting(): number {
    return this.queue.length;
  }

  send(matchId: string, send: () => void): void {
    if (!this.journal) return this.sendNow(send);
    const outgoing: Outgoing = { written: false, send };
    this.queue.push(outgoing);
    this.journal.afterWritten(matchId, () => {
      outgoing.written = true;
      this.release();
    });
  }

  private sendNow(send: () => void): void {
    try {
      send();
    } catch (error) {
      this.onError(error);
    }
  }

  private release(): void {
    for (let head = this.queue.peek(); head?.written; head = this.queue.peek()) {
      this.queue.drop(1);
      this.sendNow(head.send);
    }
  }
}
