import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/sql';
import { rateMatch } from '../ratings/fibs.js';
import type { GameFinished, JournalEntry, MatchEventWritten, MatchFinished, MatchStarted } from './journal.js';
import type { Database } from './orm.js';
import type { BatchWriter } from './write-queue.js';

/**
 * Writes journal batches, each in one transaction. Every statement is idempotent (a batch
 * written again after a lost acknowledgement changes nothing): rows are keyed by match id and
 * sequence or game number, and a match's rating change is applied only with its first
 * rating_changes row.
 */
export class JournalStore implements BatchWriter<JournalEntry> {
  constructor(private readonly database: Database) {}

  async write(batch: readonly JournalEntry[]): Promise<void> {
    await this.database.em().transactional(async (em) => {
      await insertMatches(em, batch.filter((entry): entry is MatchStarted => entry.kind === 'match-started'));
      await insertEvents(em, batch.filter((entry): entry is MatchEventWritten => entry.kind === 'event'));
      await insertGames(em, batch.filter((entry): entry is GameFinished => entry.kind === 'game-finished'));
      for (const entry of batch) if (entry.kind === 'match-finished') await finishMatch(em, entry);
    });
  }
}

async function insertMatches(em: EntityManager, starts: readonly MatchStarted[]): Promise<void> {
  for (const start of starts) {
    const [white, black] = start.players;
    await em.execute(
      `insert into matches (id, room_id, status, match_length, rated, settings, player0_id, player1_id, player0_name, player1_name,
         score0, score1, dice_commitment, dice_client_seeds, started_at, rating0_before, rating1_before)
       values (?, ?, 'playing', ?, ?, ?, ?, ?, ?, ?, 0, 0, ?, '[]', ?, ?, ?)
       on conflict (id) do nothing`,
      [
        start.matchId, start.roomId, start.settings.matchLength, start.rated, JSON.stringify(start.settings),
        white.userId, black.userId, white.name, black.name, start.diceCommitment, start.at, white.rating, black.rating,
      ],
    );
  }
}

/** One statement for the whole batch, whatever its size: the rows travel as one JSON array. */
async function insertEvents(em: EntityManager, events: readonly MatchEventWritten[]): Promise<void> {
  if (events.length === 0) return;
  const rows = events.map(({ matchId, seq, type, data, at }) => ({ match_id: matchId, seq, type, data, at }));
  await em.execute(
    `insert into match_events (match_id, seq, type, data, at)
     select match_id, seq, type, data, at
     from jsonb_to_recordset(?::jsonb) as row(match_id uuid, seq int, type text, data jsonb, at timestamptz)
     on conflict (match_id, seq) do nothing`,
    [JSON.stringify(rows)],
  );
}

async function insertGames(em: EntityManager, games: readonly GameFinished[]): Promise<void> {
  for (const game of games) {
    const { outcome } = game;
    await em.execute(
      `insert into games (match_id, number, score_before, crawford, winner, points, kind, ended_by, cube, final_position_id,
         moves, started_at, ended_at, duration_ms)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       on conflict (match_id, number) do nothing`,
      [
        game.matchId, game.number, JSON.stringify(game.scoreBefore), game.crawford, outcome.winner, outcome.points, outcome.kind,
        outcome.by, game.cube, game.finalPositionId, game.moves, game.startedAt, game.at, game.at.getTime() - game.startedAt.getTime(),
      ],
    );
  }
}

interface MatchRow {
  status: string;
  rated: boolean;
  match_length: number;
  player0_id: string | null;
  player1_id: string | null;
}

async function finishMatch(em: EntityManager, end: MatchFinished): Promise<void> {
  const [match] = await em.execute<MatchRow[]>(
    'select status, rated, match_length, player0_id, player1_id from matches where id = ? for update',
    [end.matchId],
  );
  if (!match || match.status === 'finished') return;
  await em.execute(
    `update matches set status = 'finished', score0 = ?, score1 = ?, winner = ?, forfeited_by = ?, dice_server_seed = ?,
       dice_client_seeds = ?, ended_at = ? where id = ?`,
    [end.score[0], end.score[1], end.winner, end.forfeitedBy, end.fairDice.serverSeed, JSON.stringify(end.fairDice.clientSeeds), end.at, end.matchId],
  );
  if (isRatable(match, end)) await applyRatings(em, end, match as RatableMatch);
}

type RatableMatch = MatchRow & { player0_id: string; player1_id: string };

/** Rated matches between two accounts that someone won; money play and bot matches change no rating. */
function isRatable(match: MatchRow, end: MatchFinished): boolean {
  const { player0_id: white, player1_id: black } = match;
  return match.rated && match.match_length > 0 && white !== null && black !== null && white !== black && end.winner !== null;
}

interface RatedUser {
  id: string;
  rating: number;
  experience: number;
}

async function applyRatings(em: EntityManager, end: MatchFinished, match: RatableMatch): Promise<void> {
  const ids = [match.player0_id, match.player1_id] as const;
  const users = await em.execute<RatedUser[]>('select id, rating, experience from users where id in (?, ?) order by id for update', [...ids]);
  const bySeat = ids.map((id) => users.find((user) => user.id === id));
  if (bySeat.some((user) => user === undefined)) return;
  const [white, black] = bySeat as [RatedUser, RatedUser];
  const winner = end.winner === 0 ? white : black;
  const loser = end.winner === 0 ? black : white;
  const change = rateMatch(winner, loser, match.match_length);
  for (const [user, result] of [[winner, change.winner], [loser, change.loser]] as const) {
    await em.execute('update users set rating = ?, experience = ? where id = ?', [result.after, result.experienceAfter, user.id]);
    await em.execute(
      'insert into rating_changes (id, user_id, match_id, before, after, experience_before, at) values (?, ?, ?, ?, ?, ?, ?)',
      [randomUUID(), user.id, end.matchId, result.before, result.after, user.experience, end.at],
    );
  }
  const after = (user: RatedUser) => (user === winner ? change.winner.after : change.loser.after);
  await em.execute('update matches set rating0_before = ?, rating0_after = ?, rating1_before = ?, rating1_after = ? where id = ?', [
    white.rating, after(white), black.rating, after(black), end.matchId,
  ]);
}
