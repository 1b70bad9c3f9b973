import { performance } from 'node:perf_hooks';
import { Client, type Room } from '@colyseus/sdk';
import { legalPlays, playsWithDice, type Dice, type Move, type Seat } from '../src/engine/index.js';
import { Histogram } from './histogram.js';
import { ProcessMonitor, ZERO_COUNTERS, type Counters, type GeneratorReport } from './stats.js';

export interface GeneratorOptions {
  url: string;
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

/** The fields of the room's wire state the players read (see src/schema/match-state.ts). */
interface WireState {
  version?: number;
  phase: string;
  toAct: number;
  checkers0: ArrayLike<number> & Iterable<number>;
  checkers1: ArrayLike<number> & Iterable<number>;
  dice: ArrayLike<number> & Iterable<number>;
  diceLeft: Iterable<number>;
  moves: ArrayLike<unknown>;
  players: ArrayLike<{ wantsRematch: boolean }>;
}

type MatchRoom = Room<any, WireState>;
type ActionKind = 'roll' | 'move' | 'confirm' | 'take' | 'reject' | 'undo' | 'rematch';

/** An action sent and not yet reflected in the state. */
interface Pending {
  kind: ActionKind;
  /** State version when it was sent: only a later patch can answer it. */
  version: number;
  /** Moves of the turn when it was sent. */
  moves: number;
  sentAt: number;
  /** The first later patch, when it did not show the action's effect. */
  firstPatchAt: number | null;
  /** A `sync` request went out to learn whether that patch was the answer (rolls only). */
  syncing: boolean;
}

const RETRY_DELAY_MS = 1_000;
const RATE_BURST = 50;
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
  /** Tables waiting for a join slot, and the number of joins in flight. */
  private readonly joinQueue: (() => void)[] = [];
  private joining = 0;

  constructor(readonly options: GeneratorOptions) {}

  /** An SDK client signed in as a new guest, as a visitor of the site would be. */
  async guestClient(): Promise<Client> {
    const url = new URL(this.options.url);
    url.protocol = url.protocol === 'wss:' ? 'https:' : 'http:';
    const response = await fetch(new URL('/auth/guest', url), { method: 'POST' });
    if (!response.ok) throw new Error(`guest sign-in answered ${response.status}: ${await response.text()}`);
    const client = new Client(this.options.url);
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
    const table = new Table(this);
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
class Table {
  private readonly players: Player[] = [];
  private closed = false;
  private joined = false;
  private playing = false;
  /** When the match last moved on (both joined, or a patch arrived). */
  private lastProgress = performance.now();

  constructor(readonly generator: Generator) {}

  progressed(now: number): void {
    this.lastProgress = now;
  }

  async open(): Promise<void> {
    const { options } = this.generator;
    const release = await this.generator.joinSlot();
    if (this.closed || this.generator.isStopping) return release();
    const timeout = setTimeout(() => {
      this.generator.noteError('joinFailures', `no seat after ${JOIN_TIMEOUT_MS / 1000} s`);
      release();
      this.fail();
    }, JOIN_TIMEOUT_MS);
    let stage = 'guest sign-in';
    try {
      const [white, black] = await Promise.all([this.generator.guestClient(), this.generator.guestClient()]);
      stage = 'create';
      const first = await white.create('match', { clock: false, matchLength: options.matchLength });
      this.players.push(new Player(this, first as MatchRoom));
      if (this.closed) return void this.leaveAll();
      stage = 'joinById';
      const second = await black.joinById(first.roomId);
      this.players.push(new Player(this, second as MatchRoom));
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
    }
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

/** One client in one seat: acts on every state change when it is its turn to act. */
class Player {
  seat: Seat | null = null;
  private pending: Pending | null = null;
  private plan: readonly Move[] | null = null;
  private planIndex = 0;
  /** After a refused action: undo the turn's moves and plan again. */
  private recovering = false;
  private refusals = 0;
  private tokens = RATE_BURST;
  private refilledAt = performance.now();
  private syncsOutstanding = 0;
  private rematchAsked = false;
  /** The think-time timer before the next action. */
  private thinking: NodeJS.Timeout | null = null;
  private open = true;
  private leaving: Promise<unknown> | null = null;

  constructor(
    private readonly table: Table,
    private readonly room: MatchRoom,
  ) {
    const { counters } = table.generator;
    counters.clients += 1;
    room.reconnection.enabled = false;
    room.onStateChange(() => this.onState());
    room.onMessage('seat', (message: { seat: Seat | null }) => {
      counters.messagesReceived += 1;
      this.seat = message.seat;
      this.next();
    });
    room.onMessage('error', (message: { type: string; code: string; message: string }) => {
      counters.messagesReceived += 1;
      this.onRefused(message);
    });
    room.onMessage('sync', () => {
      counters.messagesReceived += 1;
      this.onSyncReply();
    });
    room.onMessage('game-over', () => {
      counters.messagesReceived += 1;
      if (this.seat === 0) counters.gamesFinished += 1;
    });
    room.onMessage('match-over', () => {
      counters.messagesReceived += 1;
      if (this.seat === 0) counters.matchesFinished += 1;
    });
    room.onMessage('*', () => {
      counters.messagesReceived += 1;
    });
    room.onError((code, message) => {
      if (this.leaving) return;
      table.generator.noteError('clientErrors', `room ${room.roomId}: error ${code} ${message ?? ''}`);
    });
    room.onLeave((code, reason) => {
      if (this.open) {
        this.open = false;
        counters.clients -= 1;
      }
      if (this.leaving || table.isClosed || table.generator.isStopping) return;
      table.generator.noteError('unexpectedCloses', `room ${room.roomId} seat ${this.seat}: closed with ${code} ${reason ?? ''}`);
      table.fail();
    });
  }

  get isReady(): boolean {
    return this.seat !== null && this.room.state.version !== undefined;
  }

  /** How long the pending action has waited, or 0. */
  waitingSince(now: number): number {
    return this.pending ? now - this.pending.sentAt : 0;
  }

  describePending(): string {
    return `${this.pending?.kind ?? 'nothing'} (room ${this.room.roomId}, seat ${this.seat}, phase ${this.room.state.phase})`;
  }

  leave(): Promise<unknown> {
    if (this.thinking) clearTimeout(this.thinking);
    this.thinking = null;
    if (!this.leaving) {
      this.leaving = this.open && this.room.connection?.isOpen ? this.room.leave(true).catch(() => undefined) : Promise.resolve();
    }
    return this.leaving;
  }

  private onState(): void {
    const state = this.room.state;
    if (state.version === undefined) return;
    this.table.generator.counters.patchesReceived += 1;
    const now = performance.now();
    this.table.progressed(now);
    const pending = this.pending;
    if (pending && state.version > pending.version) {
      if (this.shows(pending, state)) {
        this.resolve(pending, now);
      } else {
        pending.firstPatchAt ??= now;
        if (pending.kind === 'roll' && !pending.syncing) {
          pending.syncing = true;
          this.syncsOutstanding += 1;
          this.table.generator.counters.messagesSent += 1;
          this.tokens -= 1;
          this.room.send('sync', { version: state.version });
        }
      }
    }
    if (state.phase !== 'over') this.rematchAsked = false;
    if (state.toAct !== this.seat) this.plan = null;
    this.next();
  }

  /** Acts on the current state, after the think time if there is one, unless an action is in flight. */
  private next(): void {
    const state = this.room.state;
    if (this.seat === null || state.version === undefined || this.table.isClosed || this.leaving) return;
    this.table.ready();
    if (this.pending || this.thinking) return;
    const thinkMs = this.table.generator.options.thinkMs;
    const waitMs = Math.max(thinkMs > 0 ? thinkMs * (0.5 + Math.random()) : 0, this.rateLimitWaitMs());
    if (waitMs <= 0) return this.act(state);
    if (!this.hasSomethingToDo(state)) return;
    this.thinking = setTimeout(() => {
      this.thinking = null;
      if (this.pending || this.table.isClosed || this.leaving) return;
      if (this.hasSomethingToDo(this.room.state)) this.act(this.room.state);
    }, waitMs);
  }

  /**
   * A token bucket keeps each client under `maxRate` messages a second (at most RATE_BURST +
   * maxRate in any second), below the room's flood limit, which disconnects.
   */
  private rateLimitWaitMs(): number {
    const rate = this.table.generator.options.maxRate;
    const now = performance.now();
    this.tokens = Math.min(RATE_BURST, this.tokens + ((now - this.refilledAt) * rate) / 1000);
    this.refilledAt = now;
    return this.tokens >= 1 ? 0 : ((1 - this.tokens) * 1000) / rate;
  }

  private hasSomethingToDo(state: WireState): boolean {
    if (state.phase === 'over') return !this.rematchAsked;
    return state.toAct === this.seat && ['rolling', 'doubled', 'resigning', 'moving'].includes(state.phase);
  }

  /**
   * Whether the state shows the effect of the pending action. The room publishes once per
   * message it handles, but also on its own (twice when the second player joins, once per
   * rematch request), so the next patch is not always the answer: the action's effect in the
   * state is what counts (a move adds to `moves`, a confirm ends the turn, ...). One case shows
   * nothing: a roll that cannot be played, followed by automatic rolls that cannot be played
   * either, comes back to the same state. When a patch after a roll shows no effect, the player
   * sends `sync`: the room handles a client's messages in order, so every patch the roll caused
   * arrives before the reply (see onSyncReply).
   */
  private shows(pending: Pending, state: WireState): boolean {
    const turnOver = state.toAct !== this.seat;
    switch (pending.kind) {
      case 'move':
        return state.moves.length > pending.moves || turnOver || state.phase !== 'moving';
      case 'undo':
        return state.moves.length < pending.moves || turnOver || state.phase !== 'moving';
      case 'confirm':
        return state.moves.length === 0 || turnOver || state.phase !== 'moving';
      case 'roll':
        return state.phase !== 'rolling' || turnOver || state.dice.length > 0;
      case 'take':
        return state.phase !== 'doubled' || turnOver;
      case 'reject':
        return state.phase !== 'resigning' || turnOver;
      case 'rematch':
        return state.phase !== 'over' || state.players[this.seat!]?.wantsRematch === true;
    }
  }

  /** Replies come in order: the last one answers the pending roll, whose patches all came before it. */
  private onSyncReply(): void {
    this.syncsOutstanding = Math.max(0, this.syncsOutstanding - 1);
    const pending = this.pending;
    if (!pending?.syncing || this.syncsOutstanding > 0) return;
    this.resolve(pending, pending.firstPatchAt ?? performance.now());
    this.next();
  }

  private resolve(pending: Pending, answeredAt: number): void {
    const { generator } = this.table;
    const elapsed = answeredAt - pending.sentAt;
    if (pending.kind === 'move') generator.moveLatency.record(elapsed);
    if (pending.kind !== 'rematch') generator.actionLatency.record(elapsed);
    this.pending = null;
    this.refusals = 0;
  }

  private act(state: WireState): void {
    if (state.phase === 'over') {
      this.plan = null;
      if (this.rematchAsked) return;
      this.rematchAsked = true;
      if (this.seat === 0) this.table.matchOver();
      if (this.table.generator.options.onMatchEnd === 'rematch') this.send('rematch', state);
      return;
    }
    if (state.toAct !== this.seat) return;
    switch (state.phase) {
      case 'rolling':
        return this.send('roll', state);
      case 'doubled':
        return this.send('take', state);
      case 'resigning':
        return this.send('reject', state);
      case 'moving':
        return this.playOn(state);
      default:
        return;
    }
  }

  /** Sends the next move of a random legal play, then the confirm. */
  private playOn(state: WireState): void {
    if (this.recovering) {
      if (state.moves.length > 0) return this.send('undo', state);
      this.recovering = false;
      this.plan = null;
    }
    if (!this.plan) {
      this.plan = this.choosePlay(state);
      this.planIndex = 0;
    }
    const move = this.plan[this.planIndex];
    if (move) {
      this.planIndex += 1;
      return this.send('move', state, { from: move.from, to: move.to });
    }
    this.plan = null;
    this.send('confirm', state);
  }

  private choosePlay(state: WireState): readonly Move[] {
    const own = this.seat === 0 ? state.checkers0 : state.checkers1;
    const other = this.seat === 0 ? state.checkers1 : state.checkers0;
    const position = { player: [...own], opponent: [...other] };
    const plays =
      state.moves.length === 0
        ? legalPlays(position, [...state.dice] as unknown as Dice)
        : playsWithDice(position, [...state.diceLeft]);
    if (plays.length === 0) return [];
    return plays[Math.floor(Math.random() * plays.length)]!.moves;
  }

  private send(kind: ActionKind, state: WireState, payload?: unknown): void {
    this.pending = { kind, version: state.version!, moves: state.moves.length, sentAt: performance.now(), firstPatchAt: null, syncing: false };
    this.table.generator.counters.messagesSent += 1;
    this.tokens -= 1;
    this.room.send(kind, payload);
  }

  /** The room refused an action: count it, undo the turn's moves and play again; give up after a few. */
  private onRefused(message: { type: string; code: string; message: string }): void {
    const { generator } = this.table;
    if (this.table.isClosed || this.leaving) return;
    generator.noteError('errorReplies', `${message.type}: ${message.code} ${message.message}`);
    this.pending = null;
    this.plan = null;
    this.recovering = true;
    this.refusals += 1;
    if (this.refusals >= 3) return this.table.fail();
    this.next();
  }
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: unknown }).code;
  const text = `${code === undefined ? '' : `${String(code)} `}${error.message}`.trim();
  // The SDK turns a WebSocket 'error' event (refused, reset, failed upgrade) into an error without code or message.
  return text || `${error.name} without code or message (the WebSocket failed)`;
}
