/**
 * The journal's figures, read from each spawned server's /metrics (Prometheus text, behind
 * ADMIN_PASSWORD) once an interval, so a latency swing can be matched to the database: events
 * waiting to be written, events written, and the time the journal's writes took.
 */

/** One scrape of one process: the counters are totals since it started. */
export interface JournalScrape {
  backlog: number;
  eventsWritten: number;
  writeSecondsSum: number;
  writeCount: number;
}

/** The journal over an interval, all processes together. */
export interface JournalFigures {
  backlog: number;
  eventsPerSecond: number;
  /** Mean time of one batch write, ms; NaN without writes. */
  writeMeanMs: number;
}

export async function scrapeJournal(url: string, adminPassword: string): Promise<JournalScrape | null> {
  try {
    const response = await fetch(url, {
      headers: { authorization: `Basic ${Buffer.from(`loadtest:${adminPassword}`).toString('base64')}` },
      signal: AbortSignal.timeout(2_000),
    });
    if (!response.ok) return null;
    const text = await response.text();
    return {
      backlog: metric(text, 'tavla_journal_backlog'),
      eventsWritten: metric(text, 'tavla_journal_events_written_total'),
      writeSecondsSum: metric(text, 'tavla_journal_write_seconds_sum'),
      writeCount: metric(text, 'tavla_journal_write_seconds_count'),
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
    scrapes.forEach((scrape, index) => {
      const before = this.last[index];
      if (!scrape) return;
      answered = true;
      backlog += scrape.backlog;
      if (!before) return;
      events += scrape.eventsWritten - before.eventsWritten;
      writeSeconds += scrape.writeSecondsSum - before.writeSecondsSum;
      writes += scrape.writeCount - before.writeCount;
    });
    this.last = scrapes;
    this.lastAt = now;
    if (!answered) return null;
    return { backlog, eventsPerSecond: events / seconds, writeMeanMs: writes > 0 ? (writeSeconds / writes) * 1000 : NaN };
  }
}
