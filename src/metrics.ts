import { readdir } from 'node:fs/promises';
import { matchMaker } from '@colyseus/core';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * Node's default metrics left out: they list every handle or resource of the process at each
 * scrape, O(clients) work on the rooms' thread. With prom-client's `process_open_fds` (which
 * registerOpenFiles replaces) they held the event loop about 15 ms a scrape at 4,000 clients,
 * five times that at 20,000, delaying every move that arrived meanwhile. `tavla_clients` counts
 * the sockets.
 */
export const LISTING_METRICS: ReadonlySet<string> = new Set([
  'nodejs_active_handles',
  'nodejs_active_handles_total',
  'nodejs_active_resources',
  'nodejs_active_resources_total',
]);

export type MatchStatus = 'waiting' | 'playing' | 'over';

/**
 * This process's figures for Prometheus: Node's own (event-loop delay, heap, CPU, garbage
 * collection), the rooms and clients, matches in progress and games finished, refused messages
 * by code, the time from a message to its patch, and the match journal's backlog and writes.
 * Each process serves its own at /metrics; Prometheus scrapes every one. A scrape reads only this
 * process's own tallies: nothing in it grows with the clients or asks Redis.
 */
export class Metrics {
  readonly registry = new Registry();

  /** Each match room of this process and what the lobby shows of it. */
  private readonly matchStatuses = new Map<object, MatchStatus>();

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
    registerDefaultMetrics(this.registry);
    this.gauge('tavla_journal_backlog', 'Match events waiting to be written to the database.', journalBacklog);
    this.gauge('tavla_rooms', 'Rooms in this process.', () => matchMaker.stats.local.roomCount);
    this.gauge('tavla_clients', 'Clients connected to this process.', () => matchMaker.stats.local.ccu);
    const statuses = this.matchStatuses;
    new Gauge({
      name: 'tavla_matches',
      help: "This process's match rooms, by status: waiting for an opponent, playing, over.",
      labelNames: ['status'] as const,
      registers: [this.registry],
      collect() {
        const counts: Record<MatchStatus, number> = { waiting: 0, playing: 0, over: 0 };
        for (const status of statuses.values()) counts[status]++;
        for (const [status, count] of Object.entries(counts)) this.set({ status }, count);
      },
    });
  }

  /** A match room shows this status (until it is disposed: `matchRoomGone`). */
  matchRoomIs(room: object, status: MatchStatus): void {
    this.matchStatuses.set(room, status);
  }

  matchRoomGone(room: object): void {
    this.matchStatuses.delete(room);
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

/** prom-client's defaults, but LISTING_METRICS and those the registry already has its own of. */
function registerDefaultMetrics(registry: Registry): void {
  if (process.platform === 'linux') registerOpenFiles(registry);
  const defaults = new Registry();
  collectDefaultMetrics({ register: defaults });
  for (const { name } of defaults.getMetricsAsArray()) {
    if (!LISTING_METRICS.has(name) && !registry.getSingleMetric(name)) registry.registerMetric(defaults.getSingleMetric(name)!);
  }
}

/** prom-client's own `process_open_fds`, its listing of /proc/self/fd read on libuv's threads instead of the rooms' thread. */
function registerOpenFiles(registry: Registry): void {
  new Gauge({
    name: 'process_open_fds',
    help: 'Number of open file descriptors.',
    registers: [registry],
    async collect() {
      // The listing's own descriptor is among those listed.
      this.set((await readdir('/proc/self/fd')).length - 1);
    },
  });
}
