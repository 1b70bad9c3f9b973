import { randomUUID } from 'node:crypto';
import { JWT } from '@colyseus/auth';
import { Client, type Room as ClientRoom } from '@colyseus/sdk';
import jsonwebtoken from 'jsonwebtoken';
import { boot, type ColyseusTestServer } from '@colyseus/testing';
import { createAppConfig } from '../../src/app.config.js';
import { parseConfig } from '../../src/config.js';
import type { Services } from '../../src/services.js';
import { sharedTestServices } from './database.js';
import { playsWithDice, type Position, type Seat } from '../../src/engine/index.js';

/** The port test servers listen on; TAVLA_TEST_PORT moves it when 2568 is taken. */
export const TEST_PORT = Number(process.env.TAVLA_TEST_PORT ?? 2568);

/** A test server; its matches are recorded in the shared in-memory database unless `services` says otherwise. */
export async function bootServer(services?: Services, env: NodeJS.ProcessEnv = {}): Promise<ColyseusTestServer> {
  // Warnings and errors only, unless a test asks: the lines of every match would drown the test report.
  return boot(createAppConfig(parseConfig({ LOG_LEVEL: 'warn', ...env }), services ?? (await sharedTestServices())), TEST_PORT);
}

const accountIds = new Map<string, string>();
let unnamedAccounts = 0;

/**
 * An SDK client signed in as `name`: the same name is the same account within a test run, and
 * without a name every call is a new account. Its access token is signed with the server's
 * secret, so set up the server first; the tests of accounts and tokens get theirs over HTTP.
 */
export function sdkClient(name?: string, claims: { rating?: number } = {}): Client {
  const userName = name ?? `player-${++unnamedAccounts}`;
  const userId = accountIds.get(userName) ?? randomUUID();
  accountIds.set(userName, userId);
  const client = new Client(`ws://127.0.0.1:${TEST_PORT}`);
  const token = { sub: userId, name: userName, guest: true, rating: claims.rating ?? 1500, sid: randomUUID() };
  client.auth.token = jsonwebtoken.sign(token, JWT.settings.secret, { algorithm: 'HS256', expiresIn: '30m' });
  return client;
}

/** The fields of the wire state the tests read. */
export interface WireState {
  version: number;
  matchId: string;
  phase: string;
  turn: number;
  toAct: number;
  gameNumber: number;
  matchLength: number;
  score: number[];
  crawford: boolean;
  checkers0: number[];
  checkers1: number[];
  dice: number[];
  diceLeft: number[];
  canConfirm: boolean;
  cubeValue: number;
  cubeOwner: number;
  winner: number;
  spectators: number;
  diceCommitment: string;
  positionId: string;
  gnubgMatchId: string;
  lastEventSeq: number;
  players: { name: string; rating: number; connected: boolean; reserveMs: number; bot: boolean; wantsRematch: boolean; lastDice: number[]; lastDiceBlocked: boolean }[];
  toJSON(): Record<string, unknown>;
}

export type MatchClient = ClientRoom<unknown, WireState> & { seat: Seat | null; received: { type: string; message: any }[] };

/** Joins (or creates) a match room, records every message it receives, and waits to be told its seat. */
export async function enter(room: Promise<ClientRoom<any, any>>): Promise<MatchClient> {
  const joined = adopt(await room, null);
  await waitUntil(joined, () => joined.received.some((entry) => entry.type === 'seat'));
  return joined;
}

/** Records every message a joined (or reconnected) room receives. */
export function adopt(room: ClientRoom<any, any>, seat: Seat | null): MatchClient {
  const joined = room as MatchClient;
  joined.received = [];
  joined.seat = seat;
  joined.onMessage('*', (type, message) => {
    joined.received.push({ type: String(type), message });
    if (type === 'seat') joined.seat = (message as { seat: Seat | null }).seat;
  });
  joined.reconnection.enabled = false;
  joined.onLeave((code, reason) => joined.received.push({ type: 'left', message: { code, reason } }));
  return joined;
}

const DEFAULT_WAIT_MS = 5_000;

/** Resolves once `ready()` holds, checking after every state change and message. */
export function waitUntil(room: MatchClient, ready: () => boolean, what = 'a condition', timeoutMs = DEFAULT_WAIT_MS): Promise<void> {
  return new Promise((resolve, reject) => {
    if (ready()) return resolve();
    const timer = setTimeout(() => {
      clearInterval(poll);
      const recent = room.received.slice(-3).map((entry) => `${entry.type} ${JSON.stringify(entry.message)}`);
      reject(new Error(`timed out waiting for ${what} (connection ${room.connection.isOpen ? "open" : "closed"}, phase ${room.state.phase}, to act ${room.state.toAct}; last messages: ${recent.join('; ')})`));
    }, timeoutMs);
    const poll = setInterval(() => {
      if (!ready()) return;
      clearTimeout(timer);
      clearInterval(poll);
      resolve();
    }, 2);
  });
}

/** Waits for the next message of a type that arrives after this call. */
export async function nextMessage(room: MatchClient, type: string, timeoutMs = DEFAULT_WAIT_MS): Promise<any> {
  const seen = room.received.length;
  await waitUntil(room, () => room.received.slice(seen).some((entry) => entry.type === type), `a "${type}" message`, timeoutMs);
  return room.received.slice(seen).find((entry) => entry.type === type)!.message;
}

/** Sends a message that must be refused, and returns the error reply. */
export async function expectError(room: MatchClient, type: string, payload?: unknown): Promise<{ code: string; message: string; type: string }> {
  const reply = nextMessage(room, 'error');
  room.send(type, payload);
  return reply;
}

export function positionOf(state: WireState, seat: Seat): Position {
  const own = seat === 0 ? state.checkers0 : state.checkers1;
  const other = seat === 0 ? state.checkers1 : state.checkers0;
  return { player: [...own], opponent: [...other] };
}

/**
 * Whether the state a client was shown holds the events of `actions` accepted actions since the
 * event seq `before`: each accepted action is logged as one event at least. Counting versions
 * instead would be fooled by a publish that records nothing (a player seated, connected again).
 */
export function recorded(room: MatchClient, before: number, actions: number): boolean {
  return room.state.lastEventSeq >= before + actions;
}

/**
 * Sends the first legal play of the dice left to play, one checker at a time, and confirms it;
 * returns how many actions it sent. A turn cut short between two moves goes on with the dice it has left.
 */
export function sendFirstPlay(room: MatchClient): number {
  const moves = playsWithDice(positionOf(room.state, room.seat!), [...room.state.diceLeft])[0]?.moves ?? [];
  for (const move of moves) room.send('move', { from: move.from, to: move.to });
  room.send('confirm');
  return moves.length + 1;
}

/** Plays the first legal play of the roll in state, one checker at a time, and confirms it. */
export async function playFirstPlay(room: MatchClient): Promise<void> {
  const before = room.state.lastEventSeq;
  const sent = sendFirstPlay(room);
  await waitUntil(room, () => recorded(room, before, sent), 'the play to be confirmed');
}

/**
 * Whichever of the two players must act: rolls, or plays the first legal play. It waits until
 * every client has seen the newest version first: each client's patches arrive on a connection of
 * its own, so one may still see the match a step behind and name the wrong player to act.
 */
export async function playOneStep(players: readonly MatchClient[]): Promise<void> {
  const latest = Math.max(...players.map((player) => player.state.version));
  await Promise.all(players.map((player) => waitUntil(player, () => player.state.version >= latest, 'every client to see the same version')));
  const state = players[0]!.state;
  const actor = players.find((player) => player.seat === state.toAct);
  if (!actor) throw new Error(`nobody to act in phase ${state.phase}`);
  if (state.phase === 'rolling') {
    const before = actor.state.lastEventSeq;
    actor.send('roll');
    await waitUntil(actor, () => recorded(actor, before, 1), 'the roll');
  } else if (state.phase === 'moving') {
    await playFirstPlay(actor);
  } else {
    throw new Error(`no step for phase ${state.phase}`);
  }
}

export function leaveAll(rooms: readonly ClientRoom<any, any>[]): Promise<unknown> {
  return Promise.all(rooms.map((room) => (room.connection.isOpen ? room.leave().catch(() => undefined) : undefined)));
}

/** Sends a message that changes the match and waits until every given client has seen the change. */
export async function sendAndSettle(players: readonly MatchClient[], sender: MatchClient, type: string, payload?: unknown): Promise<void> {
  const before = sender.state.version;
  const errors = sender.received.length;
  sender.send(type, payload);
  await waitUntil(sender, () => sender.state.version > before || sender.received.slice(errors).some((entry) => entry.type === 'error'), `"${type}" to take effect`);
  const refused = sender.received.slice(errors).find((entry) => entry.type === 'error');
  if (refused) throw new Error(`"${type}" was refused: ${JSON.stringify(refused.message)}`);
  const target = sender.state.version;
  await Promise.all(players.map((player) => waitUntil(player, () => player.state.version >= target, 'the other clients to catch up')));
}

/** The client whose seat the match waits for. */
export function seatToActClient(players: readonly MatchClient[]): MatchClient {
  const toAct = players[0]!.state.toAct;
  const client = players.find((player) => player.seat === toAct);
  if (!client) throw new Error(`nobody to act (phase ${players[0]!.state.phase})`);
  return client;
}

/** A test server for a describe block: booted before, emptied after each test, shut down after. */
export interface TestTable {
  server: ColyseusTestServer;
  /** Rooms to leave after the current test. */
  readonly open: ClientRoom<any, any>[];
  /** Creates a match, seats its creator and 'bob', and waits until both see the opening roll. */
  seatTwo(options?: Record<string, unknown>): Promise<[MatchClient, MatchClient]>;
}

export function useTestServer(): TestTable {
  const table: TestTable = {
    server: undefined as unknown as ColyseusTestServer,
    open: [],
    async seatTwo(options = {}) {
      const first = await enter(sdkClient('alice').create('match', { clock: false, ...options }));
      const second = await enter(sdkClient('bob').joinById(first.roomId));
      table.open.push(first, second);
      await waitUntil(first, () => ['moving', 'rolling'].includes(first.state.phase), 'the opening roll');
      await waitUntil(second, () => second.state.version >= first.state.version, 'both clients to see the opening roll');
      return [first, second];
    },
  };
  before(async () => {
    table.server = await bootServer();
  });
  after(async () => {
    await table.server.shutdown();
  });
  afterEach(async () => {
    await leaveAll(table.open.splice(0));
    await table.server.cleanup();
  });
  return table;
}
