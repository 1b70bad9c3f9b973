import { performance } from 'node:perf_hooks';
import type { Schema } from '@colyseus/schema';
import { Client, type Room } from '@colyseus/sdk';
import { MatchStateSchema } from '../src/schema/match-state.js';
import { BASELINE_ROOM, CounterState } from './baseline-room.js';
import { BaselinePlayer } from './baseline-player.js';
import { Histogram } from './histogram.js';
import { MatchPlayer } from './match-player.js';
import type { SeatedPlayer } from './seated-player.js';
import { ProcessMonitor, ZERO_COUNTERS, type Counters, type GeneratorReport } from './stats.js';

/** The room the clients play in: the match room, or the bare baseline room of loadtest/baseline-room.ts. */
export type RoomKind = 'match' | 'baseline';

export interface GeneratorOptions {
  /** The servers' addresses: each match makes its HTTP requests to two of them in turn. */
  urls: string[];
  room: RoomKind;
  /** Matches kept running. */
  matches: number;
  /** Matches started per second while ramping up. */
  ramp: number;
  matchLength: number;
  /** At the end of a match: both players ask for a rematch, or both leave and a new match starts. */
  onMatchEnd: 'rematch' | 'new';
  /** An action unanswered for this long counts as a stall; the match is then replaced. */
  stallMs: number;
  /** Mean pause before each action (uniform in 0.5x..1.5x); 0 plays as fast as the rules allow. */
  thinkMs: number;
  /** Matches joining at once at most (create + joinById in flight). */
  joinConcurrency: number;
  /** Messages a second per client at most (the room disconnects a client above its maxMessagesPerSecond). */
  maxRate: number;
}

/** How each kind of room is created and played. */
const ROOMS: Record<RoomKind, { name: string; state: new () => Schema; createOptions(options: GeneratorOptions): object; player(table: Table, room: Room, seat: 0 | 1): SeatedPlayer<any> }> = {
  match: {
    name: 'match',
    state: MatchStateSchema,
    createOptions: (options) => ({ clock: false, matchLength: options.matchLength }),
    player: (table, room) => new MatchPlayer(table, room),
  },
  baseline: {
    name: BASELINE_ROOM,
    state: CounterState,
    createOptions: () => ({}),
    player: (table, room, seat) => new BaselinePlayer(table, room, seat),
  },
};

const RETRY_DELAY_MS = 1_000;
const JOIN_TIMEOUT_MS = 30_000;
const ERROR_SAMPLES_PER_KIND = 5;

// The SDK logs this for a connection closed during the join; the join failure is counted instead.
const warn = console.warn.bind(console);
console.warn = (...args: unknown[]) => {
  if (typeof args[0] === 'string' && args[0].startsWith('Room connection was closed unexpectedly')) return;
  warn(...args);
};

/**
 * Keeps `matches` matches running against a server, each with two SDK clients playing random
 * legal plays as fast as the rules allow (or with a think time), and counts what happens.
 */
export class Generator {
  readonly counters: Counters = { ...ZERO_COUNTERS };
  readonly moveLatency = new Histogram();
  readonly actionLatency = new Histogram();
  private readonly errorSamples = new Map<string, string[]>();
  private readonly tables = new Set<Table>();
  private readonly monitor = new ProcessMonitor();
  private started = 0;
  private rampTimer: NodeJS.Timeout | null = null;
  private watchdog: NodeJS.Timeout | null = null;
  private stopping = false;
  private silent = false;
  /** Tables waiting for a join slot, and the number of joins in flight. */
  private readonly joinQueue: (() => void)[] = [];
  private joining = 0;

  constructor(readonly options: GeneratorOptions) {}

  /**
   * An SDK client of the server at `wsUrl`, signed in there as a new guest, as a visitor of the
   * site would be. Its matchmaking requests go to that server; its WebSocket to the process that
   * owns the room, as the seat reservation's public address says.
   */
  async guestClient(wsUrl: string): Promise<Client> {
    const url = new URL(wsUrl);
    url.protocol = url.protocol === 'wss:' ? 'https:' : 'http:';
    const response = await fetch(new URL('/auth/guest', url), { method: 'POST' });
    if (!response.ok) throw new Error(`guest sign-in answered ${response.status}: ${await response.text()}`);
    const client = new Client(wsUrl);
    client.auth.token = ((await response.json()) as { token: string }).token;
    return client;
  }

  /** Starts matches at the ramp rate until `matches` run; resolves when all have been started. */
  start(): Promise<void> {
    this.watchdog = setInterval(() => this.checkStalls(), 500);
    return new Promise((resolve) => {
      if (this.options.matches === 0) return resolve();
      const tickMs = 50;
      let budget = 0;
      this.rampTimer = setInterval(() => {
        budget += (this.options.ramp * tickMs) / 1000;
        while (budget >= 1 && this.started < this.options.matches && !this.stopping) {
          budget -= 1;
          this.started += 1;
          this.openTable();
        }
        if (this.started >= this.options.matches || this.stopping) {
          clearInterval(this.rampTimer!);
          this.rampTimer = null;
          resolve();
        }
      }, tickMs);
    });
  }

  /** Leaves every match; resolves when all connections closed (or after `timeoutMs`). */
  async stop(timeoutMs = 10_000): Promise<void> {
    this.stopping = true;
    if (this.rampTimer) clearInterval(this.rampTimer);
    if (this.watchdog) clearInterval(this.watchdog);
    for (const waiting of this.joinQueue.splice(0)) waiting();
    const closing = Promise.all([...this.tables].map((table) => table.close()));
    await Promise.race([closing, new Promise((resolve) => setTimeout(resolve, timeoutMs).unref())]);
    this.monitor.stop();
  }

  /** Totals, and the latency samples since the previous report. */
  report(): GeneratorReport {
    const report: GeneratorReport = {
      counters: { ...this.counters },
      move: { data: this.moveLatency.toData(), max: this.moveLatency.max },
      action: { data: this.actionLatency.toData(), max: this.actionLatency.max },
      process: this.monitor.sample(),
      errorSamples: [...this.errorSamples.values()].flat(),
    };
    this.moveLatency.reset();
    this.actionLatency.reset();
    return report;
  }

  noteError(kind: keyof Counters, description: string): void {
    this.counters[kind] += 1;
    const samples = this.errorSamples.get(kind) ?? [];
    if (samples.length < ERROR_SAMPLES_PER_KIND) samples.push(`${kind}: ${description}`);
    this.errorSamples.set(kind, samples);
  }

  /**
   * The clients stay connected but send nothing more once their action in flight is answered,
   * so the servers' idle cost can be measured; nothing counts as a stall from then on.
   */
  fallSilent(): void {
    this.silent = true;
    if (this.watchdog) clearInterval(this.watchdog);
    this.watchdog = null;
  }

  get isSilent(): boolean {
    return this.silent;
  }

  get isStopping(): boolean {
    return this.stopping;
  }

  /** Waits for one of the `joinConcurrency` join slots; call the returned function to give it back. */
  async joinSlot(): Promise<() => void> {
    if (this.joining >= this.options.joinConcurrency) await new Promise<void>((resolve) => this.joinQueue.push(resolve));
    this.joining += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.joining -= 1;
      this.joinQueue.shift()?.();
    };
  }

  private openTable(): void {
    const { urls } = this.options;
    const opened = this.counters.matchesStarted;
    // Spread over the servers: the two players of a match ask different ones when there are several.
    const table = new Table(this, urls[opened % urls.length]!, urls[(opened + 1) % urls.length]!);
    this.tables.add(table);
    this.counters.matchesStarted += 1;
    void table.open();
  }

  /** A match ended (normally in `new` mode, or after an error): replace it, after a pause if it failed. */
  replace(table: Table, failed: boolean): void {
    this.tables.delete(table);
    if (this.stopping) return;
    if (!failed) return this.openTable();
    setTimeout(() => {
      if (!this.stopping) this.openTable();
    }, RETRY_DELAY_MS);
  }

  private checkStalls(): void {
    const now = performance.now();
    for (const table of this.tables) table.checkStall(now);
  }
}

/** One match: two players in one room. */
export class Table {
  private readonly players: SeatedPlayer<any>[] = [];
  private closed = false;
  private joined = false;
  private playing = false;
  /** When the match last moved on (both joined, or a patch arrived). */
  private lastProgress = performance.now();

  constructor(
    readonly generator: Generator,
    /** The servers the creating and the joining player make their requests to. */
    private readonly creatorUrl: string,
    private readonly joinerUrl: string,
  ) {}

  progressed(now: number): void {
    this.lastProgress = now;
  }

  async open(): Promise<void> {
    const { options } = this.generator;
    const kind = ROOMS[options.room];
    const release = await this.generator.joinSlot();
    if (this.closed || this.generator.isStopping) return release();
    const timeout = setTimeout(() => {
      this.generator.noteError('joinFailures', `no seat after ${JOIN_TIMEOUT_MS / 1000} s`);
      release();
      this.fail();
    }, JOIN_TIMEOUT_MS);
    let stage = 'guest sign-in';
    try {
      const [white, black] = await Promise.all([this.generator.guestClient(this.creatorUrl), this.generator.guestClient(this.joinerUrl)]);
      stage = 'create';
      const first = await white.create(kind.name, kind.createOptions(options), kind.state);
      this.players.push(kind.player(this, first, 0));
      if (this.closed) return void this.leaveAll();
      stage = 'joinById';
      const second = await black.joinById(first.roomId, {}, kind.state);
      this.players.push(kind.player(this, second, 1));
      if (this.closed) return void this.leaveAll();
      this.joined = true;
      this.lastProgress = performance.now();
    } catch (error) {
      if (this.closed) return;
      this.generator.noteError('joinFailures', `${stage}: ${describe(error)}`);
      this.fail();
    } finally {
      clearTimeout(timeout);
      release();
    }
  }

  /** Called by a player once it knows its seat and has the state. */
  ready(): void {
    if (this.playing || this.closed) return;
    if (this.players.length === 2 && this.players.every((player) => player.isReady)) {
      this.playing = true;
      this.generator.counters.matchesRunning += 1;
      // A player that was ready first saw no change when the other arrived.
      for (const player of this.players) player.next();
    }
  }

  get isPlaying(): boolean {
    return this.playing;
  }

  matchOver(): void {
    if (this.generator.options.onMatchEnd === 'rematch') return;
    void this.close().then(() => this.generator.replace(this, false));
  }

  /** Something went wrong: count it (the caller did), drop this match and start another. */
  fail(): void {
    if (this.closed) return;
    void this.close().then(() => this.generator.replace(this, true));
  }

  /** A match that has joined but shows no progress for `stallMs` counts as a stall and is replaced. */
  checkStall(now: number): void {
    if (this.closed || !this.joined) return;
    for (const player of this.players) {
      const waited = player.waitingSince(now);
      if (waited > this.generator.options.stallMs) {
        this.generator.noteError('stalls', `${player.describePending()} unanswered for ${Math.round(waited)} ms`);
        return this.fail();
      }
    }
    if (now - this.lastProgress > this.generator.options.stallMs) {
      const where = this.players.map((player) => player.describePending()).join('; ');
      this.generator.noteError('stalls', `no state change for ${Math.round(now - this.lastProgress)} ms (${where})`);
      this.fail();
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.playing) this.generator.counters.matchesRunning -= 1;
    this.playing = false;
    await this.leaveAll();
  }

  get isClosed(): boolean {
    return this.closed;
  }

  private leaveAll(): Promise<unknown> {
    return Promise.all(this.players.map((player) => player.leave()));
  }
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: unknown }).code;
  const text = `${code === undefined ? '' : `${String(code)} `}${error.message}`.trim();
  // The SDK turns a WebSocket 'error' event (refused, reset, failed upgrade) into an error without code or message.
  return text || `${error.name} without code or message (the WebSocket failed)`;
}
