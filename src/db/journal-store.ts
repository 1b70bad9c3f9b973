import { randomUUID } from 'node:crypto';
import { rateMatch } from '../ratings/fibs.js';
import { PAIR_WINDOW_MS, unratedReasons, type MatchEnding, type RatingParticipant, type RatingTerms } from '../ratings/rated.js';
import type { GameFinished, JournalEntry, MatchEventWritten, MatchFinished, MatchStarted } from './journal.js';
import type { SqlSession, Transactions } from './transactions.js';

/**
 * Writes a journal batch in one transaction of at most a dozen statements, however many matches
 * it holds: match starts in one insert from a JSON array (after reading whether their players are
 * guests), event runs and games (each queued for analysis) each in one insert, every ending in one update, the decision
 * which endings are rated (ratings/rated.ts) in three more, and the rating changes of rated
 * matches in three. A batch of events alone, nearly every batch while matches are played, is one
 * statement on its own. Values travel as bind parameters. Every statement is idempotent, so a
 * batch written again after a lost acknowledgement changes nothing: rows are keyed by match and
 * sequence or game number, and only a match not finished yet can finish (and be rated).
 *
 * With a server id, only the matches that process plays are written: the entries of a match
 * another process has taken over (live-servers.ts: claimMatch) are refused, so a process that
 * stalled while its matches were taken over never writes events that clash with the new owner's.
 */
export class JournalStore {
  /** `serverId`: the server process whose rooms play the matches this store starts (see live-servers.ts). */
  constructor(
    private readonly database: Transactions,
    private readonly serverId: string | null = null,
  ) {}

  /** Writes the batch; returns the ids of the matches whose entries it refused, another process playing them now. */
  async write(batch: readonly JournalEntry[]): Promise<string[]> {
    const sorted = sortEntries(batch);
    const eventStatements = statementsOf(runsOf(sorted.events));
    if (sorted.starts.length + sorted.games.length + sorted.ends.length === 0 && eventStatements.length === 1) return this.writeEventsAlone(eventStatements[0]!);
    let refused: string[] = [];
    await this.database.transaction(async (sql) => {
      if (sorted.starts.length > 0) await insertMatches(sql, sorted.starts, this.serverId);
      const played = await this.playedHere(sql, sorted);
      refused = played.refused;
      const { events, games, ends } = played;
      if (events.length > 0) await insertEventRuns(sql, events);
      if (games.length > 0) await insertGames(sql, games);
      if (ends.length > 0) await finishMatches(sql, ends);
    });
    return refused;
  }

  /**
   * A batch of nothing but events, nearly every batch while matches are played, in one statement
   * that is a transaction of its own: it locks the rows of the matches this process plays, as
   * playedHere does, and writes their events.
   */
  private async writeEventsAlone(runs: readonly MatchEventWritten[][]): Promise<string[]> {
    const json = runsJson(runs);
    if (this.serverId === null) {
      await this.database.statement(insertEventRunsSql(), [json]);
      return [];
    }
    const matchIds = [...new Set(runs.map((run) => run[0]!.matchId))];
    const owned = await this.database.statement<{ id: string }>(
      `with owned as (${ownedMatchesSql('$2', '$3')}), stored as (${insertEventRunsSql('where row.match_id in (select id from owned)')}) select id from owned`,
      [json, matchIds, this.serverId],
    );
    const ours = new Set(owned.map((row) => row.id));
    return matchIds.filter((id) => !ours.has(id));
  }

  /**
   * The entries of matches this process still plays, and the ids of the others. Their rows stay
   * locked (for share) until the batch commits: a claim by another process waits for the batch,
   * and then rebuilds the match from a log that holds it.
   */
  private async playedHere(sql: SqlSession, { events, games, ends }: ReturnType<typeof sortEntries>) {
    const matchIds = [...new Set([...events, ...games, ...ends].map((entry) => entry.matchId))];
    if (this.serverId === null || matchIds.length === 0) return { events, games, ends, refused: [] };
    const owned = await sql.query<{ id: string }>(ownedMatchesSql('$1', '$2'), [matchIds, this.serverId]);
    const ours = new Set(owned.map((row) => row.id));
    const mine = <T extends JournalEntry>(entries: readonly T[]) => entries.filter((entry) => ours.has(entry.matchId));
    return { events: mine(events), games: mine(games), ends: mine(ends), refused: matchIds.filter((id) => !ours.has(id)) };
  }
}

function sortEntries(batch: readonly JournalEntry[]) {
  const starts: MatchStarted[] = [];
  const events: MatchEventWritten[] = [];
  const games: GameFinished[] = [];
  const ends: MatchFinished[] = [];
  for (const entry of batch) {
    if (entry.kind === 'event') events.push(entry);
    else if (entry.kind === 'match-started') starts.push(entry);
    else if (entry.kind === 'game-finished') games.push(entry);
    else ends.push(entry);
  }
  return { starts, events, games, ends };
}

/** Matches are stored as rated only when nothing known at their start rules it out; their end decides the rest. */
async function insertMatches(sql: SqlSession, starts: readonly MatchStarted[], serverId: string | null): Promise<void> {
  const playerIds = starts.flatMap((start) => start.players.flatMap((player) => (player.userId === null ? [] : [player.userId])));
  const accounts = await sql.query<{ id: string; guest: boolean }>('select id, guest from users where id = any($1::uuid[])', [[...new Set(playerIds)]]);
  const guests = new Map(accounts.map((account) => [account.id, account.guest]));
  const participant = ({ userId }: { userId: string | null }): RatingParticipant =>
    userId !== null && guests.has(userId) ? { userId, guest: guests.get(userId)! } : { userId: null, guest: false };
  const rows = starts.map((start) => {
    const [white, black] = start.players;
    const terms: RatingTerms = { requested: start.rated, matchLength: start.settings.matchLength, players: [participant(white), participant(black)] };
    return {
      id: start.matchId,
      room_id: start.roomId,
      match_length: start.settings.matchLength,
      rated: unratedReasons(terms).length === 0,
      private: start.private,
      settings: start.settings,
      player0_id: white.userId,
      player1_id: black.userId,
      player0_name: white.name,
      player1_name: black.name,
      dice_commitment: start.diceCommitment,
      dice_client_seeds: start.diceClientSeeds,
      started_at: start.at,
      rating0_before: white.rating,
      rating1_before: black.rating,
    };
  });
  await sql.query(`insert into matches (id, room_id, status, match_length, rated, private, settings, player0_id, player1_id, player0_name, player1_name,
       score0, score1, dice_commitment, dice_client_seeds, started_at, rating0_before, rating1_before, server_id)
     select id, room_id, 'playing', match_length, rated, private, settings, player0_id, player1_id, player0_name, player1_name,
       0, 0, dice_commitment, dice_client_seeds, started_at, rating0_before, rating1_before, $2::uuid
     from jsonb_to_recordset($1::jsonb) as row(id uuid, room_id text, match_length int, rated boolean, private boolean, settings jsonb, player0_id uuid,
       player1_id uuid, player0_name text, player1_name text, dice_commitment text, dice_client_seeds jsonb, started_at timestamptz,
       rating0_before float8, rating1_before float8)
     on conflict (id) do nothing`,
    [JSON.stringify(rows), serverId],
  );
}

/**
 * Events per run and per statement: a whole default batch in one statement. The journal's writer
 * has a thread of its own, so a long statement holds up no room, and each statement saved is a
 * round trip and a plan saved (about 10% more games a second than statements of 500 events).
 */
const EVENTS_PER_STATEMENT = 5_000;

/**
 * Each match's events in the batch become runs of at most EVENTS_PER_STATEMENT consecutive events
 * (consecutive because the queue keeps them in order), sent in statements of at most as many
 * events. A batch retried after a lost acknowledgement starts where the first attempt started and
 * may hold more events since; its runs start at the same places, and a longer run replaces the
 * stored one.
 */
async function insertEventRuns(sql: SqlSession, events: readonly MatchEventWritten[]): Promise<void> {
  for (const statement of statementsOf(runsOf(events))) await sql.query(insertEventRunsSql(), [runsJson(statement)]);
}

/**
 * Which of the matches (ids in parameter `ids`) the server (parameter `server`) plays, their rows
 * locked for share until the commit. The rows are found by id: `is not distinct from` keeps the
 * planner off the server_id index, which it took for a server id too new for the table's
 * statistics and then read every match of that server, at every commit, to keep the few asked for.
 */
export function ownedMatchesSql(ids: string, server: string): string {
  return `select id from matches where id = any(${ids}::uuid[]) and server_id is not distinct from ${server}::uuid order by id for share`;
}

/** Event runs from a JSON array of them in parameter $1 (runsJson), those `filter` keeps; a longer run replaces the stored one it extends. */
function insertEventRunsSql(filter = ''): string {
  return `insert into match_event_runs (match_id, first_seq, last_seq, events)
       select match_id, first_seq, last_seq, events
       from json_to_recordset($1::json) as row(match_id uuid, first_seq int, last_seq int, events json)
       ${filter}
       on conflict (match_id, first_seq) do update set last_seq = excluded.last_seq, events = excluded.events
         where match_event_runs.last_seq < excluded.last_seq`;
}

function runsJson(runs: readonly MatchEventWritten[][]): string {
  return `[${runs.map(runText).join(',')}]`;
}

function runsOf(events: readonly MatchEventWritten[]): MatchEventWritten[][] {
  const open = new Map<string, MatchEventWritten[]>();
  const runs: MatchEventWritten[][] = [];
  for (const event of events) {
    let current = open.get(event.matchId);
    if (!current || current.length === EVENTS_PER_STATEMENT) {
      current = [];
      open.set(event.matchId, current);
      runs.push(current);
    }
    current.push(event);
  }
  return runs;
}

function statementsOf(runs: readonly MatchEventWritten[][]): MatchEventWritten[][][] {
  const statements: MatchEventWritten[][][] = [];
  let current: MatchEventWritten[][] = [];
  let size = 0;
  for (const events of runs) {
    if (size + events.length > EVENTS_PER_STATEMENT && current.length > 0) {
      statements.push(current);
      current = [];
      size = 0;
    }
    current.push(events);
    size += events.length;
  }
  if (current.length > 0) statements.push(current);
  return statements;
}

/** A run as JSON, joined from the texts serialized when the events happened: ids are UUIDs, the rest numbers. */
function runText(events: readonly MatchEventWritten[]): string {
  const first = events[0]!;
  const last = events[events.length - 1]!;
  return `{"match_id":"${first.matchId}","first_seq":${first.seq},"last_seq":${last.seq},"events":[${events.map((event) => event.json).join(',')}]}`;
}

async function insertGames(sql: SqlSession, games: readonly GameFinished[]): Promise<void> {
  const rows = games.map((game) => ({
    match_id: game.matchId,
    number: game.number,
    score_before: game.scoreBefore,
    crawford: game.crawford,
    winner: game.outcome.winner,
    points: game.outcome.points,
    kind: game.outcome.kind,
    ended_by: game.outcome.by,
    cube: game.cube,
    final_position_id: game.finalPositionId,
    moves: game.moves,
    started_at: game.startedAt,
    ended_at: game.at,
    duration_ms: game.at.getTime() - game.startedAt.getTime(),
  }));
  // Each new game is queued for analysis with its row (see analysis-service.ts): none is ever missed.
  await sql.query(`with stored as (
       insert into games (match_id, number, score_before, crawford, winner, points, kind, ended_by, cube, final_position_id,
         moves, started_at, ended_at, duration_ms)
       select match_id, number, score_before, crawford, winner, points, kind, ended_by, cube, final_position_id, moves, started_at, ended_at, duration_ms
       from jsonb_to_recordset($1::jsonb) as row(match_id uuid, number int, score_before jsonb, crawford boolean, winner smallint, points int,
         kind text, ended_by text, cube int, final_position_id text, moves int, started_at timestamptz, ended_at timestamptz, duration_ms int)
       on conflict (match_id, number) do nothing
       returning match_id, number, ended_at)
     insert into game_analyses (match_id, number, status, queued_at, attempts)
     select match_id, number, 'pending', ended_at, 0 from stored
     on conflict (match_id, number) do nothing`,
    [JSON.stringify(rows)],
  );
}

interface EndedMatch {
  id: string;
  rated: boolean;
  match_length: number;
  player0_id: string | null;
  player1_id: string | null;
}

interface RatedUser {
  id: string;
  guest: boolean;
  rating: number;
  experience: number;
}

interface RatedEnding {
  readonly end: MatchFinished;
  readonly white: RatedUser;
  readonly black: RatedUser;
  readonly matchLength: number;
}

async function finishMatches(sql: SqlSession, ends: readonly MatchFinished[]): Promise<void> {
  const rows = ends.map((end) => ({
    id: end.matchId,
    score0: end.score[0],
    score1: end.score[1],
    winner: end.winner,
    forfeited_by: end.forfeitedBy,
    dice_server_seed: end.fairDice.serverSeed,
    dice_client_seeds: end.fairDice.clientSeeds,
    ended_at: end.at,
  }));
  // Only matches not finished yet change, and come back: a batch written again rates nothing twice.
  const ended = await sql.query<EndedMatch>(`update matches m set status = 'finished', score0 = e.score0, score1 = e.score1, winner = e.winner, forfeited_by = e.forfeited_by,
       dice_server_seed = e.dice_server_seed, dice_client_seeds = e.dice_client_seeds, ended_at = e.ended_at
     from jsonb_to_recordset($1::jsonb) as e(id uuid, score0 int, score1 int, winner smallint, forfeited_by smallint,
       dice_server_seed text, dice_client_seeds jsonb, ended_at timestamptz)
     where m.id = e.id and m.status <> 'finished'
     returning m.id, m.rated, m.match_length, m.player0_id, m.player1_id`,
    [JSON.stringify(rows)],
  );
  // A match stored as unrated at its start stays unrated; the others are decided now.
  const byId = new Map(ended.filter((match) => match.rated).map((match) => [match.id, match]));
  const candidates = ends.flatMap((end) => {
    const match = byId.get(end.matchId);
    return match ? [{ end, match }] : [];
  });
  if (candidates.length === 0) return;
  const users = await lockPlayers(sql, candidates.map(({ match }) => match));
  const ratedBefore = await ratedMatchesOfPairs(sql, candidates, ended.map((match) => match.id));
  const rated: RatedEnding[] = [];
  const unrated: string[] = [];
  for (const { end, match } of candidates) {
    const [white, black] = [userOf(users, match.player0_id), userOf(users, match.player1_id)];
    const pair = pairKey(match);
    const terms: RatingTerms = { requested: true, matchLength: match.match_length, players: [participantOf(white), participantOf(black)] };
    const ending: MatchEnding = { winner: end.winner, turns: end.turns, ratedBetweenPairInWindow: ratedBefore.get(pair) ?? 0 };
    if (unratedReasons(terms, ending).length > 0 || !white || !black) {
      unrated.push(end.matchId);
      continue;
    }
    ratedBefore.set(pair, ending.ratedBetweenPairInWindow + 1);
    rated.push({ end, white, black, matchLength: match.match_length });
  }
  if (unrated.length > 0) await sql.query('update matches set rated = false where id = any($1::uuid[])', [unrated]);
  if (rated.length > 0) await applyRatings(sql, rated);
}

/** Locked in one order, so that two processes rating the same players wait for each other instead of deadlocking. */
async function lockPlayers(sql: SqlSession, matches: readonly EndedMatch[]): Promise<Map<string, RatedUser>> {
  const ids = [...new Set(matches.flatMap((match) => [match.player0_id, match.player1_id]).filter((id) => id !== null))];
  const found = await sql.query<RatedUser>('select id, guest, rating, experience from users where id = any($1::uuid[]) order by id for update', [ids]);
  return new Map(found.map((user) => [user.id, { ...user, rating: Number(user.rating) }]));
}

function userOf(users: ReadonlyMap<string, RatedUser>, id: string | null): RatedUser | undefined {
  return id === null ? undefined : users.get(id);
}

function participantOf(user: RatedUser | undefined): RatingParticipant {
  return user ? { userId: user.id, guest: user.guest } : { userId: null, guest: false };
}

/** The two players of a match in either seat order. */
function pairKey(match: EndedMatch): string {
  return [match.player0_id, match.player1_id].sort().join(' ');
}

/**
 * For each candidate's pair of players, the rated matches they finished in the window before it
 * ended, other than those of this batch (whose rating is being decided now). Read after the
 * players are locked, so a match another process rated meanwhile is counted.
 */
async function ratedMatchesOfPairs(
  sql: SqlSession,
  candidates: readonly { end: MatchFinished; match: EndedMatch }[],
  batchIds: readonly string[],
): Promise<Map<string, number>> {
  const rows = candidates.map(({ end, match }) => ({ pair: pairKey(match), a: match.player0_id, b: match.player1_id, since: new Date(end.at.getTime() - PAIR_WINDOW_MS) }));
  const counts = await sql.query<{ pair: string; rated: number }>(`select c.pair, count(m.id)::int as rated
     from (select distinct on (pair) * from jsonb_to_recordset($1::jsonb) as r(pair text, a uuid, b uuid, since timestamptz) order by pair, since) c
     left join matches m on m.status = 'finished' and m.rated and m.ended_at > c.since and m.id <> all($2::uuid[])
       and ((m.player0_id = c.a and m.player1_id = c.b) or (m.player0_id = c.b and m.player1_id = c.a))
     group by c.pair`,
    [JSON.stringify(rows), batchIds],
  );
  return new Map(counts.map((row) => [row.pair, Number(row.rated)]));
}

/** Rates the matches in batch order, as one statement per match would: a player in two matches is rated after the first. */
async function applyRatings(sql: SqlSession, rated: readonly RatedEnding[]): Promise<void> {
  const changes: unknown[] = [];
  const matchRatings: unknown[] = [];
  for (const { end, white, black, matchLength } of rated) {
    const [winner, loser] = end.winner === 0 ? [white, black] : [black, white];
    const change = rateMatch(winner, loser, matchLength);
    matchRatings.push({ id: end.matchId, rating0_before: white.rating, rating1_before: black.rating });
    for (const [user, result] of [[winner, change.winner], [loser, change.loser]] as const) {
      changes.push({ id: randomUUID(), user_id: user.id, match_id: end.matchId, before: result.before, after: result.after, experience_before: user.experience, at: end.at });
      user.rating = result.after;
      user.experience = result.experienceAfter;
    }
    Object.assign(matchRatings.at(-1)!, { rating0_after: white.rating, rating1_after: black.rating });
  }
  await sql.query(`update users u set rating = v.rating, experience = v.experience
     from jsonb_to_recordset($1::jsonb) as v(id uuid, rating float8, experience int) where u.id = v.id`,
    [JSON.stringify([...new Set(rated.flatMap(({ white, black }) => [white, black]))])],
  );
  await sql.query(`insert into rating_changes (id, user_id, match_id, before, after, experience_before, at)
     select id, user_id, match_id, before, after, experience_before, at
     from jsonb_to_recordset($1::jsonb) as c(id uuid, user_id uuid, match_id uuid, before float8, after float8, experience_before int, at timestamptz)`,
    [JSON.stringify(changes)],
  );
  await sql.query(`update matches m set rating0_before = r.rating0_before, rating0_after = r.rating0_after, rating1_before = r.rating1_before, rating1_after = r.rating1_after
     from jsonb_to_recordset($1::jsonb) as r(id uuid, rating0_before float8, rating0_after float8, rating1_before float8, rating1_after float8)
     where m.id = r.id`,
    [JSON.stringify(matchRatings)],
  );
}
