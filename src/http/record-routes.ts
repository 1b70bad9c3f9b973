import { Router, type Request } from 'express';
import { z } from 'zod';
import {
  currentPosition,
  EngineError,
  exportMat,
  gnubgIds,
  positionAfter,
  matchRecord,
  replayMatch,
  verifyFairDice,
  type FairRoll,
  type LoggedPosition,
  type MatchState,
} from '../engine/index.js';
import { User, type Game, type Match } from '../db/entities.js';
import type { GoneServers } from '../db/live-servers.js';
import type { Database } from '../db/orm.js';
import { canSee, eventsOf, findMatch, gamesOf, hiddenMatchIds, leaderboard, listMatches, matchesOfUser, ratingHistory, statsOf, type StoredEvent } from '../db/records.js';
import { isProvisional } from '../ratings/rated.js';
import { analysedTotalsOf } from '../db/analyses.js';
import { summarise } from '../bots/analysis/skill.js';
import { HttpFailure, validated } from './errors.js';
import { jsonRoute, RawAnswer } from './json-route.js';
import { accountView, bearer } from './auth-routes.js';

const id = z.object({ id: z.uuid('must be a UUID') });
const paging = {
  page: z.coerce.number('must be a number').int('must be a whole number').min(1, 'starts at 1').max(100_000).default(1),
  pageSize: z.coerce.number('must be a number').int('must be a whole number').min(1, 'is at least 1').max(100, 'is at most 100').default(20),
};
const pageQuery = z.object(paging).strict();
const matchListQuery = z.object({ status: z.enum(['playing', 'finished', 'interrupted'], 'must be playing, finished or interrupted').default('playing'), ...paging }).strict();
const positionQuery = z.object({ after: z.coerce.number('must be a number').int('must be a whole number').min(1, 'starts at 1') }).strict();

/** `GET /matches/:id/room`: where a match is played now, for a client finding its way back to it. */
export interface MatchRoomAnswer {
  readonly matchId: string;
  /** playing, finished or interrupted. */
  readonly status: string;
  /** The room to join (or watch) the match in; null while it moves to another server process (ask again shortly), and once it is over. */
  readonly roomId: string | null;
}

/**
 * Match records, replays, exports, dice verification, player statistics and the leaderboard.
 * `gone` tells which server processes are gone: see roomsOf.
 */
export function createRecordRoutes(database: Database, gone: GoneServers) {
  const summaries = async (matches: readonly Match[]) => {
    const rooms = await roomsOf(matches, gone);
    return matches.map((match, index) => matchSummary(match, rooms[index]!));
  };
  return Router()
    .get(
      '/matches',
      jsonRoute(async (request) => {
        const query = validated(matchListQuery, request.query);
        const listed = await listMatches(database.em(), query.status, query);
        return { ...listed, items: await summaries(listed.items) };
      }),
    )
    .get(
      '/matches/:id',
      jsonRoute(async (request) => {
        const { match, em } = await requireMatch(database, request);
        const [games, events, [summary]] = await Promise.all([gamesOf(em, match.id), eventsOf(em, match.id), summaries([match])]);
        return { ...summary!, games: games.map(gameView), events: events.map(eventView) };
      }),
    )
    .get(
      '/matches/:id/room',
      jsonRoute(async (request): Promise<MatchRoomAnswer> => {
        const { match } = await requireMatch(database, request);
        const [roomId] = await roomsOf([match], gone);
        return { matchId: match.id, status: match.status, roomId: roomId! };
      }),
    )
    .get(
      '/matches/:id/position',
      jsonRoute(async (request) => {
        const { after } = validated(positionQuery, request.query);
        const { match, em } = await requireMatch(database, request);
        const events = await eventsOf(em, match.id, after);
        const last = events.at(-1);
        if (!last || last.seq !== after) throw new HttpFailure(404, 'NO_SUCH_EVENT', `match ${match.id} has no event ${after}`);
        return { seq: last.seq, type: last.entry.type, at: last.at, ...positionView(replayed(() => positionAfter(events.map((event) => event.entry)))) };
      }),
    )
    .get(
      '/matches/:id/mat',
      jsonRoute(async (request) => {
        const { match, em } = await requireMatch(database, request);
        const state = replayLog(await eventsOf(em, match.id));
        const text = exportMat(matchRecord(state, [match.player0Name, match.player1Name]));
        return new RawAnswer(text, { 'content-type': 'text/plain; charset=utf-8', 'content-disposition': `attachment; filename="tavla-${match.id}.mat"` });
      }),
    )
    .get(
      '/matches/:id/dice',
      jsonRoute(async (request) => {
        const { match, em } = await requireMatch(database, request);
        if (match.status !== 'finished' || !match.diceServerSeed) {
          throw new HttpFailure(409, 'NOT_REVEALED', 'the server seed is revealed when the match ends');
        }
        const rolls = rollsOf(await eventsOf(em, match.id));
        const reveal = { serverSeed: match.diceServerSeed, commitment: match.diceCommitment, clientSeeds: match.diceClientSeeds };
        return { ...reveal, rolls, verification: verifyFairDice(reveal, rolls) };
      }),
    )
    .get(
      '/users/:id',
      jsonRoute(async (request) => {
        const user = await requireUser(database, request.params);
        const viewer = await optionalViewer(database, request);
        const own = viewer?.sub === user.id;
        return { ...publicUser(user), ...(own ? { email: accountView(user).email, lastLoginAt: user.lastLoginAt } : {}) };
      }),
    )
    .get(
      '/users/:id/stats',
      jsonRoute(async (request) => {
        const user = await requireUser(database, request.params);
        const viewer = await optionalViewer(database, request);
        const em = database.em();
        const [stats, analysed] = await Promise.all([statsOf(em, user, viewer?.sub ?? null), analysedTotalsOf(em, user.id, viewer?.sub ?? null)]);
        return { user: publicUser(user), stats: { ...stats, analysis: { games: analysed.games, ...summarise(analysed.totals) } } };
      }),
    )
    .get(
      '/users/:id/matches',
      jsonRoute(async (request) => {
        const paging = validated(pageQuery, request.query);
        const user = await requireUser(database, request.params);
        const viewer = await optionalViewer(database, request);
        const listed = await matchesOfUser(database.em(), user.id, paging, viewer?.sub);
        return { ...listed, items: await summaries(listed.items) };
      }),
    )
    .get(
      '/users/:id/ratings',
      jsonRoute(async (request) => {
        const user = await requireUser(database, request.params);
        const em = database.em();
        const history = await ratingHistory(em, user.id);
        const hidden = await hiddenMatchIds(em, history.map((change) => change.matchId), (await optionalViewer(database, request))?.sub ?? null);
        const entries = history.map(({ matchId, before, after, at }) => ({ matchId: hidden.has(matchId) ? null : matchId, before, after, at }));
        return { user: publicUser(user), history: entries };
      }),
    )
    .get(
      '/leaderboard',
      jsonRoute(async (request) => {
        const listed = await leaderboard(database.em(), validated(pageQuery, request.query));
        const first = (listed.page - 1) * listed.pageSize;
        return { ...listed, items: listed.items.map((user, index) => ({ rank: first + index + 1, ...publicUser(user) })) };
      }),
    );
}

/** The account whose access token the request carries, if it carries one (a bad one is refused). */
async function optionalViewer(database: Database, request: Request) {
  return request.headers.authorization ? bearer(database, request) : null;
}

/** The match of the request's id, if the request may see it: a private match exists for its two players only. */
export async function requireMatch(database: Database, request: Request) {
  const matchId = parseId(request.params, 'match');
  const em = database.em();
  const match = await findMatch(em, matchId);
  // A bad token is no viewer: a private match answers 404 to it, exactly as a missing one does.
  if (!match || (match.private && !canSee(match, (await optionalViewer(database, request).catch(() => null))?.sub ?? null))) {
    throw new HttpFailure(404, 'NO_SUCH_MATCH', `no match ${matchId}`);
  }
  return { match, em };
}

async function requireUser(database: Database, params: unknown): Promise<User> {
  const userId = parseId(params, 'user');
  const user = await database.em().findOne(User, userId);
  if (!user) throw new HttpFailure(404, 'NO_SUCH_USER', `no user ${userId}`);
  return user;
}

function parseId(params: unknown, what: string): string {
  const parsed = id.safeParse(params);
  if (!parsed.success) throw new HttpFailure(400, 'INVALID_ID', `a ${what} id must be a UUID`);
  return parsed.data.id;
}

function replayLog(events: readonly StoredEvent[]): MatchState {
  return replayed(() => replayMatch(events.map((event) => event.entry)));
}

function replayed<T>(replay: () => T): T {
  try {
    return replay();
  } catch (error) {
    // The log was written by the server; a log that does not replay is a server fault, not the client's.
    if (error instanceof EngineError) throw new Error(`stored match log does not replay: ${error.message}`, { cause: error });
    throw error;
  }
}

function rollsOf(events: readonly StoredEvent[]): FairRoll[] {
  return events.flatMap(({ entry }) =>
    (entry.type === 'roll' || entry.type === 'opening-roll') && entry.rollIndex !== undefined ? [{ index: entry.rollIndex, dice: entry.dice }] : [],
  );
}

function publicUser(user: User) {
  return {
    id: user.id,
    name: user.name,
    guest: user.guest,
    rating: Number(user.rating),
    provisional: isProvisional(user.experience),
    experience: user.experience,
    since: user.createdAt,
  };
}

/**
 * The room each match is played in, when it is in a room of a live process: null while the match
 * moves to another process (its own is gone, or handed it over), until a live process has taken
 * it over, a second or two; null once it is over.
 */
async function roomsOf(matches: readonly Match[], gone: GoneServers): Promise<(string | null)[]> {
  const owners = [...new Set(matches.flatMap((match) => (match.status === 'playing' && match.serverId ? [match.serverId] : [])))];
  const goneOwners = owners.length === 0 ? new Set<string>() : await gone(owners);
  return matches.map((match) => (match.status === 'playing' && match.serverId && !goneOwners.has(match.serverId) ? match.roomId : null));
}

function matchSummary(match: Match, roomId: string | null) {
  return {
    id: match.id,
    /** While the match is played in a room of a live process: that room (see roomsOf). */
    roomId,
    status: match.status,
    matchLength: match.matchLength,
    rated: match.rated,
    settings: match.settings,
    players: [
      { userId: match.player0Id ?? null, name: match.player0Name, ratingBefore: match.rating0Before ?? null, ratingAfter: match.rating0After ?? null },
      { userId: match.player1Id ?? null, name: match.player1Name, ratingBefore: match.rating1Before ?? null, ratingAfter: match.rating1After ?? null },
    ],
    score: [match.score0, match.score1],
    winner: match.winner ?? null,
    forfeitedBy: match.forfeitedBy ?? null,
    diceCommitment: match.diceCommitment,
    startedAt: match.startedAt,
    endedAt: match.endedAt ?? null,
  };
}

function gameView(game: Game) {
  const { number, scoreBefore, crawford, winner, points, kind, endedBy, cube, finalPositionId, moves, startedAt, endedAt, durationMs } = game;
  return { number, scoreBefore, crawford, winner, points, kind, endedBy, cube, finalPositionId, moves, startedAt, endedAt, durationMs };
}

function eventView(event: StoredEvent) {
  return { seq: event.seq, at: event.at, ...event.entry };
}

function positionView({ state, endedGame }: LoggedPosition) {
  const ids = gnubgIds(state);
  return {
    /** 'game-over' between the end of a game and the next one's game-start; 'over' once the match is. */
    phase: endedGame !== null && state.winner === null ? 'game-over' : state.phase,
    gameNumber: state.gameNumber,
    turn: state.turn,
    dice: state.dice,
    cube: { value: state.cube.value, owner: state.cube.owner },
    score: state.score,
    crawford: state.crawford,
    boards: [currentPosition(state, 0).player, currentPosition(state, 1).player],
    positionId: ids.positionId,
    gnubgMatchId: ids.matchId,
  };
}
