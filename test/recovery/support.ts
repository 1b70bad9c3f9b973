import assert from 'node:assert/strict';
import { isDeepStrictEqual } from 'node:util';
import { gnubgIds, replayMatch, type MatchLogEntry } from '../../src/engine/index.js';
import { enter, playOneSharedStep, playOneStep, waitUntil, type MatchClient } from '../support/match-clients.js';
import { clientAt, guestAt, type Endpoint, type Guest } from '../support/server-processes.js';

/** Ports from TAVLA_TEST_PORT + 1 on (TAVLA_RECOVERY_PORT overrides), clear of the in-process test server's. */
export const FIRST_PORT = Number(process.env.TAVLA_RECOVERY_PORT ?? Number(process.env.TAVLA_TEST_PORT ?? 2568) + 1);

export interface PlayedMatch {
  matchId: string;
  roomId: string;
  guests: [Guest, Guest];
  watcher: Guest;
  clients: MatchClient[];
  /** What the players were last shown before the crash. */
  shown: Shown;
}

/** Position, dice, cube, score and dice commitment as a client was shown them. */
export interface Shown {
  readonly positionId: string;
  readonly gnubgMatchId: string;
  readonly diceCommitment: string;
  readonly phase: string;
}

export function shownTo(client: MatchClient): Shown {
  const { positionId, gnubgMatchId, diceCommitment, phase } = client.state as unknown as Shown;
  return { positionId, gnubgMatchId, diceCommitment, phase };
}

export async function getJson(server: Endpoint, path: string): Promise<any> {
  const response = await fetch(`${server.httpUrl}${path}`);
  assert.equal(response.status, 200, `${path}: ${response.status}`);
  return response.json();
}

export async function startMatch(server: Endpoint, reconnectSeconds = 60): Promise<PlayedMatch> {
  const guests: [Guest, Guest] = [await guestAt(server), await guestAt(server)];
  const watcher = await guestAt(server);
  const white = await enter(clientAt(server, guests[0]).create('match', { matchLength: 1, reconnectSeconds }));
  const black = await enter(clientAt(server, guests[1]).joinById(white.roomId));
  const spectator = await enter(clientAt(server, watcher).joinById(white.roomId, { spectate: true }));
  await waitUntil(white, () => ['rolling', 'moving'].includes(white.state.phase), 'the match to start', 10_000);
  for (let step = 0; step < 5; step++) await playOneSharedStep([white, black]);
  await settle([white, black]);
  const matchId = white.received.find((entry) => entry.type === 'seat')!.message.matchId as string;
  return { matchId, roomId: white.roomId, guests, watcher, clients: [white, black, spectator], shown: shownTo(white) };
}

/** Joins the room, trying again while the process that took the match over is still rebuilding it. */
export async function joinWhenOpen(server: Endpoint, guest: Guest, roomId: string, options = {}): Promise<MatchClient> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await enter(clientAt(server, guest).joinById(roomId, options));
    } catch (error) {
      if (attempt >= 50) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

/** The same accounts back in the room GET /matches/:id names: both players in their seats, and the spectator. */
export async function rejoin(server: Endpoint, played: PlayedMatch): Promise<MatchClient[]> {
  const summary = await getJson(server, `/matches/${played.matchId}`);
  assert.equal(summary.status, 'playing');
  assert.equal(summary.roomId, played.roomId, 'the match is played on under the room id it had');
  const players = await Promise.all(played.guests.map((guest) => joinWhenOpen(server, guest, summary.roomId)));
  const spectator = await joinWhenOpen(server, played.watcher, summary.roomId, { spectate: true });
  assert.deepEqual(players.map((player) => player.seat), [0, 1], 'each account gets its seat back');
  assert.equal(spectator.seat, null);
  return [...players, spectator];
}

export function pick(message: { winner: number; forfeitedBy: number }) {
  return { winner: message.winner, forfeitedBy: message.forfeitedBy };
}

/** GET that waits for the journal to have written what the answer needs. */
export async function eventuallyJson(server: Endpoint, path: string): Promise<any> {
  for (let attempt = 0; ; attempt++) {
    const response = await fetch(`${server.httpUrl}${path}`);
    if (response.ok) return response.json();
    if (attempt > 150) assert.fail(`${path}: ${response.status} ${await response.text()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * The rejoined players (and spectator) find the match as they were last shown it, play it to its
 * end, and the revealed seed verifies every roll, before and after the takeover.
 */
export async function playToVerifiedEnd(server: Endpoint, match: PlayedMatch, clients: MatchClient[]): Promise<void> {
  const [white, black, spectator] = clients as [MatchClient, MatchClient, MatchClient];
  await waitUntil(white, () => ['rolling', 'moving'].includes(white.state.phase), 'play to go on', 10_000);
  assert.deepEqual(shownTo(white), match.shown, 'the match as the players were last shown it');
  for (await settle([white, black]); white.state.phase !== 'over'; await settle([white, black])) await playOneStep([white, black]);
  await waitUntil(spectator, () => spectator.state.phase === 'over', 'the spectator to see the end');
  const over = white.received.find((entry) => entry.type === 'match-over')!.message;
  const dice = await eventuallyJson(server, `/matches/${match.matchId}/dice`);
  assert.equal(dice.verification.valid, true, JSON.stringify(dice.verification));
  assert.equal(dice.serverSeed, over.fairDice.serverSeed);
  const events = (await getJson(server, `/matches/${match.matchId}`)).events as { seq: number }[];
  assert.deepEqual(events.map((event) => event.seq), events.map((_, index) => index + 1), 'each event once, none missing');
  for (const client of clients) await client.leave();
}

/**
 * Waits until the stored log of each match replays to what its players were last shown: the
 * journal writes behind play, so a crash can lose what it had not written yet (README: Data).
 */
export async function untilLogged(server: Endpoint, matches: readonly PlayedMatch[]): Promise<void> {
  for (const match of matches) {
    const shown = { positionId: match.shown.positionId, matchId: match.shown.gnubgMatchId };
    for (let attempt = 0; ; attempt++) {
      const response = await fetch(`${server.httpUrl}/matches/${match.matchId}`);
      const body = response.ok ? ((await response.json()) as { events: ({ seq: number; at: string } & MatchLogEntry)[] }) : null;
      const entries = body?.events.map(({ seq, at, ...entry }) => entry as MatchLogEntry) ?? [];
      if (entries.length > 0 && isDeepStrictEqual(gnubgIds(replayMatch(entries)), shown)) break;
      if (attempt > 300) assert.fail(`the log of match ${match.matchId} never reached what its players were shown`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** Waits until every client has seen the newest version: each has its own connection, so the last patch may reach one first. */
async function settle(clients: readonly MatchClient[]): Promise<void> {
  const latest = Math.max(...clients.map((client) => client.state.version));
  await Promise.all(clients.map((client) => waitUntil(client, () => client.state.version >= latest, 'every client to see the newest version')));
}
