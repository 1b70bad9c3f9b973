/**
 * One connection to a match room: the state as plain values, the room's messages, and the
 * connection's health. Handlers go on as soon as the room is joined: the SDK drops messages of
 * types nobody listens to.
 */
import { Client, type Room } from '@colyseus/sdk';
import { accessToken } from './session.js';
import type { MoveMade } from './rules.js';

export type Seat = 0 | 1;

export interface PlayerView {
  name: string;
  colour: 'white' | 'black';
  rating: number;
  connected: boolean;
  bot: boolean;
  reserveMs: number;
  lastDice: number[];
  lastDiceBlocked: boolean;
  wantsRematch: boolean;
}

export interface MatchView {
  version: number;
  matchId: string;
  phase: string;
  gameNumber: number;
  matchLength: number;
  score: number[];
  crawford: boolean;
  turn: number;
  toAct: number;
  checkers: [number[], number[]];
  dice: number[];
  diceLeft: number[];
  moves: MoveMade[];
  canConfirm: boolean;
  cubeValue: number;
  cubeOwner: number;
  resignSeat: number;
  resignKind: string;
  players: PlayerView[];
  spectators: number;
  diceCommitment: string;
  winner: number;
  lastResult: string;
  clockDelayMs: number;
  clockSeat: number;
  clockStartedAt: number;
}

export interface Refusal {
  type: string;
  code: string;
  message: string;
}

export interface ChatLine {
  seat: number;
  name: string;
  text: string;
}

export interface MatchOver {
  winner: Seat | null;
  score: number[];
  forfeitedBy: Seat | null;
  fairDice: { serverSeed: string; commitment: string; clientSeeds: string[]; rollCount: number };
}

export type ConnectionHealth = 'connected' | 'reconnecting' | 'lost';

/** The wire state as the SDK decodes it (docs/protocol.md lists every field). */
type WireState = Record<string, unknown> & { players: Iterable<Record<string, unknown>>; moves: Iterable<MoveMade> };

const RECONNECTION_KEY = 'tavla.reconnection';
/** About a minute of tries: the default grace period a dropped player keeps the seat. */
const RECONNECT_ATTEMPTS = 16;

/** This browser's contribution to the fair dice: mixed into every roll, drawn after the server committed to its seed. */
function newDiceSeed(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** What sessionStorage keeps to get back into the match after a reload. */
interface SavedConnection {
  roomId: string;
  token: string;
  seat: Seat | null;
}

export class MatchConnection {
  seat: Seat | null = null;
  invite: { code: string; link: string } | null = null;
  view: MatchView | null = null;
  /** The commitment shown before the first roll, kept to check the revealed seed against. */
  firstCommitment: string | null = null;
  refusal: Refusal | null = null;
  notice = '';
  chat: ChatLine[] = [];
  over: MatchOver | null = null;
  health: ConnectionHealth = 'connected';
  /** The dice seed this page sent, to find among the match's seeds once they are revealed. */
  diceSeed: string | null = null;
  private listeners = new Set<() => void>();

  constructor(
    private readonly client: Client,
    public room: Room<unknown, WireState>,
    /** The seat held before a reload: the room does not tell it again on reconnecting. */
    seat: Seat | null = null,
  ) {
    this.seat = seat;
    this.attach(room);
    // Closing the page leaves for good only where that costs nothing: watching, or after the
    // match. A player's page that closes mid-match keeps the seat for the grace period (a reload).
    addEventListener('pagehide', () => {
      if (this.seat === null || this.view?.phase === 'over') void this.leave();
    });
  }

  get roomId(): string {
    return this.room.roomId;
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  send(type: string, payload?: unknown): void {
    this.refusal = null;
    this.room.send(type, payload);
  }

  /** Leaves on purpose: a player forfeits a match in progress. */
  async leave(): Promise<void> {
    sessionStorage.removeItem(RECONNECTION_KEY);
    await this.room.leave();
  }

  private changed(): void {
    this.listeners.forEach((listener) => listener());
  }

  private attach(room: Room<unknown, WireState>): void {
    this.remember(room);
    room.onStateChange((state) => {
      this.view = snapshot(state);
      if (this.firstCommitment === null && this.view.diceCommitment) this.firstCommitment = this.view.diceCommitment;
      this.changed();
    });
    room.onMessage('*', (type, payload) => this.receive(String(type), payload));
    room.onDrop(() => this.setHealth('reconnecting', 'The connection dropped: reconnecting…'));
    room.onReconnect(() => {
      this.remember(room);
      this.setHealth('connected', 'Reconnected.');
    });
    room.onLeave((code) => void this.left(code));
  }

  private remember(room: Room<unknown, WireState>): void {
    const saved: SavedConnection = { roomId: room.roomId, token: room.reconnectionToken, seat: this.seat };
    sessionStorage.setItem(RECONNECTION_KEY, JSON.stringify(saved));
  }

  private setHealth(health: ConnectionHealth, notice: string): void {
    this.health = health;
    this.notice = notice;
    this.changed();
  }

  /**
   * A close the SDK does not retry by itself (a connection younger than 5 seconds, or retries
   * used up): keep trying here, backing off, for as long as the room keeps the seat by default.
   */
  private async left(code: number): Promise<void> {
    if (code === 1000 || code === 4000 || this.view?.phase === 'over') return this.setHealth('lost', 'You left the match.');
    const token = this.room.reconnectionToken;
    for (let attempt = 1; attempt <= RECONNECT_ATTEMPTS; attempt++) {
      this.setHealth('reconnecting', `The connection closed: reconnecting (attempt ${attempt})…`);
      try {
        this.room = await this.client.reconnect<WireState>(token);
        this.attach(this.room);
        return this.setHealth('connected', 'Reconnected.');
      } catch {
        await new Promise((resolve) => setTimeout(resolve, Math.min(5000, 250 * 2 ** attempt)));
      }
    }
    this.setHealth('lost', 'The connection to the match is lost. Reload the page to try again.');
  }

  private receive(type: string, payload: unknown): void {
    const message = payload as Record<string, unknown>;
    if (type === 'seat') {
      this.seat = message.seat as Seat | null;
      this.remember(this.room);
      this.invite = (message.invite as MatchConnection['invite']) ?? this.invite;
      if (message.reason) this.notice = String(message.reason);
    } else if (type === 'error') {
      this.refusal = payload as Refusal;
    } else if (type === 'chat') {
      this.chat = [...this.chat, payload as ChatLine];
    } else if (type === 'match-over') {
      this.over = payload as MatchOver;
    } else if (type === 'opening-roll') {
      const [first, second] = message.dice as number[];
      this.notice = `Opening roll: ${this.nameOf(0)} ${first}, ${this.nameOf(1)} ${second}.`;
    } else if (type === 'no-move') {
      this.notice = `${this.nameOf(message.seat as number)} rolled ${(message.dice as number[]).join('-')} and could not move.`;
    } else if (type === 'game-over') {
      this.notice = `${this.nameOf(message.winner as number)} wins game ${String(message.game)}: ${String(message.points)} point(s) (${String(message.kind)}).`;
    } else if (type === 'timeout') {
      this.notice = `${this.nameOf(message.seat as number)} ran out of time.`;
    } else if (type === 'cancelled') {
      this.notice = `The match was cancelled: ${String(message.reason)}`;
    }
    this.changed();
  }

  nameOf(seat: number): string {
    return this.view?.players[seat]?.name || `Seat ${seat}`;
  }
}

function numbers(value: unknown): number[] {
  return [...(value as Iterable<number>)];
}

function snapshot(state: WireState): MatchView {
  const players = [...state.players].map((player) => ({
    name: String(player.name),
    colour: player.colour === 'black' ? 'black' : 'white',
    rating: Number(player.rating),
    connected: Boolean(player.connected),
    bot: Boolean(player.bot),
    reserveMs: Number(player.reserveMs),
    lastDice: numbers(player.lastDice),
    lastDiceBlocked: Boolean(player.lastDiceBlocked),
    wantsRematch: Boolean(player.wantsRematch),
  })) satisfies PlayerView[];
  return {
    version: Number(state.version),
    matchId: String(state.matchId),
    phase: String(state.phase),
    gameNumber: Number(state.gameNumber),
    matchLength: Number(state.matchLength),
    score: numbers(state.score),
    crawford: Boolean(state.crawford),
    turn: Number(state.turn),
    toAct: Number(state.toAct),
    checkers: [numbers(state.checkers0), numbers(state.checkers1)],
    dice: numbers(state.dice),
    diceLeft: numbers(state.diceLeft),
    moves: [...state.moves].map(({ from, to, hit }) => ({ from, to, hit })),
    canConfirm: Boolean(state.canConfirm),
    cubeValue: Number(state.cubeValue),
    cubeOwner: Number(state.cubeOwner),
    resignSeat: Number(state.resignSeat),
    resignKind: String(state.resignKind),
    players,
    spectators: Number(state.spectators),
    diceCommitment: String(state.diceCommitment),
    winner: Number(state.winner),
    lastResult: String(state.lastResult),
    clockDelayMs: Number(state.clockDelayMs),
    clockSeat: Number(state.clockSeat),
    clockStartedAt: Number(state.clockStartedAt),
  };
}

/** The SDK client for this server, signed in with a fresh access token. */
async function signedInClient(): Promise<Client> {
  const client = new Client(import.meta.env.VITE_TAVLA_SERVER ?? location.origin);
  const token = await accessToken();
  if (token) client.auth.token = token;
  return client;
}

export interface JoinOptions {
  invite?: string;
  spectate?: boolean;
}

/** Back into a match after a reload (the reconnection token), else joins it: the seat follows the account. */
export async function joinMatch(roomId: string, options: JoinOptions = {}): Promise<MatchConnection> {
  const client = await signedInClient();
  const saved = JSON.parse(sessionStorage.getItem(RECONNECTION_KEY) ?? 'null') as SavedConnection | null;
  if (saved?.roomId === roomId && !options.spectate) {
    try {
      return new MatchConnection(client, await client.reconnect<WireState>(saved.token), saved.seat);
    } catch {
      sessionStorage.removeItem(RECONNECTION_KEY);
    }
  }
  const diceSeed = options.spectate ? undefined : newDiceSeed();
  return seeded(new MatchConnection(client, await client.joinById<WireState>(roomId, { ...options, ...(diceSeed ? { diceSeed } : {}) })), diceSeed);
}

function seeded(connection: MatchConnection, diceSeed: string | undefined): MatchConnection {
  connection.diceSeed = diceSeed ?? null;
  return connection;
}

export interface NewMatchOptions {
  matchLength: number;
  private?: boolean;
  bot?: string;
}

export async function createMatch(options: NewMatchOptions): Promise<MatchConnection> {
  const client = await signedInClient();
  const diceSeed = newDiceSeed();
  return seeded(new MatchConnection(client, await client.create<WireState>('match', { ...options, diceSeed })), diceSeed);
}

/** Waits in the quick-match queue until paired, then takes the reserved seat. */
export async function quickMatch(matchLength: number, waiting: (players: number) => void, signal: AbortSignal): Promise<MatchConnection> {
  const client = await signedInClient();
  const diceSeed = newDiceSeed();
  const queue = await client.joinOrCreate('quickmatch', { matchLength, diceSeed });
  signal.addEventListener('abort', () => void queue.leave());
  return new Promise((resolve, reject) => {
    queue.onMessage('clients', (players: number) => waiting(players));
    queue.onMessage('seat', (reservation: Parameters<Client['consumeSeatReservation']>[0]) => {
      client
        .consumeSeatReservation<WireState>(reservation)
        .then((room) => {
          const connection = seeded(new MatchConnection(client, room), diceSeed);
          queue.send('confirm');
          resolve(connection);
        })
        .catch(reject);
    });
    queue.onLeave(() => signal.aborted && reject(new Error('You left the queue.')));
  });
}
