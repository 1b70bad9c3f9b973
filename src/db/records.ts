import type { FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/sql';
import type { MatchLogEntry } from '../engine/index.js';
import { ESTABLISHED_EXPERIENCE } from '../ratings/rated.js';
import { Game, Match, MatchEventRun, RatingChange, User, type MatchStatus } from './entities.js';

export interface Page {
  readonly page: number;
  readonly pageSize: number;
}

export interface Paged<T> {
  readonly items: T[];
  readonly page: number;
  readonly pageSize: number;
  readonly total: number;
}

/** One logged event as stored: its sequence number, type, fields and time. */
export interface StoredEvent {
  readonly seq: number;
  readonly entry: MatchLogEntry;
  readonly at: Date;
}

export function findMatch(em: EntityManager, matchId: string): Promise<Match | null> {
  return em.findOne(Match, matchId);
}

export function gamesOf(em: EntityManager, matchId: string): Promise<Game[]> {
  return em.find(Game, { matchId }, { orderBy: { number: 'asc' } });
}

/** The log of a match in order, up to and including event `throughSeq` when given. */
export async function eventsOf(em: EntityManager, matchId: string, throughSeq = Number.MAX_SAFE_INTEGER): Promise<StoredEvent[]> {
  const runs = await em.find(MatchEventRun, { matchId, firstSeq: { $lte: throughSeq } }, { orderBy: { firstSeq: 'asc' } });
  return runs
    .flatMap((run) => run.events)
    .filter((event) => event.seq <= throughSeq)
    .map((event) => ({ seq: event.seq, entry: { ...event.data, type: event.type } as MatchLogEntry, at: new Date(event.at) }));
}

/** The public list of matches with a status: private matches are never in it. */
export async function listMatches(em: EntityManager, status: MatchStatus, { page, pageSize }: Page): Promise<Paged<Match>> {
  const [items, total] = await em.findAndCount(
    Match,
    { status, private: false },
    { orderBy: status === 'playing' ? { startedAt: 'desc' } : { endedAt: 'desc' }, limit: pageSize, offset: (page - 1) * pageSize },
  );
  return { items, page, pageSize, total };
}

/**
 * The matches a player played, newest first, as `viewerId` may see them: a private match only
 * when the viewer played in it (no viewer: public matches only).
 */
export async function matchesOfUser(em: EntityManager, userId: string, { page, pageSize }: Page, viewerId?: string | null): Promise<Paged<Match>> {
  const playedBy = (id: string): FilterQuery<Match>[] => [{ player0Id: id }, { player1Id: id }];
  const visible: FilterQuery<Match> = viewerId ? { $or: [{ private: false }, ...playedBy(viewerId)] } : { private: false };
  const [items, total] = await em.findAndCount(
    Match,
    { $and: [{ $or: playedBy(userId) }, visible] },
    { orderBy: { startedAt: 'desc' }, limit: pageSize, offset: (page - 1) * pageSize },
  );
  return { items, page, pageSize, total };
}

/** Registered players whose rating is no longer provisional, best first. */
export async function leaderboard(em: EntityManager, { page, pageSize }: Page): Promise<Paged<User>> {
  const [items, total] = await em.findAndCount(
    User,
    { guest: false, experience: { $gte: ESTABLISHED_EXPERIENCE } },
    { orderBy: { rating: 'desc', name: 'asc' }, limit: pageSize, offset: (page - 1) * pageSize },
  );
  return { items, page, pageSize, total };
}

export interface UserStats {
  readonly matches: { readonly played: number; readonly won: number; readonly lost: number; readonly winRate: number | null; readonly inProgress: number };
  readonly games: { readonly played: number; readonly won: number; readonly lost: number; readonly winRate: number | null };
  readonly gammons: { readonly won: number; readonly lost: number };
  readonly backgammons: { readonly won: number; readonly lost: number };
  readonly rating: { readonly current: number; readonly best: number; readonly experience: number };
}

interface CountRow {
  [key: string]: string | number | null;
}

export async function statsOf(em: EntityManager, user: User, viewerId: string | null = null): Promise<UserStats> {
  // Private matches count for their two players only (a null viewer sees none of them).
  const visible = `(not private or ? in (player0_id, player1_id))`;
  const [matches] = await em.execute<CountRow[]>(
    `select count(*) filter (where status = 'finished') as played,
            count(*) filter (where status = 'finished' and winner = case when player0_id = ? then 0 else 1 end) as won,
            count(*) filter (where status = 'playing') as in_progress
     from matches where (player0_id = ? or player1_id = ?) and ${visible}`,
    [user.id, user.id, user.id, viewerId],
  );
  const [games] = await em.execute<CountRow[]>(
    `select count(*) as played,
            count(*) filter (where g.winner = s.seat) as won,
            count(*) filter (where g.winner = s.seat and g.kind = 'gammon') as gammons_won,
            count(*) filter (where g.winner <> s.seat and g.kind = 'gammon') as gammons_lost,
            count(*) filter (where g.winner = s.seat and g.kind = 'backgammon') as backgammons_won,
            count(*) filter (where g.winner <> s.seat and g.kind = 'backgammon') as backgammons_lost
     from games g
     join (select id, case when player0_id = ? then 0 else 1 end as seat from matches where (player0_id = ? or player1_id = ?) and ${visible}) s
       on s.id = g.match_id`,
    [user.id, user.id, user.id, viewerId],
  );
  const best = await em.findOne(RatingChange, { userId: user.id }, { orderBy: { after: 'desc' } });
  const count = (row: CountRow | undefined, key: string) => Number(row?.[key] ?? 0);
  const rate = (won: number, played: number) => (played === 0 ? null : won / played);
  const matchesPlayed = count(matches, 'played');
  const matchesWon = count(matches, 'won');
  const gamesPlayed = count(games, 'played');
  const gamesWon = count(games, 'won');
  const rating = Number(user.rating);
  return {
    matches: { played: matchesPlayed, won: matchesWon, lost: matchesPlayed - matchesWon, winRate: rate(matchesWon, matchesPlayed), inProgress: count(matches, 'in_progress') },
    games: { played: gamesPlayed, won: gamesWon, lost: gamesPlayed - gamesWon, winRate: rate(gamesWon, gamesPlayed) },
    gammons: { won: count(games, 'gammons_won'), lost: count(games, 'gammons_lost') },
    backgammons: { won: count(games, 'backgammons_won'), lost: count(games, 'backgammons_lost') },
    rating: { current: rating, best: Math.max(rating, Number(best?.after ?? rating)), experience: user.experience },
  };
}

/** Whether `viewerId` may see the match: a private one is seen by its two players only. */
export function canSee(match: Pick<Match, 'private' | 'player0Id' | 'player1Id'>, viewerId: string | null): boolean {
  return !match.private || (viewerId !== null && (match.player0Id === viewerId || match.player1Id === viewerId));
}

/** Of `matchIds`, the private matches `viewerId` did not play: their ids stay hidden from that viewer. */
export async function hiddenMatchIds(em: EntityManager, matchIds: readonly string[], viewerId: string | null): Promise<Set<string>> {
  if (matchIds.length === 0) return new Set();
  const privateOnes = await em.find(Match, { id: { $in: [...matchIds] }, private: true }, { fields: ['id', 'player0Id', 'player1Id', 'private'] });
  return new Set(privateOnes.filter((match) => !canSee(match, viewerId)).map((match) => match.id));
}

export function ratingHistory(em: EntityManager, userId: string): Promise<RatingChange[]> {
  return em.find(RatingChange, { userId }, { orderBy: { at: 'asc' } });
}
