import assert from 'node:assert/strict';
import { rejoinMovedMatch } from '../../examples/rejoin-client.js';
import { gnubgIds, replaySteps, type MatchLogEntry } from '../../src/engine/index.js';
import { adopt, recorded, sendFirstPlay, type MatchClient } from '../support/match-clients.js';
import { clientAt, guestAt, type Endpoint, type Guest, type ServerProcess } from '../support/server-processes.js';

/** Ports from TAVLA_TEST_PORT + 1 on (TAVLA_RECOVERY_PORT overrides), clear of the in-process test server's. */
export const FIRST_PORT = Number(process.env.TAVLA_RECOVERY_PORT ?? Number(process.env.TAVLA_TEST_PORT ?? 2568) + 1);

/** A state a client was shown: the last event it shows and the position there. */
export interface ShownState {
  readonly seq: number;
  readonly positionId: string;
  readonly gnubgMatchId: string;
}

type Role = 'white' | 'black' | 'spectator';
const ROLES: readonly Role[] = ['white', 'black', 'spectator'];

/** How the drill's players play: `thinkMs` before each action, in matches of `matchLength` points. */
export interface Pace {
  readonly matchLength: number;
  readonly thinkMs: number;
  /** How long a dropped player keeps the seat, and how long a resumed match waits for its players. */
  readonly reconnectSeconds?: number;
}

/** Live server processes to ask, any of them: `GET /matches/:id/room` and matchmaking work through each. */
export type Endpoints = () => readonly Endpoint[];

const STEP_TIMEOUT_MS = 20_000;

/**
 * One match of a drill and its three SDK clients (two players and a spectator), which play on
 * through crashes and restarts with the README's client loop (examples/rejoin-client.ts): when the
 * room closes, each client joins the room where the match goes on, with the same account. Every
 * client records every state it was shown, to compare with the stored log at the end.
 */
export class DrillMatch {
  matchId = '';
  clients: MatchClient[] = [];
  readonly shown: Record<Role, ShownState[]> = { white: [], black: [], spectator: [] };
  /** Actions the players made. */
  steps = 0;
  /** Per disruption of this match: ms from it (the kill, the SIGTERM) until both players and the spectator were back and play could go on. */
  readonly backAfterMs: number[] = [];
  /** Per disruption: the room a `moving` message named (null when the room closed without one) and the room the clients rejoined. */
  readonly rejoins: { told: string | null; joined: string }[] = [];
  /** The `dice-seeds` notice the players were told before any disruption. */
  diceSeeds: unknown = null;
  /** Why playing failed, if it did. */
  failure: unknown = null;
  private readonly waiters = new Set<() => void>();
  private disruptedAt: number | null = null;

  private constructor(
    readonly guests: readonly [Guest, Guest, Guest],
    private readonly pace: Pace,
  ) {}

  /** Creates a match on `server`: white sends a dice seed when `whiteSeed` is given, black never does. */
  static async start(server: Endpoint, pace: Pace, whiteSeed?: string): Promise<DrillMatch> {
    const guests = [await guestAt(server), await guestAt(server), await guestAt(server)] as const;
    const match = new DrillMatch(guests, pace);
    const options = { matchLength: pace.matchLength, reconnectSeconds: pace.reconnectSeconds ?? 60, ...(whiteSeed ? { diceSeed: whiteSeed } : {}) };
    const white = await match.enter('white', clientAt(server, guests[0]).create('match', options));
    const black = await match.enter('black', clientAt(server, guests[1]).joinById(white.roomId));
    const spectator = await match.enter('spectator', clientAt(server, guests[2]).joinById(white.roomId, { spectate: true }));
    match.clients = [white, black, spectator];
    await match.until(() => ['rolling', 'moving'].includes(white.state.phase) && !!white.state.matchId, 'the match to start');
    match.matchId = white.state.matchId;
    match.diceSeeds = white.received.find((entry) => entry.type === 'dice-seeds')?.message ?? null;
    return match;
  }

  get roomId(): string {
    return this.clients[0]!.roomId;
  }

  get over(): boolean {
    return this.clients.every((client) => client.state.phase === 'over');
  }

  /** The time of a disruption about to happen to some matches: each match it hits measures its way back from it. */
  expectDisruption(at: number): void {
    this.disruptedAt = at;
  }

  /** Plays until the match is over, coming back after every disruption. */
  async playToEnd(endpoints: Endpoints): Promise<void> {
    try {
      while (!this.over) {
        if (this.disrupted()) await this.rejoin(endpoints);
        else await this.step();
      }
    } catch (error) {
      this.failure = error;
      throw error;
    }
  }

  /** Leaves the room, once the match is over. */
  async leave(): Promise<void> {
    await Promise.all(this.clients.map((client) => (client.connection.isOpen ? client.leave().catch(() => undefined) : undefined)));
  }

  /** One action of the player to act, after `thinkMs`; or waits for the match to move on by itself. */
  private async step(): Promise<void> {
    const [white, black] = this.clients as [MatchClient, MatchClient];
    const latest = Math.max(white.state.version, black.state.version);
    await this.until(() => white.state.version >= latest && black.state.version >= latest, 'both players to see the newest version');
    const state = white.state;
    const actor = [white, black].find((player) => player.seat === state.toAct);
    if (this.disrupted()) return;
    if (state.phase === 'over') return this.until(() => this.over, 'every client to see the end');
    if (!actor || !['rolling', 'moving'].includes(state.phase)) return this.until(() => white.state.version > latest, `the match to move on from ${state.phase}`);
    await new Promise((resolve) => setTimeout(resolve, this.pace.thinkMs));
    if (this.disrupted()) return;
    const before = actor.state.lastEventSeq;
    const sent = state.phase === 'rolling' ? sendRoll(actor) : sendFirstPlay(actor);
    this.steps += 1;
    await this.until(() => recorded(actor, before, sent), 'the action to be shown');
  }

  /** The README's client loop, for each of the three clients at once; then play can go on. */
  private async rejoin(endpoints: Endpoints): Promise<void> {
    const moving = this.clients.flatMap((client) => client.received.filter((entry) => entry.type === 'moving')).at(-1)?.message as { roomId: string } | undefined;
    const closed = this.roomId;
    await Promise.all(this.clients.map((client) => (client.connection.isOpen ? client.leave(false).catch(() => undefined) : undefined)));
    this.clients = await Promise.all(ROLES.map((role, index) => this.rejoinAs(role, this.guests[index]!, endpoints, closed, moving?.roomId)));
    const white = this.clients[0]!;
    this.rejoins.push({ told: moving?.roomId ?? null, joined: white.roomId });
    assert.deepEqual(this.clients.map((client) => client.seat), [0, 1, null], 'each account gets its seat back');
    await this.until(() => !!white.state.phase && white.state.phase !== 'waiting', 'play to go on');
    if (this.diceSeeds) {
      // Told right after the seat, perhaps in a later frame.
      const seedsTold = () => white.received.some((entry) => entry.type === 'dice-seeds');
      await this.until(seedsTold, 'the dice seeds to be told again');
      const told = white.received.find((entry) => entry.type === 'dice-seeds')?.message;
      const heard = () => `match ${this.matchId} in room ${white.roomId} (told ${moving?.roomId ?? 'nothing'}); white heard ${white.received.map((entry) => entry.type).join(', ')}`;
      // A room closing again at once may not have told them: the next rejoin checks.
      if (told !== undefined || !this.disrupted()) assert.deepEqual(told, this.diceSeeds, `the dice seeds as before, drawn or sent: ${heard()}`);
    }
    if (this.disruptedAt !== null) this.backAfterMs.push(Date.now() - this.disruptedAt);
    this.disruptedAt = null;
  }

  /** The example client's loop (examples/rejoin-client.ts): back into the room where the match goes on. */
  private async rejoinAs(role: Role, guest: Guest, endpoints: Endpoints, closed: string, movingTo: string | undefined): Promise<MatchClient> {
    // Any live process, as a load balancer in front of them would pick.
    const live = endpoints();
    const server = live[Math.floor(Math.random() * live.length)]!;
    const options = role === 'spectator' ? { spectate: true } : {};
    const room = await rejoinMovedMatch(clientAt(server, guest), server.httpUrl, this.matchId, closed, movingTo, options);
    assert.ok(room, `match ${this.matchId} is no longer played`);
    return this.enter(role, Promise.resolve(room));
  }

  /** Joins, records what the client is shown and wakes the match's waits on every change. */
  private async enter(role: Role, joining: Promise<unknown>): Promise<MatchClient> {
    const client = adopt((await joining) as Parameters<typeof adopt>[0], null);
    const shown = this.shown[role];
    client.onStateChange((state) => {
      if (state.lastEventSeq > 0 && state.lastEventSeq !== shown.at(-1)?.seq) shown.push({ seq: state.lastEventSeq, positionId: state.positionId, gnubgMatchId: state.gnubgMatchId });
      this.wake();
    });
    client.onMessage('*', () => this.wake());
    client.onLeave(() => this.wake());
    await this.until(() => client.received.some((entry) => entry.type === 'seat'), 'the seat message', false);
    return client;
  }

  private disrupted(): boolean {
    return this.clients.some((client) => !client.connection.isOpen || client.received.at(-1)?.type === 'moving' || client.received.at(-1)?.type === 'left');
  }

  /** Where each client is, for a failure's message. */
  private describeClients(): string {
    return this.clients
      .map((client, index) => {
        const heard = client.received
          .slice(-4)
          .map((entry) => (entry.type === 'error' ? `error ${JSON.stringify(entry.message)}` : entry.type))
          .join(', ');
        return `${ROLES[index]} in room ${client.roomId} (${client.connection.isOpen ? 'open' : 'closed'}), version ${client.state.version}, last heard: ${heard}`;
      })
      .join('; ');
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) waiter();
  }

  /** Resolves once `ready()` holds (or the match is disrupted, unless `orDisrupted` is false), checking on every change of its clients. */
  private until(ready: () => boolean, what: string, orDisrupted = true): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!ready() && !(orDisrupted && this.disrupted())) return;
        this.waiters.delete(check);
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`match ${this.matchId}: timed out waiting for ${what} (phase ${this.clients[0]?.state.phase}); ${this.describeClients()}`));
      }, STEP_TIMEOUT_MS);
      this.waiters.add(check);
      check();
    });
  }
}

function sendRoll(actor: MatchClient): number {
  actor.send('roll');
  return 1;
}

/**
 * Awaits the drill's play. Should a match fail, prints first what each server process logged
 * about it, and its errors and lapses, so that a failure says what the servers saw.
 */
export async function untilAllPlayed(playing: Promise<unknown>, matches: readonly DrillMatch[], servers: () => readonly ServerProcess[]): Promise<void> {
  try {
    await playing;
  } catch (error) {
    const failed = matches.filter((match) => match.failure !== null).map((match) => match.matchId);
    const telling = (line: string) => failed.some((id) => line.includes(id)) || /"level":(50|60)|presence lapsed|cannot write/.test(line);
    for (const server of servers()) {
      const lines = server.log.split('\n').filter(telling);
      console.log(`      server on port ${server.port}, about ${failed.join(', ')}, errors and lapses:\n${lines.slice(-40).join('\n')}`);
    }
    throw error;
  }
}

/** What the clients of the drill were shown, checked against the stored logs. */
export interface LogCheck {
  /** States the clients were shown, in all. */
  shown: number;
  /** States whose event the log does not hold. */
  missing: number;
  /** States the log holds differently: another event under the same number. */
  clashing: number;
  /** Events the log holds twice, or numbers it skips. */
  duplicated: number;
}

export function emptyCheck(): LogCheck {
  return { shown: 0, missing: 0, clashing: 0, duplicated: 0 };
}

/**
 * Checks one finished match: its log is numbered 1..n without a repeat or a gap, every state any
 * client was shown is the log's state after that event, the match is stored finished, and the
 * revealed dice seed verifies every roll. Adds what it counted to `check`.
 */
export async function checkAgainstLog(server: Endpoint, match: DrillMatch, check: LogCheck): Promise<void> {
  const stored = await eventually(server, `/matches/${match.matchId}`, (body) => body.status === 'finished');
  const events = stored.events as ({ seq: number; at: string } & MatchLogEntry)[];
  check.duplicated += events.filter((event, index) => event.seq !== index + 1).length;
  const idsAt = [...replaySteps(events.map(({ seq, at, ...entry }) => entry as MatchLogEntry))].map((state) => gnubgIds(state));
  for (const shown of Object.values(match.shown).flat()) {
    check.shown += 1;
    const logged = idsAt[shown.seq - 1];
    if (!logged) check.missing += 1;
    else if (logged.positionId !== shown.positionId || logged.matchId !== shown.gnubgMatchId) check.clashing += 1;
  }
  const over = match.clients[0]!.received.find((entry) => entry.type === 'match-over')!.message;
  const dice = await eventually(server, `/matches/${match.matchId}/dice`, () => true);
  assert.equal(dice.verification.valid, true, JSON.stringify(dice.verification));
  assert.equal(dice.serverSeed, over.fairDice.serverSeed);
}

/** GET that waits for the journal to have written what the answer needs. */
export async function eventually(server: Endpoint, path: string, done: (body: any) => boolean): Promise<any> {
  for (let attempt = 0; ; attempt++) {
    const response = await fetch(`${server.httpUrl}${path}`);
    const body = response.ok ? await response.json() : null;
    if (body && done(body)) return body;
    if (attempt > 150) assert.fail(`${path}: ${response.status} ${JSON.stringify(body)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Checks every match (each played to its end) against its log, leaves their rooms, prints the
 * counts and asserts that no state any client was shown is missing, clashing or duplicated.
 */
export async function checkAll(server: Endpoint, matches: readonly DrillMatch[], label: string): Promise<LogCheck> {
  const check = emptyCheck();
  for (const match of matches) await checkAgainstLog(server, match, check);
  await Promise.all(matches.map((match) => match.leave()));
  console.log(`      ${label}: ${matches.length} matches played to the end; ${check.shown} states shown to their clients, against the stored logs: ${check.missing} missing, ${check.clashing} clashing, ${check.duplicated} duplicated`);
  assert.deepEqual({ missing: check.missing, clashing: check.clashing, duplicated: check.duplicated }, { missing: 0, clashing: 0, duplicated: 0 });
  return check;
}

/**
 * Prints p50/p99/max of the times back in, and when the processes `rebuiltBy` logged taking the
 * matches over (ms after `since`, from their JSON log lines); returns the times back in.
 */
export function printBackTimes(label: string, matches: readonly DrillMatch[], since?: number, rebuiltBy: readonly ServerProcess[] = []): number[] {
  const sorted = matches.flatMap((match) => match.backAfterMs).sort((a, b) => a - b);
  const percentile = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
  const takeovers = since === undefined ? [] : rebuiltBy.flatMap((server) => takeoverTimes(server, since));
  const rebuilt = takeovers.length === 0 ? '' : `; rooms rebuilt ${takeovers.sort((a, b) => a - b).join(', ')} ms after it`;
  console.log(`      ${label}: ${sorted.length} match(es) playable again (both players and the spectator back in): p50 ${percentile(50)} ms, p99 ${percentile(99)} ms, max ${sorted.at(-1)} ms${rebuilt}`);
  return sorted;
}

/** Ms from `since` to each time `server` logged that it took matches over. */
function takeoverTimes(server: ServerProcess, since: number): number[] {
  return server.log
    .split('\n')
    .filter((line) => line.includes('took over the matches'))
    .map((line) => (JSON.parse(line) as { time: number }).time - since)
    .filter((ms) => ms >= 0);
}

/** Waits until every match has made at least `steps` actions: all in the middle of play. */
export function untilPlayed(matches: readonly DrillMatch[], steps: number): Promise<void> {
  return untilEach(matches, (match) => match.steps >= steps, `${steps} actions in every match`);
}

/**
 * Waits until `ready` holds for every match that is not over. A match that failed fails the wait
 * at once with its own error, as `timeoutMs` passing does with `what`.
 */
export async function untilEach(matches: readonly DrillMatch[], ready: (match: DrillMatch, index: number) => boolean, what: string, timeoutMs = Infinity): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (matches.some((match, index) => !match.over && !ready(match, index))) {
    const failed = matches.find((match) => match.failure);
    if (failed) throw failed.failure;
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
