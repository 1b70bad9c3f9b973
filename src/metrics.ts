import { matchMaker } from '@colyseus/core';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * This process's figures for Prometheus: Node's own (event-loop delay, heap, CPU, garbage
 * collection), the rooms and clients, matches in progress and games finished, refused messages
 * by code, the time from a message to its patch, and the match journal's backlog and writes.
 * Each process serves its own at /metrics; Prometheus scrapes every one.
 */
export class Metrics {
  readonly registry = new Registry();

  readonly gamesFinished = new Counter({ name: 'tavla_games_finished_total', help: 'Games finished in this process.', registers: [this.registry] });

  readonly messagesRefused = new Counter({
    name: 'tavla_messages_refused_total',
    help: 'Messages from clients refused with an error reply, by its code.',
    labelNames: ['code'] as const,
    registers: [this.registry],
  });

  readonly actionSeconds = new Histogram({
    name: 'tavla_action_handling_seconds',
    help: "Time from a player's message arriving to its patch being sent, the wait for the journal's write included.",
    buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  readonly journalWriteSeconds = new Histogram({
    name: 'tavla_journal_write_seconds',
    help: "Time the match journal's thread took to write a batch of events.",
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  readonly journalEventsWritten = new Counter({ name: 'tavla_journal_events_written_total', help: 'Match events written to the database.', registers: [this.registry] });

  constructor(journalBacklog: () => number) {
    collectDefaultMetrics({ register: this.registry });
    this.gauge('tavla_journal_backlog', 'Match events waiting to be written to the database.', journalBacklog);
    this.gauge('tavla_rooms', 'Rooms in this process.', () => matchMaker.stats.local.roomCount);
    this.gauge('tavla_clients', 'Clients connected to this process.', () => matchMaker.stats.local.ccu);
    new Gauge({
      name: 'tavla_matches',
      help: "This process's match rooms, by status: waiting for an opponent, playing, over.",
      labelNames: ['status'] as const,
      registers: [this.registry],
      async collect() {
        const rooms = await matchMaker.query({ name: 'match', processId: matchMaker.processId });
        this.reset();
        for (const status of ['waiting', 'playing', 'over']) this.set({ status }, rooms.filter((room) => room.metadata?.status === status).length);
      },
    });
  }

  /** A gauge read when Prometheus scrapes. */
  private gauge(name: string, help: string, read: () => number): void {
    new Gauge({
      name,
      help,
      registers: [this.registry],
      collect() {
        this.set(read());
      },
    });
  }

  /** Counts a batch the journal reports written. */
  journalWrote(count: number, ms: number): void {
    this.journalEventsWritten.inc(count);
    this.journalWriteSeconds.observe(ms / 1000);
  }
}
