/**
 * Seeded fuzzing of live match rooms over real WebSockets.
 *
 * Several matches run at once, each with two players and one or two spectators. Every step sends
 * one message from one client: a good action at the right time, a good action at the wrong time or
 * from the wrong seat, a spectator's action, an unknown message type, a malformed or large payload,
 * chat (sometimes a flood of it), a sync with a right or wrong version, or a burst of several of
 * these without waiting. The same client then sends a `sync` as a barrier: its reply comes after
 * everything the room sent because of the step. After each step the test checks the reply (an
 * `error` with a code and a message, or the effect; the engine says which), that a refused message
 * changed nothing, the room's state against the engine's, the match invariants, the sender's copy
 * of the state, and that nobody was disconnected and nothing was logged with console.error; every
 * 50 steps, that all clients hold the same state and heard the same broadcasts.
 *
 * The choices come from fixed seeds (FUZZ_SEED overrides the base seed, FUZZ_REPORT=1 prints what
 * was covered). The dice come from each room's fair-dice source, so a failure prints the seed, the
 * last messages with their replies and the room's fair-dice state. Each client stays under
 * PER_CLIENT_RATE messages a second, far below the room's flood limit of 500; a separate case
 * floods on purpose.
 */
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { tapLog } from '../../src/log.js';
import type { Room as SdkRoom } from '@colyseus/sdk';
import type { ColyseusTestServer } from '@colyseus/testing';
import {
  applyAction,
  assertMayRoll,
  canConfirmPlay,
  currentPosition,
  EngineError,
  legalMoves,
  moveChecker,
  otherSeat,
  seatToAct,
  whyNoDouble,
  type MatchAction,
  type MatchState,
  type Seat,
} from '../../src/engine/index.js';
import {
  ACTION_TYPES,
  between,
  chance,
  frameBytes,
  isMessageType,
  largePayload,
  malformedPayload,
  MESSAGE_TYPES,
  ODD_VALUES,
  pick,
  RESIGN_KINDS,
  UNKNOWN_TYPES,
  wellFormed,
  type Random,
} from '../support/fuzz-payloads.js';
import { bootServer, sdkClient } from '../support/match-clients.js';
import { seededRandom } from '../support/random-games.js';

const BASE_SEED = Number(process.env.FUZZ_SEED ?? 20_250_601);
/** Messages a second one client may send; the room disconnects above 500. */
const PER_CLIENT_RATE = 150;
const FRAME_LIMIT = 4 * 1024;
const REPLY_TIMEOUT_MS = 5_000;
/** Unknown types short enough to go in front of a payload (see the 'unknown' plan). */
const SHORT_UNKNOWN_TYPES = UNKNOWN_TYPES.filter((type) => typeof type !== 'string' || Buffer.byteLength(type) <= 240);
/** Server-to-client messages every client of a room receives. */
const BROADCASTS = new Set(['chat', 'game-over', 'match-over', 'opening-roll', 'timeout']);

type Kind = 'valid' | 'wrong-seat' | 'spectator' | 'unknown' | 'malformed' | 'large' | 'chat' | 'sync' | 'burst';

interface Profile {
  readonly name: string;
  readonly options: Record<string, unknown>;
  readonly spectators: number;
  readonly steps: number;
  /** Relative weights of the kinds of message. */
  readonly mix: Readonly<Record<Kind, number>>;
  /** Chance that the player to act resigns instead. */
  readonly resign: number;
  /** Chance that the player on roll doubles when allowed. */
  readonly double: number;
  /** Chance that a doubled player drops. */
  readonly drop: number;
  /** Chance that a resignation is accepted. */
  readonly accept: number;
  /** Chance per step of pausing, so that clocks run. */
  readonly idle?: { readonly chance: number; readonly minMs: number; readonly maxMs: number };
  /**
   * Steps at which the players stop until a flag falls: either the room's timer notices, or
   * (late) the player to act sends an action just after the flag fell.
   */
  readonly flags?: readonly { readonly atStep: number; readonly late: boolean }[];
}

const MIX: Record<Kind, number> = { valid: 40, 'wrong-seat': 12, spectator: 8, unknown: 7, malformed: 16, large: 4, chat: 6, sync: 7, burst: 5 };

const PROFILES: readonly Profile[] = [
  {
    name: '3-point match with cube',
    options: { matchLength: 3, clock: false },
    spectators: 2,
    steps: 2_000,
    mix: MIX,
    resign: 0.03,
    double: 0.3,
    drop: 0.5,
    accept: 0.65,
  },
  {
    name: 'money play with beavers',
    options: { matchLength: 0, beavers: true, clock: false },
    spectators: 1,
    steps: 2_000,
    mix: MIX,
    resign: 0.02,
    double: 0.4,
    drop: 0.35,
    accept: 0.65,
  },
  {
    // Resignations are nearly always rejected, so games are played until the last checker is off.
    name: '1-point matches played out, forced plays automatic',
    options: { matchLength: 1, cube: false, autoPlayForced: true, clock: false },
    spectators: 1,
    steps: 2_000,
    mix: { ...MIX, valid: 80 },
    resign: 0.002,
    double: 0,
    drop: 0,
    accept: 0.02,
  },
  {
    name: '5-point match rolled by hand',
    options: { matchLength: 5, autoRoll: false, clock: false },
    spectators: 2,
    steps: 2_000,
    mix: MIX,
    resign: 0.03,
    double: 0.25,
    drop: 0.5,
    accept: 0.65,
  },
  {
    name: '2-point match on a short clock',
    options: { matchLength: 2, clock: { delayMs: 100, reservePerPointMs: 700 } },
    spectators: 1,
    steps: 1_200,
    mix: MIX,
    resign: 0.02,
    double: 0.3,
    drop: 0.5,
    accept: 0.65,
    idle: { chance: 0.01, minMs: 200, maxMs: 900 },
    flags: [
      { atStep: 300, late: false },
      { atStep: 600, late: true },
      { atStep: 900, late: true },
    ],
  },
];

interface Inbound {
  readonly type: string;
  readonly message: any;
  readonly at: number;
}

/** A schema state as JSON, as both the server and the clients produce it. */
interface WireJson {
  version: number;
  phase: string;
  gameNumber: number;
  matchLength: number;
  score: number[];
  crawford: boolean;
  turn: number;
  toAct: number;
  checkers0: number[];
  checkers1: number[];
  dice: number[];
  diceLeft: number[];
  cubeValue: number;
  cubeOwner: number;
  doubleOffered: boolean;
  resignSeat: number;
  players: { wantsRematch: boolean; connected: boolean }[];
  spectators: number;
  diceCommitment: string;
  winner: number;
  [field: string]: unknown;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function isPowerOfTwo(value: number): boolean {
  return Number.isInteger(value) && value >= 1 && (value & (value - 1)) === 0;
}

/** Checks one state on its own: checkers, cube, dice, phase. */
function wireProblems(state: WireJson): string[] {
  const problems: string[] = [];
  const sides = [state.checkers0, state.checkers1];
  sides.forEach((side, seat) => {
    if (!Array.isArray(side) || side.length !== 26) return problems.push(`checkers${seat} has ${side?.length} slots, not 26`);
    if (!side.every((count) => Number.isInteger(count) && count >= 0)) problems.push(`checkers${seat} holds a bad count: ${side}`);
    const total = side.reduce((sum, count) => sum + count, 0);
    if (total !== 15) problems.push(`seat ${seat} has ${total} checkers, not 15: ${side}`);
  });
  for (let point = 1; point <= 24; point++) {
    if ((state.checkers0[point] ?? 0) > 0 && (state.checkers1[25 - point] ?? 0) > 0) problems.push(`point ${point} (seat 0's side) is held by both seats`);
  }
  if (!isPowerOfTwo(state.cubeValue) || state.cubeValue > 64) problems.push(`cube value ${state.cubeValue}`);
  if (![-1, 0, 1].includes(state.cubeOwner)) problems.push(`cube owner ${state.cubeOwner}`);
  if (state.dice.length !== 0 && state.dice.length !== 2) problems.push(`dice ${state.dice}`);
  if (!state.dice.every((die) => die >= 1 && die <= 6)) problems.push(`dice ${state.dice}`);
  if (state.diceLeft.length > 4) problems.push(`dice left ${state.diceLeft}`);
  if (state.score.length !== 2) problems.push(`score ${state.score}`);
  if (!['waiting', 'opening', 'rolling', 'moving', 'doubled', 'resigning', 'over'].includes(state.phase)) problems.push(`phase ${state.phase}`);
  return problems;
}

/** Follows one copy of the state over time: versions only grow, scores only grow within a match. */
class StateWatch {
  private last: { version: number; content: string; score: number[]; commitment: string; phase: string; gameNumber: number } | null = null;

  observe(state: WireJson): string[] {
    const { version, ...rest } = state;
    const content = JSON.stringify(rest);
    const problems = wireProblems(state);
    const last = this.last;
    if (last) {
      if (version < last.version) problems.push(`version went back from ${last.version} to ${version}`);
      else if (version === last.version && content !== last.content) problems.push(`the state changed but the version stayed ${version}`);
      if (state.diceCommitment === last.commitment) {
        if (state.score.some((points, seat) => points < last.score[seat]!)) problems.push(`score went down from ${last.score} to ${state.score}`);
        if (state.gameNumber < last.gameNumber) problems.push(`game number went down from ${last.gameNumber} to ${state.gameNumber}`);
      } else if (last.phase !== 'over' && last.phase !== 'waiting') {
        problems.push(`a new match started (new dice commitment) while the last one was ${last.phase}`);
      }
    }
    this.last = { version, content, score: [...state.score], commitment: state.diceCommitment, phase: state.phase, gameNumber: state.gameNumber };
    return problems;
  }
}

/** One connected client: everything it received, its pace, and what it saw wrong in its state. */
class Peer {
  readonly inbox: Inbound[] = [];
  seat: Seat | null = null;
  seated = false;
  left: { code: number; reason: string | undefined } | null = null;
  readonly stateProblems: string[] = [];
  private readonly watch = new StateWatch();
  private readonly listeners = new Set<() => void>();
  private readonly sendTimes: number[] = [];

  constructor(
    readonly label: string,
    readonly room: SdkRoom<any, any>,
  ) {
    room.reconnection.enabled = false;
    room.onMessage('*', (type: string | number, message: unknown) => {
      this.inbox.push({ type: String(type), message, at: Date.now() });
      if (type === 'seat') {
        this.seat = (message as { seat: Seat | null }).seat;
        this.seated = true;
      }
      this.notify();
    });
    room.onLeave((code: number, reason?: string) => {
      this.left = { code, reason };
      this.notify();
    });
    room.onStateChange((state: { toJSON(): WireJson }) => {
      for (const problem of this.watch.observe(state.toJSON())) this.stateProblems.push(`${this.label}: ${problem}`);
      this.notify();
    });
  }

  get state(): WireJson {
    return (this.room.state as { toJSON(): WireJson }).toJSON();
  }

  get version(): number {
    return (this.room.state as { version?: number }).version ?? -1;
  }

  connected(): boolean {
    return this.left === null && this.room.connection.isOpen;
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }

  /** Resolves once `ready()` holds, checking after everything this client receives. */
  until(ready: () => boolean, what: string, timeoutMs = REPLY_TIMEOUT_MS): Promise<void> {
    return waitFor([this], ready, `${this.label}: ${what}`, timeoutMs);
  }

  /** Waits until `count` more messages keep this client under PER_CLIENT_RATE in any second. */
  async pace(count: number): Promise<void> {
    for (;;) {
      const now = Date.now();
      while (this.sendTimes.length > 0 && now - this.sendTimes[0]! >= 1_000) this.sendTimes.shift();
      if (this.sendTimes.length + count <= PER_CLIENT_RATE) break;
      await sleep(1_000 - (now - this.sendTimes[0]!) + 2);
    }
    for (let sent = 0; sent < count; sent++) this.sendTimes.push(Date.now());
  }

  send(type: string | number, payload: unknown): void {
    (this.room.send as (type: string | number, payload?: unknown) => void)(type, payload);
  }

  /** The size of the frame the SDK sends for this message, measured with a fresh encoder of the same kind. */
  frameBytes(type: string | number, payload: unknown): number {
    const Encoder = (this.room as unknown as { packr: { constructor: new () => { pack(value: unknown): Uint8Array } } }).packr.constructor;
    const encoder = new Encoder();
    return frameBytes((value) => encoder.pack(value), type, payload);
  }
}

/** Resolves once `ready()` holds, checking whenever one of the peers receives something and every 10 ms. */
function waitFor(peers: readonly Peer[], ready: () => boolean, what: string, timeoutMs: number): Promise<void> {
  if (ready()) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const stops: (() => void)[] = [];
    const finish = () => {
      clearTimeout(timer);
      clearInterval(poll);
      for (const stop of stops) stop();
    };
    const check = () => {
      let done = false;
      try {
        done = ready();
      } catch (error) {
        finish();
        reject(error);
        return;
      }
      if (done) {
        finish();
        resolve();
      }
    };
    const timer = setTimeout(() => {
      finish();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
    }, timeoutMs);
    const poll = setInterval(check, 10);
    for (const peer of peers) stops.push(peer.onChange(check));
  });
}

/** A refusal's code, or null when any code will do. */
type Expectation = { outcome: 'accept' } | { outcome: 'refuse'; code: string | null } | { outcome: 'either' };
const ACCEPT: Expectation = { outcome: 'accept' };
const EITHER: Expectation = { outcome: 'either' };
const refuse = (code: string | null): Expectation => ({ outcome: 'refuse', code });

interface Plan {
  readonly peer: Peer;
  readonly kind: Kind;
  readonly type: string | number;
  readonly payload: unknown;
  readonly expect: Expectation;
  /** The room's state version the expectation was worked out at. */
  readonly atVersion: number;
  /** More messages sent right behind the first, before the barrier (a burst, as from quick clicks). */
  readonly then?: readonly { readonly type: string; readonly payload: unknown }[];
}

/** What the engine says of a well-formed action from a seat: the room must answer the same. */
function predictIntent(match: MatchState, seat: Seat, type: string, payload: unknown): Expectation {
  if (type === 'rematch') return match.phase === 'over' ? ACCEPT : refuse('MATCH_NOT_OVER');
  const fields = (payload ?? {}) as { from?: number; to?: number; kind?: 'single' | 'gammon' | 'backgammon' };
  try {
    if (type === 'roll') assertMayRoll(match, seat);
    else if (type === 'move') applyAction(match, { type: 'move', seat, from: fields.from!, to: fields.to! });
    else if (type === 'resign') applyAction(match, { type: 'resign', seat, kind: fields.kind! });
    else applyAction(match, { type, seat } as MatchAction);
    return ACCEPT;
  } catch (error) {
    if (error instanceof EngineError) return refuse(error.code);
    throw error;
  }
}

/** Compares the schema state with the engine state it is written from, and checks the engine state. */
function mirrorProblems(match: MatchState, state: WireJson): string[] {
  const problems: string[] = [];
  const same = (what: string, wire: unknown, engine: unknown) => {
    if (JSON.stringify(wire) !== JSON.stringify(engine)) problems.push(`${what}: schema ${JSON.stringify(wire)}, engine ${JSON.stringify(engine)}`);
  };
  same('phase', state.phase, match.phase);
  same('checkers0', state.checkers0, currentPosition(match, 0).player);
  same('checkers1', state.checkers1, currentPosition(match, 1).player);
  same('dice', state.dice, match.dice ?? []);
  same('dice left', state.diceLeft, match.turnInProgress?.diceLeft ?? []);
  same('cube value', state.cubeValue, match.cube.value);
  same('cube owner', state.cubeOwner, match.cube.owner ?? -1);
  same('score', state.score, match.score);
  same('game number', state.gameNumber, match.gameNumber);
  same('crawford', state.crawford, match.crawford);
  same('to act', state.toAct, seatToAct(match) ?? -1);
  same('winner', state.winner, match.winner ?? -1);
  same('double offered', state.doubleOffered, match.phase === 'doubled');
  same('resigning seat', state.resignSeat, match.resignation?.seat ?? -1);
  if (match.phase !== 'opening') same('turn', state.turn, match.turn);

  if (match.phase === 'opening') problems.push('the match rests in the opening phase with both players seated');
  if (match.phase === 'moving') {
    const turn = match.turnInProgress;
    if (!turn) problems.push('moving without a turn in progress');
    else if (legalMoves(turn).length === 0 && !canConfirmPlay(match)) problems.push('moving, but no move is legal and the play cannot be confirmed');
  }
  if (!isPowerOfTwo(match.cube.value) || match.cube.value > 64) problems.push(`engine cube value ${match.cube.value}`);
  const { matchLength } = match.settings;
  if (match.phase === 'over') {
    if (match.winner === null) problems.push('the match is over without a winner');
    else if (match.forfeitedBy === null && match.score[match.winner] < matchLength) problems.push(`seat ${match.winner} won with ${match.score[match.winner]} of ${matchLength} points`);
  } else {
    if (match.winner !== null) problems.push('a winner while the match goes on');
    if (matchLength > 0 && match.score.some((points) => points >= matchLength)) problems.push(`score ${match.score} reached ${matchLength} but the match goes on`);
  }
  const crawfordGames = match.games.filter((game) => game.crawford).length;
  if (crawfordGames > (matchLength > 0 ? 1 : 0)) problems.push(`${crawfordGames} Crawford games`);
  return problems;
}

interface Counters {
  messages: number;
  barriers: number;
  accepted: number;
  refused: Map<string, number>;
  kinds: Map<string, number>;
  outcomes: Map<string, number>;
  matchesOver: number;
  rematches: number;
  timeouts: number;
  chats: number;
}

function newCounters(): Counters {
  return { messages: 0, barriers: 0, accepted: 0, refused: new Map(), kinds: new Map(), outcomes: new Map(), matchesOver: 0, rematches: 0, timeouts: 0, chats: 0 };
}

function bump(map: Map<string, number>, key: string, by = 1): void {
  map.set(key, (map.get(key) ?? 0) + by);
}

function show(value: unknown): string {
  let text: string;
  try {
    text = value === undefined ? 'undefined' : typeof value === 'number' && !Number.isFinite(value) ? String(value) : JSON.stringify(value, (_key, item: unknown) =>
      typeof item === 'number' && !Number.isFinite(item) ? String(item) : ArrayBuffer.isView(item) ? `<${item.constructor.name} ${item.byteLength} bytes>` : item);
  } catch {
    text = String(value);
  }
  return text.length > 120 ? `${text.slice(0, 117)}... (${text.length} chars)` : text;
}

/** One room being fuzzed: its clients, the server room, the seeded choices and the checks. */
class RoomRun {
  readonly random: Random;
  readonly counters = newCounters();
  readonly log: string[] = [];
  step = 0;
  private readonly watch = new StateWatch();
  private readonly acceptedChats = new Map<Peer, number[]>();
  private broadcastStart = new Map<Peer, number>();
  private chatBurst: { peer: Peer; left: number } | null = null;

  constructor(
    readonly profile: Profile,
    readonly seed: number,
    readonly server: ColyseusTestServer,
    readonly peers: Peer[],
    readonly consoleErrors: string[],
  ) {
    this.random = seededRandom(seed);
  }

  /** Counts what every client heard: game ends by how they ended, matches over, flags fallen. */
  tallyBroadcasts(): void {
    const watcher = this.peers[0]!;
    for (const entry of watcher.inbox.slice(this.broadcastStart.get(watcher))) {
      if (entry.type === 'game-over') bump(this.counters.outcomes, String(entry.message.by));
      if (entry.type === 'match-over') this.counters.matchesOver++;
      if (entry.type === 'timeout') this.counters.timeouts++;
    }
  }

  get roomId(): string {
    return this.peers[0]!.room.roomId;
  }

  get serverRoom(): any {
    const room = this.server.getRoomById(this.roomId);
    if (!room) throw new Error(`room ${this.roomId} is gone from the server`);
    return room;
  }

  get match(): MatchState {
    return this.serverRoom.match as MatchState;
  }

  serverState(): WireJson {
    return this.serverRoom.state.toJSON() as WireJson;
  }

  get players(): Peer[] {
    return this.peers.filter((peer) => peer.seat !== null);
  }

  get spectators(): Peer[] {
    return this.peers.filter((peer) => peer.seat === null);
  }

  player(seat: Seat): Peer {
    return this.players.find((peer) => peer.seat === seat)!;
  }

  /** A failure with what is needed to reproduce it. */
  fail(problem: string): never {
    let dice = '';
    try {
      dice = JSON.stringify(this.serverRoom.fairDice.saveState());
    } catch (error) {
      dice = `unavailable (${String(error)})`;
    }
    throw new Error(
      [
        `fuzz failure in room "${this.profile.name}" (seed ${this.seed}; rerun with FUZZ_SEED=${BASE_SEED}) at step ${this.step}:`,
        `  ${problem}`,
        `  room options: ${JSON.stringify(this.profile.options)}`,
        `  fair dice: ${dice}`,
        `  last messages (step sender kind type payload -> reply):`,
        ...this.log.slice(-30).map((line) => `    ${line}`),
        ...(this.consoleErrors.length > 0 ? ['  console.error:', ...this.consoleErrors.slice(0, 3).map((line) => `    ${line.slice(0, 3_000)}`)] : []),
      ].join('\n'),
    );
  }

  check(condition: unknown, problem: string | (() => string)): asserts condition {
    if (!condition) this.fail(typeof problem === 'string' ? problem : problem());
  }

  /** From here on, every client must hear the same broadcasts. */
  /** Waits until the room has sent everything it holds (see DurableOutbox) and every client has it. */
  async settle(): Promise<void> {
    const settled = () => this.serverRoom.outbox.waiting === 0 && this.peers.every((peer) => peer.version === this.serverRoom.state.version);
    await waitFor(this.peers, settled, 'the room to send what it holds', REPLY_TIMEOUT_MS).catch((error: unknown) => this.fail(String(error)));
  }

  rebaseline(): void {
    for (const peer of this.peers) this.broadcastStart.set(peer, peer.inbox.length);
  }

  /** A spectator disconnected on purpose: stop counting it, and wait until the room has let it go. */
  async removeSpectator(peer: Peer): Promise<void> {
    this.peers.splice(this.peers.indexOf(peer), 1);
    await waitFor(
      this.peers,
      () => this.serverRoom.clients.length === this.peers.length && this.serverState().spectators === this.spectators.length,
      `the room to let ${peer.label} go`,
      REPLY_TIMEOUT_MS,
    ).catch((error: unknown) => this.fail(String(error)));
  }

  /** A client that came back in place of one that was disconnected. */
  replacePeer(gone: Peer, back: Peer): void {
    this.peers.splice(this.peers.indexOf(gone), 1, back);
  }

  async run(aborted: () => boolean): Promise<void> {
    await this.settle();
    this.rebaseline();
    this.checkRoom();
    for (this.step = 1; this.step <= this.profile.steps && !aborted(); this.step++) {
      const flag = this.profile.flags?.find((entry) => entry.atStep === this.step);
      if (flag) await this.waitForFlag(flag.late);
      if (this.profile.idle && chance(this.random, this.profile.idle.chance)) {
        await sleep(between(this.random, this.profile.idle.minMs, this.profile.idle.maxMs));
      }
      await this.perform(this.plan());
      if (this.step % 50 === 0) await this.converge();
    }
    await this.converge();
  }

  // ---------------------------------------------------------------------------------------------
  // Choosing the next message

  private plan(): Plan {
    if (this.chatBurst) {
      const { peer } = this.chatBurst;
      if (--this.chatBurst.left <= 0) this.chatBurst = null;
      return this.planned(peer, 'chat', 'chat', { text: `flood ${this.step}` });
    }
    const kind = this.pickKind();
    switch (kind) {
      case 'valid':
        return this.nextValidPlan() ?? this.wrongSeatPlan();
      case 'wrong-seat':
        return this.wrongSeatPlan();
      case 'spectator': {
        const [type, payload] = this.wellFormedAction(pick(this.random, ACTION_TYPES));
        return this.planned(pick(this.random, this.spectators), kind, type, payload);
      }
      case 'unknown': {
        const type = chance(this.random, 0.8) ? pick(this.random, UNKNOWN_TYPES) : this.randomName();
        const payload = pick(this.random, [undefined, null, {}, { from: 24, to: 18 }, { kind: 'single' }, pick(this.random, ODD_VALUES)]);
        // The SDK reserves at most 255 bytes for the header in front of a payload: long types go alone.
        return this.planned(this.anyPeer(), kind, type, typeof type === 'string' && Buffer.byteLength(type) > 240 ? undefined : payload);
      }
      case 'malformed': {
        const type = pick(this.random, MESSAGE_TYPES);
        return this.planned(this.anyPeer(), kind, type, malformedPayload(this.random, type));
      }
      case 'large':
        return this.largePlan();
      case 'chat':
        return this.chatPlan();
      case 'sync':
        return this.syncPlan();
      case 'burst':
        return this.burstPlan();
    }
  }

  private pickKind(): Kind {
    const entries = Object.entries(this.profile.mix) as [Kind, number][];
    let roll = this.random() * entries.reduce((sum, [, weight]) => sum + weight, 0);
    for (const [kind, weight] of entries) {
      roll -= weight;
      if (roll < 0) return kind;
    }
    return 'valid';
  }

  private anyPeer(): Peer {
    return pick(this.random, this.peers);
  }

  private randomName(): string {
    const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_ .:/\\\u00e9\u4e2d\ud83d\ude00\u0000';
    const characters = [...alphabet];
    return Array.from({ length: between(this.random, 1, 24) }, () => pick(this.random, characters)).join('');
  }

  private emptyPayload(): unknown {
    return pick(this.random, [undefined, null, {}]);
  }

  /** A well-formed payload for an action type: random points for a move, a real resignation kind. */
  private wellFormedAction(type: (typeof ACTION_TYPES)[number]): [string, unknown] {
    if (type === 'move') {
      const turn = this.match.turnInProgress;
      const moves = turn ? legalMoves(turn) : [];
      if (moves.length > 0 && chance(this.random, 0.5)) {
        const move = pick(this.random, moves);
        return ['move', { from: move.from, to: move.to }];
      }
      return ['move', { from: between(this.random, 0, 25), to: between(this.random, 0, 25) }];
    }
    if (type === 'resign') return ['resign', { kind: pick(this.random, RESIGN_KINDS) }];
    return [type, this.emptyPayload()];
  }

  planned(peer: Peer, kind: Kind, type: string | number, payload: unknown): Plan {
    return { peer, kind, type, payload, expect: this.expectationFor(peer, type, payload), atVersion: this.serverRoom.state.version as number };
  }

  private expectationFor(peer: Peer, type: string | number, payload: unknown): Expectation {
    // Colyseus hands a message typed "*" to the room's catch-all handler with the payload in the
    // place of the type, so the room judges the payload as if it were the type.
    if (type === '*') return refuse(null);
    if (!isMessageType(type)) return refuse('UNKNOWN_MESSAGE');
    const shape = wellFormed(type, payload);
    if (shape === 'no') return refuse('INVALID_MESSAGE');
    if (shape === 'unsure' || type === 'chat') return EITHER;
    if (type === 'sync') return ACCEPT;
    if (peer.seat === null) return refuse('SPECTATOR');
    return predictIntent(this.match, peer.seat, type, payload);
  }

  /** The action the match waits for, from the player who must act (or asks for a rematch once it is over). */
  nextValidPlan(): Plan | null {
    const match = this.match;
    const { resign, double, drop, accept } = this.profile;
    const action = (seat: Seat, type: string, payload: unknown = this.emptyPayload()) => this.planned(this.player(seat), 'valid', type, payload);
    const resignation = (seat: Seat) => action(seat, 'resign', { kind: pick(this.random, RESIGN_KINDS) });
    switch (match.phase) {
      case 'rolling': {
        if (chance(this.random, resign)) return resignation(match.turn);
        if (whyNoDouble(match, match.turn) === null && chance(this.random, double)) return action(match.turn, 'double');
        return action(match.turn, 'roll');
      }
      case 'moving': {
        const turn = match.turnInProgress!;
        if (chance(this.random, resign)) return resignation(match.turn);
        if (turn.steps.length > 0 && chance(this.random, 0.08)) return action(match.turn, 'undo');
        if (canConfirmPlay(match)) return action(match.turn, 'confirm');
        const moves = legalMoves(turn);
        if (moves.length === 0) return null;
        const first = pick(this.random, moves);
        if (chance(this.random, 0.25)) {
          // A checker moved on with two dice in one message.
          const onward = legalMoves(moveChecker(turn, first.from, first.to)).filter((move) => move.from === first.to);
          if (onward.length > 0) return action(match.turn, 'move', { from: first.from, to: pick(this.random, onward).to });
        }
        return action(match.turn, 'move', { from: first.from, to: first.to });
      }
      case 'doubled': {
        const taker = otherSeat(match.turn);
        if (match.settings.beavers && chance(this.random, 0.25)) return action(taker, 'beaver');
        return action(taker, chance(this.random, drop) ? 'drop' : 'take');
      }
      case 'resigning':
        return action(otherSeat(match.resignation!.seat), chance(this.random, accept) ? 'accept' : 'reject');
      case 'over': {
        const state = this.serverState();
        const waiting = this.players.filter((peer) => !state.players[peer.seat!]!.wantsRematch);
        return waiting.length > 0 ? action(pick(this.random, waiting).seat!, 'rematch') : null;
      }
      default:
        return null;
    }
  }

  /** A well-formed action from either player, most often at the wrong time or from the wrong seat. */
  private wrongSeatPlan(): Plan {
    const [type, payload] = this.wellFormedAction(pick(this.random, ACTION_TYPES));
    return this.planned(pick(this.random, this.players), 'wrong-seat', type, payload);
  }

  private largePlan(): Plan {
    const peer = this.anyPeer();
    for (let attempt = 0; attempt < 10; attempt++) {
      const type = chance(this.random, 0.85) ? pick(this.random, MESSAGE_TYPES) : pick(this.random, SHORT_UNKNOWN_TYPES);
      const payload = largePayload(this.random);
      if (peer.frameBytes(type, payload) <= FRAME_LIMIT - 64) return this.planned(peer, 'large', type, payload);
    }
    return this.planned(peer, 'large', 'chat', { text: 'z'.repeat(3_000) });
  }

  /**
   * The action the match waits for, then right behind it (no wait for the reply) the same message
   * again, other actions of the same player, chat or a malformed message. Which of them the room
   * accepts depends on the order; the checks are those that hold whatever it decides.
   */
  private burstPlan(): Plan {
    const first = this.nextValidPlan() ?? this.wrongSeatPlan();
    const then: { type: string; payload: unknown }[] = [];
    for (let extra = between(this.random, 1, 3); extra > 0; extra--) {
      const roll = this.random();
      if (roll < 0.4) then.push({ type: String(first.type), payload: first.payload });
      else if (roll < 0.8) {
        const [type, payload] = this.wellFormedAction(pick(this.random, ['confirm', 'undo', 'roll', 'double', 'take', 'drop', 'move', 'move', 'resign', 'accept', 'reject', 'rematch'] as const));
        then.push({ type, payload });
      } else if (roll < 0.9) then.push({ type: 'chat', payload: { text: `burst ${this.step}` } });
      else {
        const type = pick(this.random, ACTION_TYPES);
        then.push({ type, payload: malformedPayload(this.random, type) });
      }
    }
    return { ...first, kind: 'burst', expect: EITHER, then };
  }

  private chatPlan(): Plan {
    const peer = this.anyPeer();
    if (chance(this.random, 0.15)) this.chatBurst = { peer, left: between(this.random, 5, 10) };
    if (chance(this.random, 0.3)) return this.planned(peer, 'chat', 'chat', malformedPayload(this.random, 'chat'));
    const text = pick(this.random, [
      'good luck',
      '  padded  ',
      'x'.repeat(500),
      ` ${'y'.repeat(500)} `,
      '😀🎲'.repeat(100),
      'שלום עולם',
      'zero\u200bwidth',
      '\u0000',
      '<script>alert(1)</script>',
      '%s %d %n',
      'line\nbreak',
    ]);
    return this.planned(peer, 'chat', 'chat', { text });
  }

  private syncPlan(): Plan {
    const peer = this.anyPeer();
    if (chance(this.random, 0.35)) return this.planned(peer, 'sync', 'sync', malformedPayload(this.random, 'sync'));
    const current = this.serverRoom.state.version as number;
    const version = pick(this.random, [current, current, Math.max(0, current - 1), current + 1, 0, 1e12, Number.MAX_SAFE_INTEGER]);
    return this.planned(peer, 'sync', 'sync', { version });
  }

  // ---------------------------------------------------------------------------------------------
  // Sending one message and checking what came of it

  async perform(planned: Plan): Promise<void> {
    if (planned.then) return this.performBurst(planned);
    const { peer } = planned;
    await peer.pace(2);
    // While the client waited for its pace, a clock may have ended the match: judge the message anew.
    const plan = planned.atVersion === this.serverRoom.state.version ? planned : this.planned(peer, planned.kind, planned.type, planned.payload);
    const matchBefore = this.match;
    const stateBefore = this.serverState();
    const mark = peer.inbox.length;
    const barrierVersion = peer.version;
    try {
      peer.send(plan.type, plan.payload);
    } catch (error) {
      this.fail(`the SDK could not send ${String(plan.type)} ${show(plan.payload)}: ${String(error)}`);
    }
    peer.send('sync', { version: barrierVersion });
    this.counters.messages++;
    this.counters.barriers++;
    bump(this.counters.kinds, plan.kind);

    const since = () => peer.inbox.slice(mark);
    const count = (type: string) => since().filter((entry) => entry.type === type).length;
    // A refused message's error comes before the barrier's reply; an accepted sync has a reply of its own first.
    const syncsNeeded = () => (plan.type === 'sync' && count('error') === 0 ? 2 : 1);
    try {
      await peer.until(() => peer.left !== null || count('sync') >= syncsNeeded(), 'the reply to the barrier sync');
    } catch (error) {
      this.note(plan, 'no reply');
      this.fail(`${String(error)} after ${peer.label} sent ${String(plan.type)} ${show(plan.payload)}`);
    }
    const replies = since();
    const errors = replies.filter((entry) => entry.type === 'error');
    const flagFell = replies.some((entry) => entry.type === 'timeout');
    this.note(plan, errors.length > 0 ? `error ${errors.map((entry) => entry.message?.code).join(',')}` : flagFell ? 'ok (flag fell)' : 'ok');
    this.check(peer.left === null, () => `${peer.label} was disconnected (${JSON.stringify(peer.left)}) by ${String(plan.type)} ${show(plan.payload)}`);
    this.check(errors.length <= 1, `one message got ${errors.length} error replies`);

    const stateAfter = this.serverState();
    const changed = this.match !== matchBefore || stateAfter.version !== stateBefore.version;
    if (errors.length === 1) {
      const reply = errors[0]!.message as { code?: unknown; message?: unknown; type?: unknown };
      this.counters.refused.set(String(reply.code), (this.counters.refused.get(String(reply.code)) ?? 0) + 1);
      this.check(typeof reply.code === 'string' && reply.code.length > 0, `error reply without a code: ${JSON.stringify(reply)}`);
      this.check(typeof reply.message === 'string' && reply.message.length > 0, `error reply without a message: ${JSON.stringify(reply)}`);
      this.check(typeof reply.type === 'string' && (reply.type.length > 0 || plan.type === '*'), `error reply without the message type: ${JSON.stringify(reply)}`);
      // The reply names the type, perhaps cut short. The protocol cannot carry an empty type (it
      // arrives as undefined), and "*" is special (see expectationFor).
      if (typeof plan.type === 'string' && plan.type !== '' && plan.type !== '*') {
        const named = reply.type as string;
        this.check(named.length > 0 && plan.type.startsWith(named), `error reply names type ${JSON.stringify(named)} for ${JSON.stringify(plan.type)}`);
      }
      if (!flagFell) {
        this.check(!changed, () => `refused ${String(plan.type)} (${String(reply.code)}) but the state changed: version ${stateBefore.version} -> ${stateAfter.version}`);
        this.check(JSON.stringify(stateAfter) === JSON.stringify(stateBefore), `refused ${String(plan.type)} but the schema state differs`);
        this.check(plan.expect.outcome !== 'accept', () => `refused ${String(plan.type)} ${show(plan.payload)} from ${plan.peer.label} with ${String(reply.code)} "${String(reply.message)}"; the engine accepts it`);
        if (plan.expect.outcome === 'refuse' && plan.expect.code !== null) {
          this.check(reply.code === plan.expect.code, `refused with ${String(reply.code)} ("${String(reply.message)}"), expected ${plan.expect.code}`);
        }
      }
    } else {
      this.counters.accepted++;
      // An action that arrives after the flag fell ends the match and gets no reply of its own:
      // the 'timeout' broadcast and the state tell the client.
      if (flagFell && isMessageType(plan.type) && plan.type !== 'chat' && plan.type !== 'sync') bump(this.counters.outcomes, 'action answered by a flag fall');
      if (!flagFell) {
        this.check(plan.expect.outcome !== 'refuse', () => `accepted ${String(plan.type)} ${show(plan.payload)} from ${plan.peer.label}; expected a refusal with ${(plan.expect as { code: string }).code}`);
        if (plan.type !== 'chat' && plan.type !== 'sync') {
          this.check(changed && stateAfter.version > stateBefore.version, `accepted ${String(plan.type)} but the state did not move on`);
        }
      }
      if (plan.type === 'chat') this.checkChat(peer, plan, replies);
    }
    this.checkSyncReplies(plan, replies, barrierVersion);
    this.countEvents(plan, matchBefore);
    // A timer (the flag falling) may have moved the match on meanwhile, its patch held until written.
    await this.settle();
    this.checkRoom();
    // The sender has every patch the room sent before the barrier's reply.
    await this.checkSenderState(peer);
  }

  /** A burst: every reply well formed, nobody disconnected, the room consistent. */
  private async performBurst(plan: Plan): Promise<void> {
    const { peer } = plan;
    const messages = [{ type: String(plan.type), payload: plan.payload }, ...plan.then!];
    await peer.pace(messages.length + 1);
    const mark = peer.inbox.length;
    for (const message of messages) peer.send(message.type, message.payload);
    peer.send('sync', { version: peer.version });
    this.counters.messages += messages.length;
    this.counters.barriers++;
    bump(this.counters.kinds, 'burst', messages.length);
    const since = () => peer.inbox.slice(mark);
    try {
      await peer.until(() => peer.left !== null || since().some((entry) => entry.type === 'sync'), 'the reply to the barrier sync');
    } catch (error) {
      this.note(plan, 'no reply');
      this.fail(`${String(error)} after a burst from ${peer.label}: ${messages.map((message) => `${message.type} ${show(message.payload)}`).join(', ')}`);
    }
    const errors = since().filter((entry) => entry.type === 'error');
    this.note(plan, `burst of ${messages.map((message) => `${message.type} ${show(message.payload)}`).join(', ')} -> ${errors.length} errors ${errors.map((entry) => entry.message?.code).join(',')}`);
    this.check(peer.left === null, () => `${peer.label} was disconnected (${JSON.stringify(peer.left)}) by a burst`);
    this.check(errors.length <= messages.length, `${messages.length} messages got ${errors.length} error replies`);
    for (const { message: reply } of errors) {
      this.check(typeof reply?.code === 'string' && reply.code.length > 0 && typeof reply.message === 'string' && reply.message.length > 0, `malformed error reply ${JSON.stringify(reply)}`);
      bump(this.counters.refused, String(reply.code));
    }
    this.counters.accepted += messages.length - errors.length;
    for (const entry of since()) if (entry.type === 'chat' && entry.message?.name !== undefined && entry.message.seat === (peer.seat ?? -1)) this.noteChat(peer, entry);
    await this.settle();
    this.checkRoom();
    await this.checkSenderState(peer);
  }

  private async checkSenderState(peer: Peer): Promise<void> {
    if (peer.version !== this.serverRoom.state.version) {
      await peer.until(() => peer.version >= this.serverRoom.state.version, 'its state to catch up').catch((error: unknown) => this.fail(String(error)));
    }
    const server = this.serverState();
    if (peer.version === server.version) {
      this.check(JSON.stringify(peer.state) === JSON.stringify(server), () => `${peer.label}'s state differs from the server's:\n    client ${JSON.stringify(peer.state)}\n    server ${JSON.stringify(server)}`);
    }
  }

  private note(plan: Plan, outcome: string): void {
    this.log.push(`#${this.step} ${plan.peer.label} ${plan.kind} ${JSON.stringify(plan.type)} ${show(plan.payload)} -> ${outcome}`);
    if (this.log.length > 200) this.log.splice(0, 100);
  }

  private checkChat(peer: Peer, plan: Plan, replies: Inbound[]): void {
    const text = (plan.payload as { text: string }).text.trim();
    const heard = replies.find((entry) => entry.type === 'chat' && entry.message?.text === text && entry.message?.name !== undefined);
    this.check(heard, `an accepted chat message was not broadcast back to its sender`);
    this.check(heard.message.seat === (peer.seat ?? -1), `chat from ${peer.label} broadcast with seat ${heard.message.seat}`);
    this.noteChat(peer, heard);
  }

  /**
   * At most 5 chat messages of one client in any 10 seconds, by the server's own timestamps. The
   * broadcast's time is read a moment after the limiter's, so a few milliseconds are allowed for.
   */
  private noteChat(peer: Peer, heard: Inbound): void {
    this.counters.chats++;
    const at = heard.message.at as number;
    this.check(Number.isFinite(at), `chat broadcast without a time: ${JSON.stringify(heard.message)}`);
    const times = this.acceptedChats.get(peer) ?? [];
    times.push(at);
    this.acceptedChats.set(peer, times);
    const recent = times.filter((time) => at - time < 10_000 - 50);
    this.check(recent.length <= 5, `${peer.label} got ${recent.length} chat messages through in 10 seconds`);
  }

  private checkSyncReplies(plan: Plan, replies: Inbound[], barrierVersion: number): void {
    const syncs = replies.filter((entry) => entry.type === 'sync').map((entry) => entry.message as { version: number; upToDate: boolean; state?: WireJson });
    const asked = syncs.length === 2 ? [(plan.payload as { version: number }).version, barrierVersion] : [barrierVersion];
    const server = this.serverState();
    syncs.forEach((reply, index) => {
      this.check(typeof reply.version === 'number' && typeof reply.upToDate === 'boolean', `malformed sync reply ${show(reply)}`);
      this.check(reply.upToDate === (reply.version === asked[index]), `sync for version ${asked[index]} answered upToDate=${reply.upToDate} at version ${reply.version}`);
      if (!reply.upToDate) {
        this.check(reply.state?.version === reply.version, `a sync reply's state has version ${reply.state?.version}, not ${reply.version}`);
        if (reply.version === server.version) {
          this.check(JSON.stringify(reply.state) === JSON.stringify(server), `a sync reply's state differs from the room's`);
        }
      }
    });
  }

  private countEvents(plan: Plan, matchBefore: MatchState): void {
    if (plan.type === 'rematch' && matchBefore.phase === 'over' && this.match.phase !== 'over') this.counters.rematches++;
    if (this.match !== matchBefore && typeof plan.type === 'string') bump(this.counters.outcomes, `action ${plan.type}`);
  }

  /** The room's own checks: the server state and the engine state, every client, the log. */
  checkRoom(): void {
    const state = this.serverState();
    for (const problem of this.watch.observe(state)) this.fail(`server state: ${problem}`);
    for (const problem of mirrorProblems(this.match, state)) this.fail(`schema vs engine: ${problem}`);
    this.check(state.spectators === this.spectators.length, `the state counts ${state.spectators} spectators, ${this.spectators.length} are connected`);
    this.check(state.players.every((player) => player.connected), `a player shows as disconnected: ${JSON.stringify(state.players)}`);
    for (const peer of this.peers) {
      this.check(peer.connected(), () => `${peer.label} was disconnected: ${JSON.stringify(peer.left)}`);
      this.check(peer.stateProblems.length === 0, () => `client state: ${peer.stateProblems.join('; ')}`);
    }
    this.check(this.serverRoom.clients.length === this.peers.length, `the server room has ${this.serverRoom.clients.length} clients, not ${this.peers.length}`);
    this.check(this.consoleErrors.length === 0, `console.error was called: ${this.consoleErrors[0]?.slice(0, 300)}`);
  }

  /** Every client catches up with the room, holds the same state, and heard the same broadcasts. */
  async converge(): Promise<void> {
    const broadcasts = (peer: Peer) => peer.inbox.slice(this.broadcastStart.get(peer)).filter((entry) => BROADCASTS.has(entry.type));
    try {
      await waitFor(
        this.peers,
        () => {
          // The room holds what it sends until the match's events are written.
          if (this.serverRoom.outbox.waiting > 0) return false;
          const version = this.serverRoom.state.version as number;
          const heard = this.peers.map((peer) => broadcasts(peer).length);
          return this.peers.every((peer) => peer.version === version) && heard.every((count) => count === heard[0]);
        },
        'every client to catch up',
        REPLY_TIMEOUT_MS,
      );
    } catch (error) {
      this.fail(`${String(error)}: versions ${this.peers.map((peer) => peer.version)} (server ${this.serverRoom.state.version})`);
    }
    const server = JSON.stringify(this.serverState());
    const first = JSON.stringify(broadcasts(this.peers[0]!).map((entry) => [entry.type, entry.message]));
    for (const peer of this.peers) {
      this.check(JSON.stringify(peer.state) === server, `${peer.label}'s state differs from the server's after catching up`);
      this.check(JSON.stringify(broadcasts(peer).map((entry) => [entry.type, entry.message])) === first, `${peer.label} heard different broadcasts from ${this.peers[0]!.label}`);
    }
    this.checkRoom();
  }

  /**
   * The players stop and the clock of the player to act runs out: the room's timer ends the match,
   * or (late) that player acts just after the flag fell, and the room must notice before applying it.
   */
  private async waitForFlag(late: boolean): Promise<void> {
    // After a match, both players ask for a rematch first.
    for (let asked = 0; asked < 2 && this.match.phase === 'over'; asked++) await this.perform(this.nextValidPlan()!);
    const match = this.match;
    this.check(match.phase !== 'over', 'no rematch started');
    const loser = seatToAct(match)!;
    const watcher = this.peers[0]!;
    const mark = watcher.inbox.length;
    if (late) {
      // When the flag falls, from the clock as the state shows it: the delay, then the reserve.
      const state = this.serverState() as WireJson & { clockSeat: number; clockStartedAt: number; clockDelayMs: number; players: { reserveMs: number }[] };
      this.check(state.clockSeat === loser, `seat ${loser} is to act but the clock of seat ${state.clockSeat} runs`);
      const fallsAt = state.clockStartedAt + state.clockDelayMs + state.players[loser]!.reserveMs;
      // Sleep until just before, then hold the event loop until the flag has fallen, so that the
      // room's timer (which runs on the patch tick) is less likely to notice first.
      await sleep(Math.max(0, fallsAt - Date.now() - 25));
      while (Date.now() <= fallsAt + 1) {
        // spin
      }
      const plan = this.nextValidPlan();
      if (plan) await this.perform(plan);
    }
    await watcher.until(() => watcher.inbox.slice(mark).some((entry) => entry.type === 'timeout'), 'a flag to fall', 10_000).catch((error: unknown) => this.fail(String(error)));
    const timeout = watcher.inbox.slice(mark).find((entry) => entry.type === 'timeout')!;
    this.check(timeout.message.seat === loser, `the flag fell for seat ${timeout.message.seat}; seat ${loser} was to act`);
    await this.converge();
    const after = this.match;
    this.check(
      after.phase === 'over' && after.forfeitedBy === loser && after.winner === otherSeat(loser),
      `after the flag fell: phase ${after.phase}, forfeited by ${after.forfeitedBy}, winner ${after.winner}`,
    );
  }
}

function summary(run: RoomRun): string {
  const { counters } = run;
  const refused = [...counters.refused].map(([code, count]) => `${code} ${count}`).join(', ');
  const outcomes = [...counters.outcomes].map(([what, count]) => `${what} ${count}`).join(', ');
  const kinds = [...counters.kinds].map(([kind, count]) => `${kind} ${count}`).join(', ');
  return `${run.profile.name} (seed ${run.seed}): ${counters.messages} messages (${kinds}; +${counters.barriers} barrier syncs), ${counters.accepted} accepted; refused: ${refused}; ${outcomes}; matches over ${counters.matchesOver}, rematches ${counters.rematches}, flags fallen ${counters.timeouts}, chats ${counters.chats}`;
}

async function joinPeer(label: string, room: Promise<SdkRoom<any, any>>): Promise<Peer> {
  const peer = new Peer(label, await room);
  await peer.until(() => peer.seated, 'its seat');
  return peer;
}

/** Opens a room: the creator takes seat 0, the next client seat 1, then the spectators. */
async function openRoom(profile: Profile): Promise<Peer[]> {
  const white = await joinPeer('seat0', sdkClient('white').create('match', { ...profile.options }));
  const black = await joinPeer('seat1', sdkClient('black').joinById(white.room.roomId));
  const peers = [white, black];
  for (let index = 1; index <= profile.spectators; index++) {
    peers.push(await joinPeer(`spectator${index}`, sdkClient(`watcher ${index}`).joinById(white.room.roomId, { spectate: true })));
  }
  assert.deepEqual(peers.map((peer) => peer.seat), [0, 1, ...Array.from({ length: profile.spectators }, () => null)]);
  return peers;
}

describe('match rooms under fuzzing', function () {
  this.timeout(120_000);
  let server: ColyseusTestServer;
  let open: Peer[] = [];
  const consoleErrors: string[] = [];
  const originalConsoleError = console.error;
  const originalConsoleWarn = console.warn;

  before(async () => {
    server = await bootServer();
    // Captured, not printed: every test fails with what was logged unless it expected it.
    console.error = console.warn = (...args: unknown[]) => {
      consoleErrors.push(args.map((arg) => (arg instanceof Error ? (arg.stack ?? arg.message) : typeof arg === 'string' ? arg : inspect(arg, { depth: 2 }))).join(' '));
    };
    // The server's log: warnings and errors count as much as anything printed.
    tapLog((line) => {
      const entry = JSON.parse(line) as { level: number; msg: string; err?: { stack?: string } };
      if (entry.level >= 40) consoleErrors.push(entry.err?.stack ?? entry.msg);
    });
  });
  after(async () => {
    console.error = originalConsoleError;
    console.warn = originalConsoleWarn;
    tapLog(null);
    await server.shutdown();
  });
  afterEach(async () => {
    await Promise.all(open.map((peer) => (peer.room.connection.isOpen ? peer.room.leave().catch(() => undefined) : undefined)));
    open = [];
    await server.cleanup();
    consoleErrors.length = 0;
  });

  it('keeps every room consistent and every client connected through thousands of random and malformed messages', async () => {
    const started = Date.now();
    const runs: RoomRun[] = [];
    for (const [index, profile] of PROFILES.entries()) {
      const peers = await openRoom(profile);
      open.push(...peers);
      runs.push(new RoomRun(profile, BASE_SEED + index, server, peers, consoleErrors));
    }
    let failed = false;
    const results = await Promise.allSettled(
      runs.map((run) =>
        run.run(() => failed).catch((error: unknown) => {
          failed = true;
          throw error;
        }),
      ),
    );
    const failure = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failure) throw failure.reason;

    for (const run of runs) run.tallyBroadcasts();
    const total = runs.reduce((sum, run) => sum + run.counters.messages, 0);
    if (process.env.FUZZ_REPORT) {
      console.log(`    ${total} fuzz messages in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      for (const run of runs) console.log(`    ${summary(run)}`);
    }
    assert.ok(total >= 5_000, `only ${total} messages were sent`);

    // The fuzzing reached every part of the protocol.
    const all = newCounters();
    for (const run of runs) {
      for (const [code, count] of run.counters.refused) bump(all.refused, code, count);
      for (const [what, count] of run.counters.outcomes) bump(all.outcomes, what, count);
      all.matchesOver += run.counters.matchesOver;
      all.rematches += run.counters.rematches;
      all.timeouts += run.counters.timeouts;
      all.chats += run.counters.chats;
    }
    const report = runs.map(summary).join('\n');
    for (const code of ['UNKNOWN_MESSAGE', 'INVALID_MESSAGE', 'SPECTATOR', 'INVALID_ACTION', 'ILLEGAL_MOVE', 'NOTHING_TO_UNDO', 'PLAY_INCOMPLETE', 'MATCH_NOT_OVER', 'CHAT_RATE_LIMITED']) {
      assert.ok((all.refused.get(code) ?? 0) > 0, `no message was refused with ${code}:\n${report}`);
    }
    for (const what of ['bearoff', 'drop', 'resignation', 'action double', 'action take', 'action beaver', 'action reject', 'action undo']) {
      assert.ok((all.outcomes.get(what) ?? 0) > 0, `never saw ${what}:\n${report}`);
    }
    assert.ok(all.matchesOver > 0 && all.rematches > 0 && all.timeouts > 0 && all.chats > 0, report);

    // The server is still serving: a newcomer can watch each room.
    for (const run of runs) {
      const newcomer = await joinPeer('newcomer', sdkClient().joinById(run.roomId, { spectate: true }));
      open.push(newcomer);
      await newcomer.until(() => newcomer.version === run.serverRoom.state.version, 'the state');
    }
  });

  /** A room for a directed case: no fuzzing, its clients and checks only. */
  async function directedRoom(name: string, spectators: number): Promise<RoomRun> {
    const profile: Profile = { name, options: { matchLength: 3, clock: false }, spectators, steps: 0, mix: MIX, resign: 0, double: 0, drop: 0, accept: 0 };
    const peers = await openRoom(profile);
    open.push(...peers);
    const run = new RoomRun(profile, BASE_SEED, server, peers, consoleErrors);
    await run.settle();
    run.rebaseline();
    run.checkRoom();
    return run;
  }

  /** Plays on with the actions the match waits for, checking each. */
  async function playOn(run: RoomRun, steps: number): Promise<void> {
    const before = run.serverState().version;
    for (let step = 0; step < steps; step++) {
      run.step++;
      const plan = run.nextValidPlan();
      assert.ok(plan, `nothing to play in phase ${run.match.phase}`);
      await run.perform(plan);
    }
    assert.ok(run.serverState().version > before, 'the match went on');
  }

  /** The chat message whose frame is exactly `bytes` long (or as close below as the string header allows). */
  function chatOfFrameSize(peer: Peer, bytes: number): { text: string } {
    let best = 0;
    for (let length = 3_000; length <= bytes; length++) {
      if (peer.frameBytes('chat', { text: 'x'.repeat(length) }) <= bytes) best = length;
    }
    return { text: 'x'.repeat(best) };
  }

  /** An oversized frame is logged in one line, without a stack trace; nothing else may have been logged. */
  async function expectFrameTooBigLogged(): Promise<void> {
    const started = Date.now();
    while (consoleErrors.length === 0 && Date.now() - started < 2_000) await sleep(10);
    await sleep(50);
    const logged = consoleErrors.splice(0);
    assert.equal(logged.length, 1, `the oversized frame was logged ${logged.length} times: ${logged.join('\n').slice(0, 600)}`);
    assert.match(logged[0]!, /^closed a WebSocket: Max payload size exceeded$/, `unexpected log: ${logged[0]!.slice(0, 300)}`);
  }

  /** A player the room disconnected keeps the seat, comes back with the reconnection token, and plays on. */
  async function comeBack(run: RoomRun, gone: Peer, token: string): Promise<void> {
    const seat = gone.seat!;
    const others = run.peers.filter((peer) => peer !== gone);
    await waitFor(others, () => others.every((peer) => peer.state.players[seat]?.connected === false), `everyone to see seat ${seat} disconnected`, REPLY_TIMEOUT_MS);
    assert.notEqual(run.match.phase, 'over', 'the dropped player forfeited at once');
    const back = new Peer(gone.label, await sdkClient().reconnect(token));
    open.push(back);
    back.seat = seat;
    back.seated = true;
    run.replacePeer(gone, back);
    await waitFor(run.peers, () => run.peers.every((peer) => peer.state.players?.[seat]?.connected === true), `seat ${seat} to be back`, REPLY_TIMEOUT_MS);
    await run.converge();
    run.rebaseline();
  }

  it('disconnects only a client that floods the room or sends a frame over 4 KiB; the others stay and the match goes on', async () => {
    const run = await directedRoom('flood and oversized frames', 3);
    const [, , flooder, atLimit, overLimit] = run.peers as [Peer, Peer, Peer, Peer, Peer];
    await playOn(run, 5);

    // 450 messages at once are within the limit: every one is answered.
    const answered = atLimit.inbox.length;
    for (let sent = 0; sent < 450; sent++) atLimit.send('sync', { version: atLimit.version });
    await atLimit.until(() => atLimit.inbox.slice(answered).filter((entry) => entry.type === 'sync').length === 450, '450 sync replies');
    assert.ok(atLimit.connected());
    await sleep(1_100);

    // A spectator sends 600 messages at once, more than 500 in a second.
    for (let sent = 0; sent < 600; sent++) flooder.send('sync', { version: flooder.version });
    await flooder.until(() => flooder.left !== null, 'the flood to be cut off');
    assert.equal(flooder.left!.code, 4002);
    await run.removeSpectator(flooder);
    await run.converge();
    await playOn(run, 5);

    // A frame of exactly 4096 bytes arrives (and is refused as too long a chat); one byte more disconnects.
    const chat = chatOfFrameSize(atLimit, FRAME_LIMIT);
    assert.equal(atLimit.frameBytes('chat', chat), FRAME_LIMIT);
    run.step++;
    await run.perform(run.planned(atLimit, 'large', 'chat', chat));
    assert.equal(atLimit.inbox.filter((entry) => entry.type === 'error').at(-1)?.message.code, 'INVALID_MESSAGE');
    overLimit.send('chat', { text: `${chat.text}x` });
    await overLimit.until(() => overLimit.left !== null, 'the oversized frame to be cut off');
    assert.equal(overLimit.left!.code, 1009);
    await expectFrameTooBigLogged();
    await run.removeSpectator(overLimit);
    await run.converge();
    await playOn(run, 5);

    // A player floods: disconnected like any dropped player, the seat held for them.
    const floodingPlayer = run.player(seatToAct(run.match)!);
    const floodToken = floodingPlayer.room.reconnectionToken;
    for (let sent = 0; sent < 600; sent++) floodingPlayer.send('sync', { version: floodingPlayer.version });
    await floodingPlayer.until(() => floodingPlayer.left !== null, 'the flood to be cut off');
    assert.equal(floodingPlayer.left!.code, 4002);
    await comeBack(run, floodingPlayer, floodToken);
    await playOn(run, 5);

    // A player sends a frame over 4 KiB: the same.
    const bigSender = run.player(seatToAct(run.match)!);
    const bigToken = bigSender.room.reconnectionToken;
    bigSender.send('move', { from: 24, to: 18, padding: 'p'.repeat(FRAME_LIMIT) });
    await bigSender.until(() => bigSender.left !== null, 'the oversized frame to be cut off');
    assert.equal(bigSender.left!.code, 1009);
    await expectFrameTooBigLogged();
    await comeBack(run, bigSender, bigToken);
    await playOn(run, 5);
    run.checkRoom();
  });

  it('answers a message typed "*" with an error, whatever its payload', async () => {
    // Colyseus routes a message typed "*" to the room's catch-all handler with the payload where
    // the type should be; a payload whose toString is not a function must not make the room throw.
    const run = await directedRoom('messages typed "*"', 0);
    const sender = run.peers[0]!;
    const payloads: unknown[] = [undefined, 'roll', 'sync', [1, 2], { valueOf: 1 }, { toString: 'x' }, { toString: 'x', valueOf: 'y' }];
    for (const payload of payloads) {
      const before = JSON.stringify(run.serverState());
      const mark = sender.inbox.length;
      await sender.pace(2);
      sender.send('*', payload);
      sender.send('sync', { version: sender.version });
      await sender.until(() => sender.inbox.slice(mark).some((entry) => entry.type === 'sync'), 'the reply to the barrier sync');
      const logged = consoleErrors.splice(0);
      assert.equal(logged.length, 0, `room.send('*', ${show(payload)}) made the room throw:\n${logged.join('\n').slice(0, 1_500)}`);
      const reply = sender.inbox.slice(mark).find((entry) => entry.type === 'error')?.message;
      assert.ok(reply && typeof reply.code === 'string' && reply.code.length > 0 && typeof reply.message === 'string' && reply.message.length > 0, `room.send('*', ${show(payload)}) got no error reply`);
      assert.equal(JSON.stringify(run.serverState()), before, 'the state changed');
      assert.ok(sender.connected(), 'the sender was disconnected');
    }
  });
});
