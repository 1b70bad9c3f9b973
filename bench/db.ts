/**
 * How fast the match journal reaches the database, and how long writing it holds up the rooms'
 * event loop, on PostgreSQL and on the embedded PGlite (in memory and in a data folder).
 *
 * 1. Finished games per second: matches are played in memory first with random legal plays and
 *    recorded by MatchRecorder exactly as a live room records them (match-started, an event per
 *    action, game-finished, match-finished; rated, between accounts, so ratings move too, except in
 *    the short games, resigned before the minimum of play a rated match needs); then
 *    every entry is appended at once to the journal (JournalThread, as the server starts it: the
 *    writer on a thread of its own) and timed until flushed(), for each maxBatch. The rows are
 *    counted afterwards to check that everything arrived.
 * 2. Concurrent matches: that many matches append their next entry in turn, one tick after
 *    another, through the journal, as live rooms would; events/s, the event loop's delay,
 *    how long append() takes, and (in a second pass) every synchronous span of the rooms' thread,
 *    the write path's and the rooms' own, with and without the time the kernel preempted it.
 *
 * PostgreSQL: a database --database (tavla_bench) at --url is dropped, created, and dropped at the
 * end; skipped when nothing answers. PGlite: in memory, and in a data folder in a temp directory.
 * Defaults keep the run near a minute and a half on a 2-CPU machine: 1,500 games on PostgreSQL,
 * 300 on PGlite (which writes some 130,000 events/s), 6 s per concurrent pass.
 *
 * Run: npm run bench:db [-- --games 1500 --pglite-games 300 --matches 1000 --seconds 6 --length 1
 *        --batches 500,2000,5000,10000 --max-batch 5000 --only postgresql,pglite-memory,pglite-folder
 *        --url postgresql://postgres@127.0.0.1:5432]
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance, type IntervalHistogram } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import type { JournalEntry } from '../src/db/journal.js';
import { DEFAULT_JOURNAL_LANES, JournalThread } from '../src/db/journal-thread.js';
import { describeTarget, IN_MEMORY, openDatabase, type Database, type DatabaseTarget } from '../src/db/orm.js';
import { DEFAULT_MAX_BATCH } from '../src/db/write-queue.js';
import { minimumTurnsEach, RATED_MATCHES_PER_PAIR_PER_DAY } from '../src/ratings/rated.js';
import { seededRandom } from '../test/support/random-games.js';
import { generateMatches, type Account, type RecordedMatch } from './db-games.js';
import { SpanMeter } from './db-spans.js';
import { dropPostgres, freshPostgres, postgresAnswers } from './postgres.js';

const { values } = parseArgs({
  options: {
    games: { type: 'string', default: '1500' },
    'pglite-games': { type: 'string', default: '300' },
    batches: { type: 'string', default: '500,2000,5000,10000' },
    'max-batch': { type: 'string', default: String(DEFAULT_MAX_BATCH) },
    matches: { type: 'string', default: '1000' },
    seconds: { type: 'string', default: '6' },
    length: { type: 'string', default: '1' },
    pool: { type: 'string', default: '600' },
    accounts: { type: 'string', default: '1000' },
    url: { type: 'string', default: 'postgresql://postgres@127.0.0.1:5432' },
    database: { type: 'string', default: 'tavla_bench' },
    only: { type: 'string', default: 'postgresql,pglite-memory,pglite-folder' },
    seed: { type: 'string', default: '1' },
    /** Writers at once; the server's choice (4 on PostgreSQL, 1 on PGlite) by default. */
    lanes: { type: 'string' },
  },
});
const GAMES = Number(values.games);
const PGLITE_GAMES = Number(values['pglite-games']);
const BATCHES = values.batches.split(',').filter(Boolean).map(Number);
const MAX_BATCH = Number(values['max-batch']);
const MATCHES = Number(values.matches);
const SECONDS = Number(values.seconds);
const LENGTH = Number(values.length);
const ONLY = new Set(values.only.split(','));
const LANES = values.lanes === undefined ? null : Number(values.lanes);

// ---------------------------------------------------------------------------------------------
// Games, as rooms record them

const random = seededRandom(Number(values.seed));
const accounts: Account[] = Array.from({ length: Number(values.accounts) }, (_, i) => ({ id: randomUUID(), name: `bench${i}` }));

/** A match from the pool under a fresh id (the entries' data objects are shared: nothing mutates them). */
function cloneMatch(template: RecordedMatch): RecordedMatch {
  const matchId = randomUUID();
  return { matchId, games: template.games, entries: template.entries.map((entry) => ({ ...entry, matchId })) };
}

/** Whole matches, cycling through the pool with fresh ids, until they hold at least `games` games. */
function matchesWithGames(pool: readonly RecordedMatch[], games: number): RecordedMatch[] {
  const out: RecordedMatch[] = [];
  for (let total = 0, i = 0; total < games; i++) {
    const match = cloneMatch(pool[i % pool.length]!);
    out.push(match);
    total += match.games;
  }
  return out;
}

interface Workload {
  readonly matches: number;
  readonly games: number;
  readonly events: number;
  /**
   * Matches rated: long enough (the short games are resigned before the minimum of play), and
   * within the limit of rated matches a pair plays in a day (the longer runs reuse the generated
   * matches, and with them their pairs of players).
   */
  readonly rated: number;
  readonly entries: JournalEntry[];
}

function workload(matches: readonly RecordedMatch[]): Workload {
  const entries = matches.flatMap((match) => match.entries);
  return {
    matches: matches.length,
    games: matches.reduce((sum, match) => sum + match.games, 0),
    events: entries.filter((entry) => entry.kind === 'event').length,
    rated: ratedWithinPairLimit(matches.filter(playedLongEnough)),
    entries,
  };
}

function ratedWithinPairLimit(matches: readonly RecordedMatch[]): number {
  const perPair = new Map<string, number>();
  for (const match of matches) {
    const started = match.entries.find((entry) => entry.kind === 'match-started');
    const pair = started?.kind === 'match-started' ? started.players.map((player) => player.userId).sort().join(' ') : match.matchId;
    perPair.set(pair, (perPair.get(pair) ?? 0) + 1);
  }
  return [...perPair.values()].reduce((sum, count) => sum + Math.min(count, RATED_MATCHES_PER_PAIR_PER_DAY), 0);
}

function playedLongEnough(match: RecordedMatch): boolean {
  const finished = match.entries.find((entry) => entry.kind === 'match-finished');
  return finished?.kind === 'match-finished' && Math.min(...finished.turns) >= minimumTurnsEach(LENGTH);
}

// ---------------------------------------------------------------------------------------------
// Measuring the writer

/**
 * The journal as the server starts it (its writer on a thread of its own), with every batch it
 * writes counted and timed. A new thread compiles its code as it goes, as a server does in its
 * first seconds: it writes some warm-up matches first, then the tables are emptied again.
 */
async function warmQueue(bench: Bench, pool: readonly RecordedMatch[], maxBatch: number) {
  const errors: string[] = [];
  const stats = { batches: 0, writeMs: [] as number[], onWritten: null as (() => void) | null };
  const queue = JournalThread.start(bench.database, {
    lanes: LANES ?? undefined,
    maxBatch,
    onError: (message) => errors.push(message),
    onWritten: (_count, ms) => {
      stats.batches += 1;
      stats.writeMs.push(ms);
      stats.onWritten?.();
    },
  });
  await queue.ready;
  for (const entry of workload(matchesWithGames(pool, WARM_UP_GAMES)).entries) queue.append(entry);
  await queue.flushed();
  await reset(bench);
  stats.batches = 0;
  stats.writeMs.length = 0;
  return { writer: stats, queue, errors };
}

/**
 * Events after which a short game is resigned (at the next turn, so it holds about 60 in all):
 * the yardstick of "finished games written per second, each with about 60 events".
 */
const SHORT_GAME_EVENTS = 52;

/** The whole pool of generated matches, once: enough for the compiler to settle on every path. */
const WARM_UP_GAMES = 600;

// ---------------------------------------------------------------------------------------------
// Databases

interface Bench {
  readonly label: string;
  readonly database: Database;
  readonly games: number;
  cleanup(): Promise<void>;
}

async function openBench(kind: string): Promise<Bench | null> {
  if (kind === 'postgresql') {
    const version = await postgresAnswers(values.url);
    if (!version) return null;
    await freshPostgres(values.url, values.database);
    const target: DatabaseTarget = { kind: 'postgresql', url: `${values.url}/${values.database}` };
    const database = await openDatabase(target);
    const label = `PostgreSQL ${version} (${describeTarget(target)})`;
    return {
      label, database, games: GAMES,
      cleanup: async () => {
        await database.close();
        await dropPostgres(values.url, values.database);
      },
    };
  }
  if (kind === 'pglite-memory') {
    const target: DatabaseTarget = { kind: 'pglite', dataDir: IN_MEMORY };
    const database = await openDatabase(target);
    return { label: describeTarget(target), database, games: PGLITE_GAMES, cleanup: () => database.close() };
  }
  if (kind === 'pglite-folder') {
    const dir = mkdtempSync(join(tmpdir(), 'tavla-bench-'));
    const target: DatabaseTarget = { kind: 'pglite', dataDir: join(dir, 'data') };
    const database = await openDatabase(target);
    return {
      label: describeTarget(target), database, games: PGLITE_GAMES,
      cleanup: async () => {
        await database.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  throw new Error(`unknown database ${kind}: use postgresql, pglite-memory or pglite-folder`);
}

async function seedAccounts(database: Database): Promise<void> {
  const now = new Date();
  const rows = accounts.map((account) => ({ id: account.id, name: account.name, name_key: account.name }));
  await database.em().execute(
    `insert into users (id, email, password_hash, name, name_key, guest, rating, experience, created_at, last_login_at)
     select id, null, null, name, name_key, false, 1500, 0, ?, ?
     from jsonb_to_recordset(?::jsonb) as row(id uuid, name text, name_key text)`,
    [now, now, JSON.stringify(rows)],
  );
}

/** Empties the journal's tables and resets ratings, so every run writes the same rows into the same state. */
async function reset(bench: Bench): Promise<void> {
  const em = bench.database.em();
  await em.execute('truncate matches, match_event_runs, games, rating_changes');
  await em.execute('update users set rating = 1500, experience = 0');
  if (bench.database.target.kind === 'postgresql') await em.execute('checkpoint');
  else await em.execute('vacuum');
}

interface Counts {
  events: number;
  games: number;
  finished: number;
  ratingChanges: number;
}

async function counts(database: Database): Promise<Counts> {
  const [row] = await database.em().execute<{ events: string; games: string; finished: string; rating_changes: string }[]>(
    `select (select coalesce(sum(json_array_length(events)), 0) from match_event_runs) as events, (select count(*) from games) as games,
       (select count(*) from matches where status = 'finished') as finished, (select count(*) from rating_changes) as rating_changes`,
  );
  return { events: Number(row!.events), games: Number(row!.games), finished: Number(row!.finished), ratingChanges: Number(row!.rating_changes) };
}

function checkCounts(found: Counts, expected: Counts): string {
  const wrong = (Object.keys(expected) as (keyof Counts)[]).filter((key) => found[key] !== expected[key]);
  return wrong.length === 0 ? 'all rows present' : `MISSING ROWS: ${wrong.map((key) => `${key} ${found[key]}/${expected[key]}`).join(', ')}`;
}

// ---------------------------------------------------------------------------------------------
// Where the time went: this process's CPU, the local PostgreSQL server's, and the rest (waiting)

/** CPU seconds used so far by every process named postgres (Linux /proc; 0 elsewhere or when the server is not local). */
function postgresCpuSeconds(): number {
  let ticks = 0;
  try {
    for (const pid of readdirSync('/proc')) {
      if (!/^\d+$/.test(pid)) continue;
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const close = stat.lastIndexOf(')');
        if (stat.slice(stat.indexOf('(') + 1, close) !== 'postgres') continue;
        const fields = stat.slice(close + 2).split(' ');
        ticks += Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15 of stat)
      } catch {
        // the process ended meanwhile
      }
    }
  } catch {
    return 0;
  }
  return ticks / 100; // USER_HZ
}

class CpuClock {
  private readonly wall = performance.now();
  private readonly node = process.cpuUsage();
  private readonly server: number;

  constructor(private readonly local: boolean) {
    this.server = local ? postgresCpuSeconds() : 0;
  }

  /** e.g. "CPU: node 3.1 s (62%), postgres 1.2 s (24%) of 5.0 s" */
  toString(): string {
    const wall = (performance.now() - this.wall) / 1000;
    const used = process.cpuUsage(this.node);
    const node = (used.user + used.system) / 1e6;
    const share = (seconds: number) => `${seconds.toFixed(1)} s (${Math.round((100 * seconds) / wall)}%)`;
    const server = this.local ? `, postgres ${share(postgresCpuSeconds() - this.server)}` : '';
    return `CPU: node ${share(node)}${server} of ${wall.toFixed(1)} s`;
  }
}

const localServer = (database: Database) => database.target.kind === 'postgresql' && /@(127\.0\.0\.1|localhost)[:/]/.test(database.target.url);

// ---------------------------------------------------------------------------------------------
// 1. Finished games per second

interface GamesResult {
  readonly seconds: number;
  readonly cpu: string;
  readonly batches: number;
  readonly writeMs: readonly number[];
  readonly check: string;
}

async function writeGames(bench: Bench, pool: readonly RecordedMatch[], work: Workload, maxBatch: number): Promise<GamesResult> {
  const { writer, queue, errors } = await warmQueue(bench, pool, maxBatch);
  const clock = new CpuClock(localServer(bench.database));
  const started = performance.now();
  for (const entry of work.entries) queue.append(entry);
  await queue.flushed();
  const seconds = (performance.now() - started) / 1000;
  const cpu = clock.toString();
  await queue.close();
  if (errors.length > 0) console.log(`    ${errors.length} failed writes (retried); first: ${String(errors[0])}`);
  const check = checkCounts(await counts(bench.database), {
    events: work.events, games: work.games, finished: work.matches, ratingChanges: 2 * work.rated,
  });
  return { seconds, cpu, batches: writer.batches, writeMs: writer.writeMs, check };
}

function printGames(work: Workload, maxBatch: number, result: GamesResult, prefix = ''): void {
  const { seconds, batches, writeMs } = result;
  console.log(
    `  ${prefix}maxBatch ${String(maxBatch).padStart(4)}: ${fmt(work.games / seconds).padStart(5)} games/s ` +
      `${fmt(work.events / seconds).padStart(7)} events/s ${fmt(work.entries.length / seconds).padStart(7)} entries/s; ` +
      `${fmt(batches)} batches (${ms(mean(writeMs))} mean, ${ms(largest(writeMs))} max); ${seconds.toFixed(2)} s [${result.check}]`,
  );
  console.log(`  ${prefix}                ${result.cpu}`);
}

async function gamesPerSecond(bench: Bench, pool: readonly RecordedMatch[], shortPool: readonly RecordedMatch[]): Promise<void> {
  const work = workload(matchesWithGames(pool, bench.games));
  console.log(
    `\n 1. finished games written: ${fmt(work.games)} games in ${fmt(work.matches)} matches of length ${LENGTH}, ` +
      `${fmt(work.events)} events, ${fmt(work.entries.length)} entries (${(work.events / work.games).toFixed(0)} events per game), all appended at once, ${LANES ?? DEFAULT_JOURNAL_LANES} writer lane(s)`,
  );
  const sizes = [...new Set([...BATCHES, MAX_BATCH])].sort((a, b) => a - b);
  let best = { rate: 0, size: 0 };
  for (const size of sizes) {
    const result = await writeGames(bench, pool, work, size);
    printGames(work, size, result);
    if (work.games / result.seconds > best.rate) best = { rate: work.games / result.seconds, size };
  }
  // Games of the issue's yardstick, about 60 events each: random games cut short by a resignation.
  const short = workload(matchesWithGames(shortPool, 4 * bench.games));
  const shortResult = await writeGames(bench, pool, short, MAX_BATCH);
  const shortRate = short.games / shortResult.seconds;
  console.log(`    games of about ${(short.events / short.games).toFixed(0)} events (${fmt(short.games)} random games, each resigned at the first turn after ${SHORT_GAME_EVENTS} events):`);
  printGames(short, MAX_BATCH, shortResult, '  ');
  if (bench.database.target.kind === 'postgresql') {
    console.log(
      `  target >= 1,000 finished games/s of about 60 events: ${shortRate >= 1000 ? 'met' : 'NOT MET'} (${fmt(shortRate)} games/s); ` +
        `games played out at random, ${(work.events / work.games).toFixed(0)} events each: ${fmt(best.rate)} games/s at best (maxBatch ${best.size})`,
    );
  }
  // The same matches without their events: what the per-match statements alone allow.
  const bare = { ...work, events: 0, entries: work.entries.filter((entry) => entry.kind !== 'event') };
  console.log(`    the same matches without their events (match-started, game-finished, match-finished only):`);
  printGames(bare, MAX_BATCH, await writeGames(bench, pool, bare, MAX_BATCH), '  ');
}

// ---------------------------------------------------------------------------------------------
// 2. Concurrent matches

/** What the rooms did in one concurrent run. */
interface RoomsResult {
  readonly seconds: number;
  readonly appended: number;
  readonly events: number;
  readonly ticks: number;
  readonly appendNs: readonly number[];
  readonly appendNsPerTick: readonly number[];
  readonly maxPending: number;
  readonly batches: number;
  readonly writeMs: readonly number[];
  readonly finishedMatches: number;
  /** Each tick that appended, start to end (building the entries and appending them). */
  readonly tickMs: readonly number[];
  readonly cpu: string;
}

/**
 * `matches` slots, each playing a match from the pool (under a fresh id) and starting the next
 * when it ends, so that many matches are always live. Each tick, every slot appends its next
 * entry. Ticks follow one another through setImmediate, interleaved with the writer's I/O; a
 * tick waits while a full batch is already waiting, so the rooms produce as fast as the
 * database absorbs (the sustained rate) instead of piling up a backlog that is written long
 * after the rooms stopped. After `seconds` the rooms stop and the run ends when all is written.
 */
async function concurrentRun(
  bench: Bench,
  pool: readonly RecordedMatch[],
  maxBatch: number,
  spans: SpanMeter | null,
  delay: IntervalHistogram | null,
): Promise<RoomsResult> {
  const { writer, queue, errors } = await warmQueue(bench, pool, maxBatch);
  const { database } = bench;
  let next = 0;
  const slots = Array.from({ length: MATCHES }, () => ({ match: pool[next++ % pool.length]!, matchId: randomUUID(), at: 0 }));
  const appendNs: number[] = [];
  const appendNsPerTick: number[] = [];
  const batch: JournalEntry[] = new Array(MATCHES);
  let appended = 0;
  let events = 0;
  let ticks = 0;
  let maxPending = 0;
  let finishedMatches = 0;
  let waiting = false;
  const tickMs: number[] = [];
  const clock = new CpuClock(localServer(database));
  const stopAt = performance.now() + SECONDS * 1000;
  const started = performance.now();

  await new Promise<void>((resolve) => {
    const tick = () => {
      spans?.markRooms();
      const tickStarted = performance.now();
      if (tickStarted >= stopAt) return resolve();
      if (queue.pending >= maxBatch) {
        waiting = true; // resumed by the writer when a batch is done
        return;
      }
      // What each room hands over this tick: its next entry, as MatchRecorder would build it.
      for (let i = 0; i < slots.length; i++) {
        const slot = slots[i]!;
        const template = slot.match.entries[slot.at++]!;
        batch[i] = { ...template, matchId: slot.matchId };
        if (template.kind === 'event') events += 1;
        if (slot.at === slot.match.entries.length) {
          finishedMatches += 1;
          slot.match = pool[next++ % pool.length]!;
          slot.matchId = randomUUID();
          slot.at = 0;
        }
      }
      // Every tenth tick times each append on its own; the others time the tick's appends together.
      if (ticks % 10 === 0) {
        for (const entry of batch) {
          const before = performance.now();
          queue.append(entry);
          appendNs.push((performance.now() - before) * 1e6);
        }
      } else {
        const before = performance.now();
        for (const entry of batch) queue.append(entry);
        appendNsPerTick.push(((performance.now() - before) * 1e6) / batch.length);
      }
      appended += batch.length;
      ticks += 1;
      maxPending = Math.max(maxPending, queue.pending);
      tickMs.push(performance.now() - tickStarted);
      setImmediate(tick);
    };
    writer.onWritten = () => {
      if (!waiting) return;
      waiting = false;
      setImmediate(tick);
    };
    delay?.enable();
    spans?.enable();
    setImmediate(tick);
  });
  await queue.flushed();
  const seconds = (performance.now() - started) / 1000;
  spans?.disable();
  delay?.disable();
  const cpu = clock.toString();
  await queue.close();
  if (errors.length > 0) console.log(`    ${errors.length} failed writes (retried); first: ${String(errors[0])}`);
  return {
    seconds, appended, events, ticks, appendNs, appendNsPerTick, maxPending, finishedMatches, tickMs, cpu,
    batches: writer.batches, writeMs: writer.writeMs,
  };
}

async function concurrent(bench: Bench, pool: readonly RecordedMatch[]): Promise<void> {
  console.log(
    `\n 2. ${fmt(MATCHES)} concurrent matches, each appending its next entry every tick, for ${SECONDS} s; ${LANES ?? DEFAULT_JOURNAL_LANES} writer lane(s), maxBatch ${MAX_BATCH}`,
  );
  await reset(bench);
  const idle = monitorEventLoopDelay({ resolution: 1 });
  idle.enable();
  await new Promise((resolve) => setTimeout(resolve, 300));
  idle.disable();
  console.log(`  (an idle event loop reads p50 ${ms(idle.percentile(50) / 1e6)}, max ${ms(idle.max / 1e6)} on the 1 ms delay timer)`);
  // Pass A: no instrumentation but the event-loop delay histogram (a native timer, no JavaScript).
  const delay = monitorEventLoopDelay({ resolution: 1 });
  const a = await concurrentRun(bench, pool, MAX_BATCH, null, delay);
  const found = await counts(bench.database);
  const complete = found.events === a.events ? 'all events present' : `MISSING EVENTS: ${found.events}/${a.events}`;
  console.log(
    `  written: ${fmt(a.events / a.seconds)} events/s (${fmt(a.appended / a.seconds)} entries/s; ${fmt(a.appended)} entries, ` +
      `${fmt(a.finishedMatches)} matches finished, in ${a.seconds.toFixed(2)} s) [${complete}]`,
  );
  console.log(`  ${a.cpu}`);
  console.log(
    `  batches: ${fmt(a.batches)}, ${fmt(a.appended / a.batches)} entries each on average; write ${ms(mean(a.writeMs))} mean, ` +
      `${ms(percentile(a.writeMs, 99))} p99, ${ms(largest(a.writeMs))} max; queue held at most ${fmt(a.maxPending)} entries`,
  );
  console.log(
    `  event-loop delay (1 ms timer: the interval plus any blocking) while writing: p50 ${ms(delay.percentile(50) / 1e6)}, p99 ${ms(delay.percentile(99) / 1e6)}, max ${ms(delay.max / 1e6)}`,
  );
  console.log(
    `  append(): ${ns(mean(a.appendNsPerTick))} mean over ${fmt(a.ticks)} ticks of ${fmt(MATCHES)} appends; timed one by one ` +
      `(timer included): p50 ${ns(percentile(a.appendNs, 50))}, p99 ${ns(percentile(a.appendNs, 99))}, max ${ns(largest(a.appendNs))}`,
  );
  console.log(
    `  rooms' ticks (${fmt(MATCHES)} entries built and appended each): p50 ${ms(percentile(a.tickMs, 50))}, max ${ms(largest(a.tickMs))}`,
  );
  // Pass B: every synchronous span timed through async_hooks (see db-spans.ts); slower, so apart.
  const meter = new SpanMeter();
  const b = await concurrentRun(bench, pool, MAX_BATCH, meter, null);
  const { longest, p999 } = printSpans(meter, b);
  console.log(
    `  target: no write holds the rooms' event loop over 1 ms (preemption taken out): ${longest <= 1 ? 'met' : p999 <= 1 ? 'met at p99.9' : 'NOT MET'} ` +
      `(p99.9 ${ms(p999)}, longest ${ms(longest)})`,
  );
}

/**
 * Prints the write path's spans on the rooms' thread (handing entries to the journal's thread,
 * taking its reports); returns the longest, less the time the kernel gave the core to another
 * process in the middle of it (on this machine, mostly PostgreSQL itself).
 */
function printSpans(meter: SpanMeter, run: RoomsResult): { longest: number; p999: number } {
  const writes = meter.spans.filter((span) => !span.rooms);
  const wall = writes.map((span) => span.ms);
  const running = writes.map((span) => span.ms - span.waitMs);
  const withGc = writes.filter((span) => meter.gcWithin(span) > 0).length;
  const total = wall.reduce((sum, value) => sum + value, 0);
  const gcKinds = ['minor', 'major', 'other']
    .map((kind) => [kind, meter.gcs.filter((gc) => gc.kind === kind)] as const)
    .filter(([, gcs]) => gcs.length > 0)
    .map(([kind, gcs]) => `${gcs.length} ${kind} (longest ${ms(largest(gcs.map((gc) => gc.ms)))})`);
  const figures = (values: readonly number[]) =>
    `p50 ${ms(percentile(values, 50))}, p99 ${ms(percentile(values, 99))}, p99.9 ${ms(percentile(values, 99.9))}, longest ${ms(largest(values))}; ` +
    `${fmt(values.filter((value) => value > 1).length)} over 1 ms`;
  const causes = new Map<string, number>();
  writes.forEach((span, i) => {
    if (running[i]! > 0.5) causes.set(span.cause, (causes.get(span.cause) ?? 0) + 1);
  });
  console.log(`  synchronous spans on the rooms' thread, timed with async_hooks (second pass: ${fmt(run.events / run.seconds)} events/s with the hooks on, ${fmt(run.batches)} batches):`);
  console.log(
    `    write path (handing entries over, taking reports): ${fmt(writes.length)} spans, ${ms(total)} in all (${ms(total / Math.max(1, run.batches))} per batch written); ` +
      `${figures(wall)} (${fmt(withGc)} with a GC pause inside)`,
  );
  console.log(
    `    the same, less the time the kernel gave the core to another process (${fmt(writes.filter((span) => span.waitMs > 0.05).length)} spans preempted): ${figures(running)}`,
  );
  console.log(`    over 0.5 ms once preemption is taken out, started by: ${[...causes].map(([cause, count]) => `${cause} ${count}`).join(', ') || 'none'}`);
  // The rooms' own ticks do the same work every time (about 0.5 ms): their outliers are the machine's, not the code's.
  const rooms = meter.spans.filter((span) => span.rooms).map((span) => span.ms - span.waitMs);
  console.log(`    for comparison, the rooms' own ticks measured the same way: ${figures(rooms)}`);
  console.log(`    GC pauses meanwhile (V8 runs most as tasks of their own, outside these spans; they stop the loop all the same): ${gcKinds.join(', ') || 'none'}`);
  return { longest: largest(running), p999: percentile(running, 99.9) };
}

// ---------------------------------------------------------------------------------------------

function fmt(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

function ms(value: number): string {
  return `${value < 10 ? value.toFixed(2) : value.toFixed(1)} ms`;
}

function ns(value: number): string {
  return `${Math.round(value)} ns`;
}

function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((sum, value) => sum + value, 0) / values.length;
}

/** The greatest value, 0 for none (no spread: the arrays run to hundreds of thousands). */
function largest(values: readonly number[]): number {
  let most = 0;
  for (const value of values) if (value > most) most = value;
  return most;
}

function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = values.slice().sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function main(): Promise<void> {
  const began = performance.now();
  console.log(
    `machine: ${availableParallelism()} CPUs (${cpus()[0]?.model.trim() ?? 'unknown'}), node ${process.version}, ` +
      `${process.platform}/${process.arch}; flags: ${process.execArgv.join(' ') || 'none'}`,
  );
  const generating = performance.now();
  const pool = generateMatches({ matches: Number(values.pool), matchLength: LENGTH, accounts, random });
  const shortPool = generateMatches({ matches: Number(values.pool), matchLength: LENGTH, accounts, random, eventsPerGame: SHORT_GAME_EVENTS });
  const poolGames = pool.reduce((sum, match) => sum + match.games, 0);
  const poolEvents = pool.reduce((sum, match) => sum + match.entries.filter((entry) => entry.kind === 'event').length, 0);
  console.log(
    `games: ${fmt(pool.length)} matches of length ${LENGTH} (${fmt(poolGames)} games, ${(poolEvents / poolGames).toFixed(0)} events per game) ` +
      `played with random legal plays and recorded by MatchRecorder in ${((performance.now() - generating) / 1000).toFixed(1)} s; ` +
      `longer runs reuse them under fresh match ids; rated matches among ${fmt(accounts.length)} accounts`,
  );
  for (const kind of ['postgresql', 'pglite-memory', 'pglite-folder']) {
    if (!ONLY.has(kind)) continue;
    const bench = await openBench(kind);
    if (!bench) continue;
    try {
      console.log(`\n=== ${bench.label}`);
      await seedAccounts(bench.database);
      await gamesPerSecond(bench, pool, shortPool);
      await concurrent(bench, pool);
    } finally {
      await bench.cleanup();
    }
  }
  console.log(`\ntotal ${((performance.now() - began) / 1000).toFixed(0)} s, heap used ${(process.memoryUsage().heapUsed / 1048576).toFixed(0)} MiB`);
}

await main();
