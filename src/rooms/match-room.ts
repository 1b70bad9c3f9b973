import { randomBytes, randomUUID } from 'node:crypto';
import { CloseCode, generateId, Room, type Client } from '@colyseus/core';
import {
  applyAction,
  assertMayRoll,
  endedGame,
  EngineError,
  legalMoves,
  newMatch,
  otherSeat,
  seatToAct,
  whyNoDouble,
  type Dice,
  type FairDice,
  type GameOutcome,
  type LoggedPlayer,
  type MatchAction,
  type MatchState,
  type Seat,
} from '../engine/index.js';
import type { SeatIntent } from '../bots/seat-player.js';
import type { ThinkingPool } from '../bots/thinking-pool.js';
import { botPlayer, type BotName } from '../bots/player.js';
import { botIdentity, needsThinkingThread, quickPlayer } from '../bots/thinking-players.js';
import { MatchStateSchema } from '../schema/match-state.js';
import { createMatchState, writeMatchState, type MatchView, type SeatHolder } from '../schema/write-match.js';
import { ChatLimiter } from './chat-limiter.js';
import { MatchClock } from './match-clock.js';
import { DurableOutbox, type WrittenSignal } from './durable-outbox.js';
import { SENDS_ITS_OWN_PATCHES_MS } from './patch-timer.js';
import { MatchRecorder, type Journal } from './match-recorder.js';
import { authenticateJoin } from './room-auth.js';
import type { AccessClaims } from '../auth/tokens.js';
import type { Logger } from 'pino';
import { log } from '../log.js';
import type { MatchStatus, Metrics } from '../metrics.js';
import type { Services } from '../services.js';
import type { AnalysisService } from '../analysis-service.js';
import { isMatchMessageType, parseMessage, type MatchMessage, type MatchMessageType } from './messages.js';
import type { MatchRoomMessage, MatchRoomMessageType } from './server-messages.js';
import { DEFAULT_MAX_SPECTATORS, InvalidOptionsError, isClientRefusal, JoinOptions, JoinRefusedError, MatchRoomOptions, parseOptions } from './match-options.js';
import { PlayerSeeds } from './dice-seeds.js';
import { claimSeats, type ReservedSeat } from './seat-reservations.js';
import type { SeedVault } from '../recovery/seed-vault.js';
import type { RebuiltMatch } from '../recovery/rebuild.js';
import type { JournalThread } from '../db/journal-thread.js';
import { takeRebuiltMatch } from '../recovery/resume-registry.js';
import type { HandOver, MovableRoom, MoveCause, RoomsHere } from '../recovery/handover.js';

interface SeatInfo {
  /** The account holding the seat; null for a bot or a player without one. */
  userId: string | null;
  name: string;
  rating: number;
  sessionId: string | null;
  connected: boolean;
  wantsRematch: boolean;
  bot: BotName | null;
  /** Matchmaking reserved this seat for the client with this session id. */
  reservedFor: string | null;
}

/** The journal as a room uses it: it records, holds sends until written, and takes back a match claimed here again. */
type RoomJournal = Journal & WrittenSignal & Pick<JournalThread, 'playsAgain'>;

interface ClientData {
  seat: Seat | null;
  name: string;
  userId: string;
}

/** How long a match made by matchmaking waits for both players: seat reservations last 15 s. */
const NO_SHOW_MS = 30_000;
/** How long a room closing on shutdown waits for its match's events to be written before it hands the match over. */
const WRITE_BEFORE_MOVING_MS = 5_000;
/** What clients are told when the match goes on in another room. */
const MOVING_REASONS: Readonly<Record<MoveCause, string>> = {
  shutdown: 'this server is shutting down: the match goes on in another room within seconds, join it',
  lapsed: 'this server lost touch with the others for a moment: the match goes on in another room within seconds, join it',
  taken: 'another server plays this match now: join it in its room there',
};
/** Why a connection that watched was closed: the account watches from a newer one. */
const WATCHING_ELSEWHERE = 'this account watches this match from another connection now';

type ActionIntent = Exclude<MatchMessageType, 'chat' | 'sync' | 'rematch' | 'dice-seed'>;

/**
 * One backgammon match. Each handler checks the message, asks the engine, writes the state
 * and sends the patch at once. Abuse that disconnects: frames that cannot be decoded and more
 * than `maxMessagesPerSecond` messages a second; every other bad message gets an `error` reply.
 */
export class MatchRoom extends Room<{ state: MatchStateSchema }> implements MovableRoom {
  /** Where the match's events go; set by `matchRoomWith`. */
  protected journal: RoomJournal | null = null;
  /** This process's figures; set by `matchRoomWith`. */
  protected metrics: Metrics | null = null;
  /** Where bots decide; without it they decide on the room's own thread. Set by `matchRoomWith`. */
  protected thinking: ThinkingPool | null = null;
  /** Keeps each match's dice seed sealed, so that another process can resume it; set by `matchRoomWith`. */
  protected seedVault: SeedVault | null = null;
  /** Told when a game ends, to analyse it; set by `matchRoomWith`. */
  protected analysis: Pick<AnalysisService, 'gameFinished'> | null = null;
  /** Lets go of the match for another room to continue it; set by `matchRoomWith`. */
  protected handOver: HandOver | null = null;
  /** The rooms of this process playing matches, this one among them while its match is played; set by `matchRoomWith`. */
  protected roomsHere: RoomsHere | null = null;

  /** Spectators admitted at most; players always get in. Set by `matchRoomWith`. */
  protected maxSpectators = DEFAULT_MAX_SPECTATORS;
  /** Far above what a person or a fast bot sends; a flood beyond it is disconnected. */
  override maxMessagesPerSecond = 500;

  constructor() {
    super();
    // Colyseus locks a room that reaches maxClients, and a locked room turns away a player coming
    // back from another device: this room never locks for its count and caps spectators itself.
    // Set here, not as a class field: see patches/@colyseus+core (a field would make the room a dictionary).
    this.maxClients = Number.POSITIVE_INFINITY;
  }

  private options!: MatchRoomOptions;
  private match!: MatchState;
  private fairDice!: FairDice;
  /** The seeds of the match about to start, or being played; once it is over, the rematch's. */
  private diceSeeds = new PlayerSeeds();
  /** The id the match is stored under, known to clients from the first patch. */
  private matchId = '';
  private matchClock: MatchClock | null = null;
  private recorder: MatchRecorder | null = null;
  /** The seq of the last event of a match that is over (its recorder is gone). */
  private endedAtSeq = 0;
  private shuttingDown = false;
  /** The match goes on in another room: this one takes no more actions, and closes. */
  private movingAway = false;
  private readonly seats: [SeatInfo | null, SeatInfo | null] = [null, null];
  private inviteCode = '';
  private lastResult = '';
  private listedAs = '';
  private readonly chat = new ChatLimiter();
  private botTimer: NodeJS.Timeout | null = null;
  /** Counts the bot's turns to act: a decision that arrives after the match moved on is dropped. */
  private botTurn = 0;
  private flagTimer: NodeJS.Timeout | null = null;
  private noShowTimer: NodeJS.Timeout | null = null;
  /** A continued match's players who are not back by then forfeit. */
  private returnTimer: NodeJS.Timeout | null = null;
  /** A continued match waits for both its players to come back before play goes on. */
  private awaitingReturn = false;
  /** Seats matchmaking arranged, seat 0 first; none for a match created by a player. */
  private reservedSeats: ReservedSeat[] | null = null;
  private outbox!: DurableOutbox;
  /** When the message being handled arrived; null outside a message's handling. */
  private messageArrivedAt: number | null = null;
  /** Whether the message being handled published a patch, which observes its time when it leaves. */
  private messagePublished = false;

  override async onCreate(rawOptions: unknown): Promise<void> {
    this.state = createMatchState();
    this.outbox = new DurableOutbox(this.journal, (error) => this.onUncaughtException(error, 'send'));
    // The state changes only in publish(), which sends the patch itself.
    this.patchRate = SENDS_ITS_OWN_PATCHES_MS;
    const rebuilt = takeRebuiltMatch(this.roomId);
    if (rebuilt) this.continueMatch(rebuilt);
    else await this.createMatch(rawOptions);
    if (this.options.private) void this.setPrivate(true);
    this.onMessage('*', (client, type, payload) => this.timed(() => this.receive(client, type, payload)));
    this.publish();
  }

  private async createMatch(rawOptions: unknown): Promise<void> {
    this.options = parseOptions(MatchRoomOptions, rawOptions, 'match options');
    if (this.options.bots && (this.options.bot || this.options.reservation)) {
      throw new InvalidOptionsError('invalid match options: bots: two bots hold both seats, so neither bot nor reservation can be given with it');
    }
    if (this.options.reservation !== undefined) {
      this.reservedSeats = await claimSeats(this.presence, this.options.reservation);
      if (!this.reservedSeats) throw new InvalidOptionsError('invalid match options: reservation: no such seat reservation (unknown, used or expired)');
    }
    try {
      this.startNewMatch();
    } catch (error) {
      if (error instanceof EngineError) throw new InvalidOptionsError(`invalid match options: ${error.message}`);
      throw error;
    }
    this.reserveSeats();
    // Two bots play whether or not anyone watches; the room closes once the match is over and nobody does.
    if (this.options.bots) this.autoDispose = false;
    if (this.options.private || this.spectatorsNeedInvite()) this.inviteCode = randomBytes(6).toString('base64url');
    await this.keepDiceSeed();
    if (this.reservedSeats) this.noShowTimer = this.later(NO_SHOW_MS, () => this.cancelIfNoShow());
    this.startWhenSeated();
  }

  /**
   * Continues a match its log rebuilt after its process was gone (src/recovery), in a room with
   * the id it had. Play waits for both players to come back; one who has not within
   * `reconnectSeconds` forfeits, as after a drop. The room stays open for them meanwhile.
   */
  private continueMatch(rebuilt: RebuiltMatch): void {
    this.options = rebuilt.roomOptions;
    this.match = rebuilt.match;
    this.matchId = rebuilt.matchId;
    this.diceSeeds = PlayerSeeds.resumed(rebuilt.fairDice, rebuilt.clientSeeds, rebuilt.seedsDrawnByServer);
    this.fairDice = rebuilt.fairDice;
    this.matchClock = rebuilt.clock;
    this.inviteCode = rebuilt.inviteCode ?? '';
    rebuilt.players.forEach((player, seat) => {
      if (player.userId !== null) this.seats[seat] = { ...emptySeat(player.name, player.rating), userId: player.userId };
    });
    this.reserveSeats();
    this.journal?.playsAgain(this.matchId);
    this.beginRecording({ lastSeq: rebuilt.lastSeq, gameStartedAt: rebuilt.gameStartedAt });
    this.awaitingReturn = true;
    this.autoDispose = false;
    this.returnTimer = this.later(this.options.reconnectSeconds * 1000, () => this.forfeitAbsentPlayers());
  }

  private forfeitAbsentPlayers(): void {
    for (const seat of [0, 1] as const) {
      if (this.seats[seat]?.bot === null && this.seats[seat].sessionId === null) this.abandon(seat);
    }
    this.autoDispose = true;
    this.publish();
  }

  /** Both players are back in a continued match: play goes on, the clock of the seat to act runs again. */
  private playOnAfterReturn(): void {
    this.awaitingReturn = false;
    this.autoDispose = true;
    this.log.info('match resumed: both players are back');
    this.advance();
  }

  /** A matched player who never arrives: the match cannot start, so the room closes instead of waiting forever. */
  private cancelIfNoShow(): void {
    this.noShowTimer = null;
    if (this.bothSeated()) return;
    this.announce('cancelled', { reason: 'the matched opponent did not arrive' });
    void this.disconnect();
  }

  private startNewMatch(): void {
    this.match = newMatch({
      matchLength: this.options.matchLength,
      cube: this.options.cube,
      beavers: this.options.beavers,
      ...(this.options.jacoby === undefined ? {} : { jacoby: this.options.jacoby }),
    });
    this.fairDice = this.diceSeeds.dice;
    this.matchId = randomUUID();
    this.endedAtSeq = 0;
    this.matchClock = this.options.clock === false ? null : new MatchClock(this.options.matchLength, this.options.clock);
    this.lastResult = '';
  }

  private reserveSeats(): void {
    this.reservedSeats?.forEach((reserved, seat) => {
      this.seats[seat] = { ...emptySeat(reserved.name, reserved.rating), userId: reserved.userId, reservedFor: reserved.sessionId };
    });
    const bots = this.options.bots ?? [null, this.options.bot ?? null];
    bots.forEach((bot, seat) => {
      if (bot) this.seats[seat] = { ...botSeat(bot), reservedFor: this.seats[seat]?.reservedFor ?? null };
    });
    if (bots.some((bot) => bot && needsThinkingThread(bot))) this.thinking?.warm();
  }

  override onJoin(client: Client, rawOptions: unknown, who: AccessClaims): void {
    const options = parseOptions(JoinOptions, rawOptions, 'join options');
    const seat = this.seatFor(client, options, who);
    if (seat === null) this.admitSpectator(client, options, who);
    client.userData = { seat, name: who.name, userId: who.sub } satisfies ClientData;
    this.tellSeat(client, seat);
    if (options.diceSeed !== undefined) this.receiveDiceSeed(client, seat, options.diceSeed);
    this.tellDiceSeeds(client);
    this.startWhenSeated();
    this.publish();
  }

  /** Private matches, and public ones whose creator asked, are watched with the invite code only. */
  private spectatorsNeedInvite(): boolean {
    return (this.options.spectators ?? (this.options.private ? 'invite' : 'anyone')) === 'invite';
  }

  /**
   * Lets a spectator in, or refuses the join: without the invite code where watching needs it, or
   * when the match has all the spectators it admits. An account watches from one connection, its
   * newest, which takes the place of the one before.
   */
  private admitSpectator(client: Client, options: JoinOptions, who: AccessClaims): void {
    if (this.spectatorsNeedInvite() && options.invite !== this.inviteCode) {
      throw new JoinRefusedError('INVITE_REQUIRED', 'watching this match needs its invite code');
    }
    const watchers = this.clients.filter((other) => other !== client && seatOfClient(other) === null);
    const watchingAlready = watchers.some((other) => userIdOfClient(other) === who.sub);
    if (!watchingAlready && watchers.length >= this.maxSpectators) {
      throw new JoinRefusedError('SPECTATORS_FULL', `this match has ${this.maxSpectators} spectators, as many as it admits`);
    }
    this.keepOneWatcher(who.sub, client);
  }

  /** The account's other connections that watch are closed: `keep` watches (or plays) for it now. */
  private keepOneWatcher(userId: string, keep: Client): void {
    for (const other of this.clients) {
      if (other !== keep && seatOfClient(other) === null && userIdOfClient(other) === userId) other.leave(CloseCode.CONSENTED, WATCHING_ELSEWHERE);
    }
  }

  private tellSeat(client: Client, seat: Seat | null, reason?: string): void {
    const colour = seat === null ? null : seat === 0 ? 'white' : 'black';
    this.tell(client, 'seat', { seat, colour, matchId: this.matchId, invite: this.inviteFor(seat), reason });
  }

  /** The creator of a private match gets the code (and link) that lets a friend take the other seat. */
  private inviteFor(seat: Seat | null): { code: string; link: string } | undefined {
    if (seat !== 0 || !this.inviteCode) return undefined;
    return { code: this.inviteCode, link: `/match/${this.roomId}?invite=${this.inviteCode}` };
  }

  /**
   * Takes the client's seat: the one its account already holds (coming back from another device),
   * its reserved one, the invited one, the first free one, or none (watching).
   */
  private seatFor(client: Client, options: JoinOptions, who: AccessClaims): Seat | null {
    const own = this.seats.findIndex((info) => info?.userId === who.sub);
    if (own >= 0) return this.moveSeat(own as Seat, client);
    const reserved = this.seats.findIndex((info) => info?.reservedFor === client.sessionId);
    if (reserved >= 0) return this.occupy(reserved as Seat, client, who);
    if (options.spectate || this.reservedSeats) return null;
    const free = this.seats.findIndex((info) => info === null);
    if (free < 0) return null;
    if (free === 1 && this.options.private && options.invite !== this.inviteCode) return null;
    return this.occupy(free as Seat, client, who);
  }

  private occupy(seat: Seat, client: Client, who: AccessClaims): Seat {
    this.seats[seat] = {
      ...emptySeat(who.name, who.rating),
      userId: who.sub,
      sessionId: client.sessionId,
      connected: true,
      reservedFor: this.seats[seat]?.reservedFor ?? null,
    };
    return seat;
  }

  /** The seat's account joined again (another device, a new tab): the new connection plays, an old one watches. */
  private moveSeat(seat: Seat, client: Client): Seat {
    const info = this.seats[seat]!;
    const previous = this.clients.find((other) => other.sessionId === info.sessionId);
    if (previous) this.demote(previous, seat);
    if (previous && info.userId) this.keepOneWatcher(info.userId, previous);
    info.sessionId = client.sessionId;
    info.connected = true;
    return seat;
  }

  private demote(client: Client, seat: Seat): void {
    (client.userData as ClientData).seat = null;
    this.tellSeat(client, null, `seat ${seat} is now played from another connection of your account`);
  }

  override onDrop(client: Client): void {
    const seat = seatOfClient(client);
    if (seat === null) return this.publish();
    this.seats[seat]!.connected = false;
    this.publish();
    // When the grace period runs out, Colyseus calls onLeave, which forfeits the match.
    this.allowReconnection(client, this.options.reconnectSeconds).catch(() => undefined);
  }

  override onReconnect(client: Client): void {
    const seat = seatOfClient(client);
    if (seat !== null && this.seats[seat]!.sessionId !== client.sessionId) {
      this.demote(client, seat);
    } else {
      if (seat !== null) this.seats[seat]!.connected = true;
      this.tellSeat(client, seat);
    }
    this.tellDiceSeeds(client);
    this.publish();
  }

  override onLeave(client: Client): void {
    this.chat.forget(client.sessionId);
    const seat = seatOfClient(client);
    if (seat !== null && this.seats[seat]!.sessionId === client.sessionId) this.abandon(seat);
    this.publish();
    this.disposeWhenUnwatched();
  }

  /** A match between two bots that is over and that nobody watches closes its room. */
  private disposeWhenUnwatched(): void {
    if (this.options.bots && this.match.phase === 'over' && this.clients.length === 0) void this.disconnect();
  }

  /**
   * A server going down is nobody's fault: its matches are not forfeited by whoever is disconnected
   * first, but handed over to go on in another room.
   */
  override onBeforeShutdown(): void {
    this.shuttingDown = true;
    if (this.inProgress()) void this.moveAway('shutdown');
    else super.onBeforeShutdown();
  }

  /**
   * The match goes on in another room, on whichever process claims it next (see
   * src/recovery/handover.ts): the room stops taking actions, lets the match go (on shutdown once
   * its events are written), tells its clients `moving` with the room to join, and closes.
   */
  async moveAway(cause: MoveCause): Promise<void> {
    if (this.movingAway || !this.inProgress()) return;
    this.movingAway = true;
    this.shuttingDown = true;
    this.stopTimers();
    this.log.warn({ cause }, 'the match moves to another room');
    const matchId = this.matchId;
    if (cause === 'shutdown') await this.eventsWritten(WRITE_BEFORE_MOVING_MS);
    const roomId = await this.handOver?.(matchId, generateId()).catch((error: unknown) => {
      this.log.error({ err: error }, 'the match could not be handed over: it is taken over once this process is gone');
      return null;
    });
    // Straight to the clients, not through the outbox: it shows nothing, and what waits there for events another process refused never leaves.
    if (roomId) this.broadcast('moving', { matchId, roomId, reason: MOVING_REASONS[cause] } satisfies MatchRoomMessage<'moving'>);
    await this.disconnect(CloseCode.SERVER_SHUTDOWN);
  }

  /** The match has started here and is not over: its events are recorded by this room. */
  private inProgress(): boolean {
    return this.recorder !== null && this.match.phase !== 'over';
  }

  /** Resolves once the match's events so far are written, or after `limitMs`. */
  private eventsWritten(limitMs: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, limitMs);
      this.journal?.afterWritten(this.matchId, () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** Log lines about this match carry its room, its match id and its players' accounts. */
  private get log(): Logger {
    return log.child({ roomId: this.roomId, matchId: this.matchId, userIds: this.seats.map((info) => info?.userId ?? null) });
  }

  /** A bug must not take the match down: log it; the state stays as the last good action left it. */
  override onUncaughtException(error: unknown, methodName: string): void {
    if (isClientRefusal(error)) return;
    // Only the cause: Colyseus's wrapper also carries the handler's arguments, reconnection tokens included.
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
    this.log.error({ err: cause, method: methodName }, `uncaught error in ${methodName}`);
  }

  override onDispose(): void {
    this.stopTimers();
    this.roomsHere?.delete(this.matchId, this);
    this.metrics?.matchRoomGone(this);
  }

  private stopTimers(): void {
    this.botTurn += 1;
    for (const timer of [this.botTimer, this.flagTimer, this.noShowTimer, this.returnTimer]) if (timer) clearTimeout(timer);
  }

  /**
   * A Node timer, not the room clock: the handler sends patches at once, and a patch sent from
   * inside a room-clock callback would tick that clock again while it runs.
   */
  private later(delayMs: number, handler: () => void): NodeJS.Timeout {
    return setTimeout(() => {
      try {
        handler();
      } catch (error) {
        this.onUncaughtException(error, 'timer');
      }
    }, delayMs);
  }

  /**
   * A player gone for good (left, or never came back): they forfeit a match in progress; before
   * the first roll their seat is free again for someone else.
   */
  private abandon(seat: Seat): void {
    const info = this.seats[seat];
    if (!info || this.shuttingDown) return;
    info.connected = false;
    if (!this.hasStarted()) {
      this.diceSeeds.withdraw(seat);
      this.seats[seat] = info.reservedFor ? { ...emptySeat(info.name, info.rating), reservedFor: info.reservedFor } : null;
    } else if (this.match.phase !== 'over') {
      this.perform({ type: 'forfeit', seat });
    }
  }

  private hasStarted(): boolean {
    return this.match.games.length > 1 || this.match.games[0]!.events.length > 0 || this.match.phase !== 'opening';
  }

  private bothSeated(): boolean {
    return this.seats.every((info) => info !== null && (info.bot !== null || info.sessionId !== null));
  }

  private startWhenSeated(): void {
    if (!this.bothSeated()) return;
    if (this.awaitingReturn) return this.playOnAfterReturn();
    if (!this.hasStarted()) this.begin();
  }

  /** A match starts: its dice seeds are fixed and told to everyone, its recording begins, the opening roll follows. */
  private begin(): void {
    this.announce('dice-seeds', this.diceSeeds.fix());
    this.log.info({ matchLength: this.options.matchLength }, 'match started');
    this.beginRecording();
    this.advance();
  }

  /** The dice just committed to are kept sealed, before any roll, so that the match can be resumed should this process die. */
  private async keepDiceSeed(): Promise<void> {
    if (!this.seedVault) return;
    const { reservation, diceSeed, spectate, invite, ...roomOptions } = this.options;
    const kept = await this.seedVault.tryKeep(this.diceSeeds.dice, roomOptions, this.inviteCode || null);
    if (!kept) this.log.warn({ commitment: this.diceSeeds.dice.commitment }, 'the dice seed could not be kept: this match cannot be resumed should this process die');
  }

  /** Someone joining (or coming back) after the seeds were fixed is told them, as the others were. */
  private tellDiceSeeds(client: Client): void {
    const notice = this.diceSeeds.notice;
    if (notice) this.tell(client, 'dice-seeds', notice);
  }

  /** A player's seed for the dice of the match about to start (or, once a match is over, of the rematch). */
  private receiveDiceSeed(client: Client, seat: Seat | null, seed: string): void {
    if (seat === null) return this.refuse(client, 'dice-seed', 'SPECTATOR', 'spectators watch: only the two players send dice seeds');
    if (!this.diceSeeds.open) {
      return this.refuse(client, 'dice-seed', 'SEEDS_FIXED', 'the dice seeds were fixed when the match started: send yours before it starts (or for a rematch, once the match is over)');
    }
    this.diceSeeds.offer(seat, seed);
    this.tell(client, 'dice-seed', { seat, seed, commitment: this.diceSeeds.dice.commitment });
  }

  /** `continuing`: where the log of a continued match left off. */
  private beginRecording(continuing?: ConstructorParameters<typeof MatchRecorder>[2]): void {
    if (!this.journal) return;
    this.recorder = new MatchRecorder(this.journal, {
      matchId: this.matchId,
      roomId: this.roomId,
      match: this.match,
      players: [loggedPlayer(this.seats[0]!), loggedPlayer(this.seats[1]!)],
      rated: this.options.rated,
      private: this.options.private,
      fairDice: this.fairDice,
      diceSeedsDrawnByServer: this.diceSeeds.notice?.drawnByServer,
    }, continuing);
    this.roomsHere?.add(this.matchId, this);
  }

  private receive(client: Client, type: unknown, payload: unknown): void {
    // The clients are about to be told where the match goes on; an action here would be lost there.
    if (this.movingAway) return;
    if (!isMatchMessageType(type)) {
      const name = typeName(type);
      return this.refuse(client, name, 'UNKNOWN_MESSAGE', `unknown message type "${name}"`);
    }
    const parsed = parseMessage(type, payload);
    if (!parsed.ok) return this.refuse(client, type, 'INVALID_MESSAGE', parsed.message);
    if (type === 'chat') return this.receiveChat(client, parsed.value as MatchMessage<'chat'>);
    if (type === 'sync') return this.receiveSync(client, parsed.value as MatchMessage<'sync'>);
    const seat = seatOfClient(client);
    if (seat === null) return this.refuse(client, type, 'SPECTATOR', 'spectators watch: only the two players can act');
    if (type === 'rematch') return this.receiveRematch(client, seat);
    if (type === 'dice-seed') return this.receiveDiceSeed(client, seat, (parsed.value as MatchMessage<'dice-seed'>).seed);
    this.receiveIntent(client, seat, { type, ...(parsed.value as object) } as SeatIntent | { type: ActionIntent });
  }

  private receiveIntent(client: Client | null, seat: Seat, intent: { type: string; from?: number; to?: number; kind?: string }): void {
    if (!this.bothSeated()) return client ? this.refuse(client, intent.type, 'NOT_STARTED', 'the match starts when both players are seated') : undefined;
    if (this.flagHasFallen()) {
      return client ? this.refuse(client, intent.type, 'OUT_OF_TIME', 'a clock ran out of time: the match is over') : undefined;
    }
    try {
      this.perform(this.toAction(seat, intent));
    } catch (error) {
      if (!(error instanceof EngineError)) throw error;
      if (client) this.refuse(client, intent.type, error.code, error.message);
    }
  }

  /** The engine action for a message; a roll's dice come from the fair-dice sequence. */
  private toAction(seat: Seat, intent: { type: string; from?: number; to?: number; kind?: string }): MatchAction {
    switch (intent.type) {
      case 'roll':
        assertMayRoll(this.match, seat);
        return { type: 'roll', seat, dice: this.fairDice.roll().dice };
      case 'move':
        return { type: 'move', seat, from: intent.from!, to: intent.to! };
      case 'resign':
        return { type: 'resign', seat, kind: intent.kind as 'single' | 'gammon' | 'backgammon' };
      default:
        return { type: intent.type, seat } as MatchAction;
    }
  }

  /** Applies an action (throws EngineError, changing nothing, when it is refused), then moves the match along. */
  private perform(action: MatchAction): void {
    this.apply(action);
    this.advance();
  }

  /** The one place the match changes: the engine decides, the recorder writes it down. */
  private apply(action: MatchAction): void {
    const before = this.match;
    this.match = applyAction(this.match, action);
    this.recorder?.applied(before, action, this.match);
    this.noteBlockedRoll(action);
    this.noteGameEnd(before);
  }

  /** What happens without anyone asking: opening rolls, rolls when no double is possible, forced plays, bots. */
  private advance(): void {
    for (let guard = 0; guard < 100; guard++) {
      const next = this.automaticAction();
      if (!next) break;
      this.apply(next);
    }
    if (this.match.phase === 'over') this.endMatch();
    this.followClock();
    this.scheduleBot();
    this.publish();
  }

  private automaticAction(): MatchAction | null {
    const match = this.match;
    if (!this.bothSeated()) return null;
    if (match.phase === 'opening') return { type: 'opening-roll', dice: this.openingDice() };
    const seat = seatToAct(match);
    if (seat === null || this.seats[seat]?.bot) return null;
    if (match.phase === 'rolling' && this.options.autoRoll && whyNoDouble(match, seat) !== null) {
      return { type: 'roll', seat, dice: this.fairDice.roll().dice };
    }
    if (match.phase === 'moving' && this.options.autoPlayForced && match.turnInProgress!.playCount === 1) {
      const moves = legalMoves(match.turnInProgress!);
      if (moves.length > 0) return { type: 'move', seat, from: moves[0]!.from, to: moves[0]!.to };
      return { type: 'confirm', seat };
    }
    return null;
  }

  /** Seat 0's die and seat 1's die; the engine has ties rolled again. */
  private openingDice(): Dice {
    const { dice } = this.fairDice.roll();
    this.announce('opening-roll', { dice: [dice[0], dice[1]] });
    return dice;
  }

  /** A roll with no legal play passes the turn in the same patch: the message lets clients show it anyway. */
  private noteBlockedRoll(action: MatchAction): void {
    if (action.type === 'roll' && this.match.turnInProgress === null) this.announce('no-move', { seat: action.seat, dice: [action.dice[0], action.dice[1]] });
  }

  private noteGameEnd(before: MatchState): void {
    const ended = endedGame(before, this.match);
    if (!ended) return;
    this.metrics?.gamesFinished.inc();
    this.analysis?.gameFinished(this.matchId);
    this.matchClock?.nextGame(Date.now());
    this.lastResult = describeOutcome(ended.outcome);
    this.announce('game-over', { game: ended.number, ...ended.outcome, score: [...this.match.score] });
  }

  private endMatch(): void {
    if (this.fairDice.revealed) return;
    const fairDice = this.fairDice.reveal();
    this.log.info({ winner: this.match.winner, score: this.match.score, forfeitedBy: this.match.forfeitedBy }, 'match over');
    this.recorder?.matchEnded(this.match, fairDice);
    this.endedAtSeq = this.recorder?.lastSeq ?? 0;
    this.recorder = null;
    this.roomsHere?.delete(this.matchId, this);
    // The rematch's dice, committed to now: players may send seeds for them before it starts.
    this.diceSeeds = new PlayerSeeds();
    void this.keepDiceSeed();
    this.announce('match-over', {
      winner: this.match.winner,
      score: [...this.match.score],
      forfeitedBy: this.match.forfeitedBy,
      fairDice: { ...fairDice, clientSeeds: [...fairDice.clientSeeds] },
      nextDiceCommitment: this.diceSeeds.dice.commitment,
    });
    this.disposeWhenUnwatched();
  }

  private followClock(): void {
    if (this.flagTimer) clearTimeout(this.flagTimer);
    this.flagTimer = null;
    if (!this.matchClock) return;
    const now = Date.now();
    const running = this.bothSeated() && this.match.phase !== 'over' && this.match.phase !== 'opening' ? seatToAct(this.match) : null;
    this.matchClock.follow(running, now);
    const fallsAt = this.matchClock.flagFallsAt();
    if (fallsAt === null) return;
    this.flagTimer = this.later(Math.max(0, fallsAt - now) + 1, () => this.checkFlag());
  }

  private checkFlag(): void {
    this.flagTimer = null;
    if (!this.flagHasFallen()) this.followClock();
  }

  /** A seat out of time loses the match; checked on the timer and before every action, since the timer has patch-rate resolution. */
  private flagHasFallen(): boolean {
    if (this.match.phase === 'over') return false;
    const fallen = this.matchClock?.flagFallen(Date.now()) ?? null;
    if (fallen === null) return false;
    this.announce('timeout', { seat: fallen });
    this.recorder?.timedOut(fallen);
    this.perform({ type: 'forfeit', seat: fallen });
    return true;
  }

  private scheduleBot(): void {
    if (this.botTimer) clearTimeout(this.botTimer);
    this.botTimer = null;
    const turn = ++this.botTurn;
    const seat = this.bothSeated() ? seatToAct(this.match) : null;
    const bot = seat === null ? null : this.seats[seat]?.bot;
    if (!bot || seat === null) return;
    this.botTimer = this.later(this.options.botDelayMs, () => void this.botStep(turn, seat, bot));
  }

  /** The bot decides on a thinking thread; its answer counts only if the match is still where it was asked. */
  private async botStep(turn: number, seat: Seat, bot: BotName): Promise<void> {
    this.botTimer = null;
    const asked = this.match;
    const intent = await this.botDecision(asked, seat, bot);
    if (turn !== this.botTurn || asked !== this.match) return;
    this.botAct(seat, intent);
    if (this.match !== asked) return;
    // Nothing, or an action the engine refused: the bot must not stall the match.
    this.log.warn({ bot, intent }, `the ${bot} bot's action did nothing: it plays its first legal action`);
    this.botAct(seat, quickPlayer.decide(asked, seat));
  }

  private botAct(seat: Seat, intent: SeatIntent | null): void {
    try {
      if (intent) this.receiveIntent(null, seat, intent);
    } catch (error) {
      this.onUncaughtException(error, 'botStep');
    }
  }

  /** The bot's choice, or the first legal action when its thread fails or runs out of time: a bot never stalls the match. */
  private async botDecision(match: MatchState, seat: Seat, bot: BotName): Promise<SeatIntent | null> {
    if (!this.thinking || !needsThinkingThread(bot)) return botPlayer(bot).decide(match, seat);
    try {
      return await this.thinking.think(match, seat, bot);
    } catch (error) {
      this.log.warn({ err: error, bot }, `the ${bot} bot played its first legal action: ${error instanceof Error ? error.message : String(error)}`);
      return quickPlayer.decide(match, seat);
    }
  }

  private receiveChat(client: Client, message: MatchMessage<'chat'>): void {
    if (!this.chat.allow(client.sessionId, Date.now())) {
      return this.refuse(client, 'chat', 'CHAT_RATE_LIMITED', `at most ${this.chat.limit} chat messages every ${this.chat.windowMs / 1000} seconds`);
    }
    const data = client.userData as ClientData;
    this.announce('chat', { seat: data.seat ?? -1, name: data.name, text: message.text, at: Date.now() });
  }

  private receiveSync(client: Client, message: MatchMessage<'sync'>): void {
    if (message.version === this.state.version) return this.tell(client, 'sync', { version: this.state.version, upToDate: true });
    this.tell(client, 'sync', { version: this.state.version, upToDate: false, state: this.state.toJSON() });
  }

  private receiveRematch(client: Client, seat: Seat): void {
    if (this.match.phase !== 'over') return this.refuse(client, 'rematch', 'MATCH_NOT_OVER', 'a rematch is offered once the match is over');
    this.seats[seat]!.wantsRematch = true;
    const other = this.seats[otherSeat(seat)];
    if (other?.bot) other.wantsRematch = true;
    if (this.seats.every((info) => info?.wantsRematch && (info.connected || info.bot))) this.rematch();
    this.publish();
  }

  private rematch(): void {
    for (const info of this.seats) info!.wantsRematch = false;
    this.startNewMatch();
    this.begin();
  }

  private refuse(client: Client, type: string, code: string, message: string): void {
    this.metrics?.messagesRefused.inc({ code });
    this.tell(client, 'error', { type, code, message });
  }

  /**
   * Handles a message. The patch it publishes may wait for the journal, so the time to its
   * patch is observed when that patch leaves (see publish); a message that publishes nothing
   * (a refusal, a chat line) is observed when its handling ends.
   */
  private timed(handle: () => void): void {
    const arrived = performance.now();
    this.messageArrivedAt = arrived;
    this.messagePublished = false;
    try {
      handle();
    } finally {
      this.messageArrivedAt = null;
      if (!this.messagePublished) this.observeActionSince(arrived);
    }
  }

  private observeActionSince(arrived: number): void {
    this.metrics?.actionSeconds.observe((performance.now() - arrived) / 1000);
  }

  /** Sends one client a message of the protocol (src/rooms/server-messages.ts). */
  private tell<T extends MatchRoomMessageType>(client: Client, type: T, message: MatchRoomMessage<T>): void {
    this.outbox.send(this.matchId, () => client.send(type, message));
  }

  private announce<T extends MatchRoomMessageType>(type: T, message: MatchRoomMessage<T>): void {
    this.outbox.send(this.matchId, () => this.broadcast(type, message));
  }

  /** What the lobby shows: open matches wait for an opponent, the others can be watched. */
  private listing(): Listing {
    return {
      matchLength: this.options.matchLength,
      players: this.seats.map((info) => info?.name ?? null),
      status: this.match.phase === 'over' ? 'over' : this.bothSeated() ? 'playing' : 'waiting',
      score: [...this.match.score],
    };
  }

  /**
   * Writes the whole state and sends the patch as soon as the match's events are written (at once
   * when they are), instead of at the next patch tick: the shared state only ever shows what is written.
   */
  private publish(): void {
    const view: MatchView = {
      matchId: this.matchId,
      lastEventSeq: this.recorder?.lastSeq ?? this.endedAtSeq,
      match: this.match,
      // A continued match whose absent player forfeited is over, not waiting for that player.
      waiting: !this.bothSeated() && this.match.phase !== 'over',
      seats: [holderOf(this.seats[0]), holderOf(this.seats[1])],
      spectators: this.spectatorCount(),
      diceCommitment: this.fairDice.commitment,
      lastResult: this.lastResult,
      clock: this.matchClock?.view() ?? null,
    };
    const listing = this.listing();
    // A message's time is observed once, with the first patch it publishes.
    const arrived = this.messagePublished ? null : this.messageArrivedAt;
    if (arrived !== null) this.messagePublished = true;
    this.outbox.send(this.matchId, () => {
      writeMatchState(this.state, view);
      this.updateListing(listing);
      this.broadcastPatch();
      if (arrived !== null) this.observeActionSince(arrived);
    });
  }

  private spectatorCount(): number {
    let count = 0;
    for (const client of this.clients) if (seatOfClient(client) === null) count++;
    return count;
  }

  /** Tells the lobby only when what it shows changed, not on every move. */
  private updateListing(listing: Listing): void {
    const text = JSON.stringify(listing);
    if (text === this.listedAs) return;
    this.listedAs = text;
    void this.setMetadata(listing);
    this.metrics?.matchRoomIs(this, listing.status);
  }
}

/** What the lobby lists of a match room (its metadata). */
interface Listing {
  readonly matchLength: number;
  readonly players: readonly (string | null)[];
  readonly status: MatchStatus;
  readonly score: readonly number[];
}

function emptySeat(name: string, rating: number): SeatInfo {
  return { userId: null, name, rating, sessionId: null, connected: false, wantsRematch: false, bot: null, reservedFor: null };
}

function botSeat(bot: BotName): SeatInfo {
  const { name, rating } = botIdentity(bot);
  return { ...emptySeat(name, rating), connected: true, bot };
}

function loggedPlayer(info: SeatInfo): LoggedPlayer {
  return { userId: info.userId, name: info.name, rating: info.rating };
}

function holderOf(info: SeatInfo | null): SeatHolder | null {
  if (!info) return null;
  return { name: info.name, rating: info.rating, connected: info.connected, bot: info.bot !== null, wantsRematch: info.wantsRematch };
}

function seatOfClient(client: Client): Seat | null {
  return (client.userData as ClientData | undefined)?.seat ?? null;
}

function userIdOfClient(client: Client): string | undefined {
  return (client.userData as ClientData | undefined)?.userId;
}

/**
 * A message type as text, whatever arrived: Colyseus hands the handler of "*" a message typed
 * "*" with its payload where the type should be.
 */
function typeName(type: unknown): string {
  return typeof type === 'string' || typeof type === 'number' ? String(type).slice(0, 64) : '*';
}

function describeOutcome(outcome: GameOutcome): string {
  const how = outcome.by === 'drop' ? 'the double was dropped' : outcome.by === 'resignation' ? 'by resignation' : `a ${outcome.kind}`;
  return `seat ${outcome.winner} wins ${how}: ${outcome.points} point${outcome.points === 1 ? '' : 's'}`;
}

/** The match room as a server runs it: players sign in with an access token, and every match is recorded. */
export function matchRoomWith(
  services: Pick<Services, 'database' | 'journal' | 'metrics' | 'thinking' | 'seedVault' | 'analysis' | 'handOver' | 'roomsHere'>,
  maxSpectators = DEFAULT_MAX_SPECTATORS,
): typeof MatchRoom {
  return class ServedMatchRoom extends MatchRoom {
    protected override journal: RoomJournal | null = services.journal;
    protected override metrics: Metrics | null = services.metrics;
    protected override thinking: ThinkingPool | null = services.thinking;
    protected override seedVault: SeedVault | null = services.seedVault;
    protected override analysis: Pick<AnalysisService, 'gameFinished'> | null = services.analysis;
    protected override handOver: HandOver | null = services.handOver;
    protected override roomsHere: RoomsHere | null = services.roomsHere;
    protected override maxSpectators = maxSpectators;

    static override onAuth(token: string | undefined): Promise<AccessClaims> {
      return authenticateJoin(services.database, token);
    }
  };
}
