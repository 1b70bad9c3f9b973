/**
 * The journal's figures, read from each spawned server's /metrics (Prometheus text, behind
 * ADMIN_PASSWORD) once an interval, so a latency swing can be matched to the database: events
 * waiting to be written, events written, the time the journal's writes took, and the server's
 * own time from a message to its patch (which tells the server's share of the clients' latency).
 */

import { setTimeout as delay } from 'node:timers/promises';
import { worseOf } from './stats.js';

/** How long a scrape of a server's metrics may take; a later answer counts as none. */
const SCRAPE_TIMEOUT_MS = 2_000;

/** One scrape of one process: the counters are totals since it started. */
export interface JournalScrape {
  backlog: number;
  eventsWritten: number;
  writeSecondsSum: number;
  writeCount: number;
  /** tavla_action_handling_seconds: cumulative counts by bucket bound (seconds). */
  actionBuckets: Bucket[];
  /** tavla_journal_write_seconds: cumulative counts by bucket bound (seconds). */
  writeBuckets: Bucket[];
}

interface Bucket {
  readonly le: number;
  readonly count: number;
}

/** The journal over an interval, all processes together. */
export interface JournalFigures {
  backlog: number;
  eventsPerSecond: number;
  /** Mean time of one batch write, ms; NaN without writes. */
  writeMeanMs: number;
  /** The bucket bound (ms) under which 99% of the interval's batch writes finished; NaN without writes. */
  writeP99Ms: number;
  /** The bucket bound (ms) under which 99% of the interval's messages had their patch sent on the server; NaN without any. */
  serverActionP99Ms: number;
}

export function scrapeJournal(url: string, adminPassword: string): Promise<JournalScrape | null> {
  // fetch's own timeout once left the reading of a slow answer's body pending for good, and the run with it.
  return Promise.race([readJournal(url, adminPassword), delay(SCRAPE_TIMEOUT_MS + 500, null, { ref: false })]);
}

async function readJournal(url: string, adminPassword: string): Promise<JournalScrape | null> {
  try {
    const response = await fetch(url, {
      headers: { authorization: `Basic ${Buffer.from(`loadtest:${adminPassword}`).toString('base64')}` },
      signal: AbortSignal.timeout(SCRAPE_TIMEOUT_MS),
    });
    if (!response.ok) return null;
    const text = await response.text();
    return {
      backlog: metric(text, 'tavla_journal_backlog'),
      eventsWritten: metric(text, 'tavla_journal_events_written_total'),
      writeSecondsSum: metric(text, 'tavla_journal_write_seconds_sum'),
      writeCount: metric(text, 'tavla_journal_write_seconds_count'),
      actionBuckets: buckets(text, 'tavla_action_handling_seconds'),
      writeBuckets: buckets(text, 'tavla_journal_write_seconds'),
    };
  } catch {
    return null;
  }
}

/** The value of an unlabelled sample `name value` in Prometheus text; 0 when absent. */
function metric(text: string, name: string): number {
  const match = new RegExp(`^${name} (\\S+)$`, 'm').exec(text);
  return match ? Number(match[1]) : 0;
}

/** A histogram's cumulative buckets in Prometheus text, by bound. */
function buckets(text: string, name: string): Bucket[] {
  const found: Bucket[] = [];
  for (const match of text.matchAll(new RegExp(`^${name}_bucket\\{le="([^"]+)"\\} (\\S+)$`, 'gm'))) {
    found.push({ le: match[1] === '+Inf' ? Infinity : Number(match[1]), count: Number(match[2]) });
  }
  return found;
}

/** The smallest bucket bound holding the share `q` of what was observed between two scrapes' buckets. */
export function bucketQuantile(before: readonly Bucket[], after: readonly Bucket[], q: number): number {
  const total = (after.at(-1)?.count ?? 0) - (before.at(-1)?.count ?? 0);
  if (total <= 0) return NaN;
  for (let i = 0; i < after.length; i++) {
    if (after[i]!.count - (before[i]?.count ?? 0) >= q * total) return after[i]!.le;
  }
  return Infinity;
}

/** Tracks each process's last scrape and turns the next into an interval's figures. */
export class JournalWatch {
  private last: (JournalScrape | null)[] = [];
  private lastAt = performance.now();

  /** The figures since the previous call; null when no process answered. */
  next(scrapes: (JournalScrape | null)[]): JournalFigures | null {
    const now = performance.now();
    const seconds = Math.max(0.001, (now - this.lastAt) / 1000);
    let backlog = 0;
    let events = 0;
    let writeSeconds = 0;
    let writes = 0;
    let answered = false;
    let serverActionP99 = NaN;
    let writeP99 = NaN;
    scrapes.forEach((scrape, index) => {
      const before = this.last[index];
      if (!scrape) return;
      answered = true;
      backlog += scrape.backlog;
      if (!before) return;
      events += scrape.eventsWritten - before.eventsWritten;
      writeSeconds += scrape.writeSecondsSum - before.writeSecondsSum;
      writes += scrape.writeCount - before.writeCount;
      // The slowest process's figures: bounds, not merges of the processes' histograms.
      serverActionP99 = worseOf(serverActionP99, bucketQuantile(before.actionBuckets, scrape.actionBuckets, 0.99));
      writeP99 = worseOf(writeP99, bucketQuantile(before.writeBuckets, scrape.writeBuckets, 0.99));
    });
    this.last = scrapes;
    this.lastAt = now;
    if (!answered) return null;
    return {
      backlog,
      eventsPerSecond: events / seconds,
      writeMeanMs: writes > 0 ? (writeSeconds / writes) * 1000 : NaN,
      serverActionP99Ms: serverActionP99 * 1000,
      writeP99Ms: writeP99 * 1000,
    };
  }
}
