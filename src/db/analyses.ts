import type { EntityManager } from '@mikro-orm/sql';
import type { DecisionTotals } from '../bots/analysis/skill.js';
import { GameAnalysis, GameAnalysisPlayer, type AnalysisStatus } from './entities.js';
import type { Database } from './orm.js';
import { ormTransactions } from './transactions.js';

/** A claim not finished within this long is taken over: the process that made it is gone. */
export const CLAIM_EXPIRES_SECONDS = 15 * 60;

/** Claims a game gets at most; a game whose analysis never finishes fails then. */
export const MAX_ATTEMPTS = 3;

export interface ClaimedGame {
  readonly matchId: string;
  readonly number: number;
}

/**
 * Claims one game to analyse for `serverId`: the most recently finished game waiting, else one
 * whose claim has expired. Of several processes claiming at once, each gets a different game.
 */
export async function claimGame(database: Database, serverId: string): Promise<ClaimedGame | null> {
  const em = database.em();
  await em.execute(
    `update game_analyses set status = 'failed', failure = ? where status = 'running' and claimed_at < now() - interval '1 second' * ? and attempts >= ?`,
    [`the analysis did not finish in ${MAX_ATTEMPTS} attempts`, CLAIM_EXPIRES_SECONDS, MAX_ATTEMPTS],
  );
  return (await claimOne(em, serverId, `status = 'pending'`)) ?? claimOne(em, serverId, `status = 'running' and claimed_at < now() - interval '${CLAIM_EXPIRES_SECONDS} seconds'`);
}

async function claimOne(em: EntityManager, serverId: string, waiting: string): Promise<ClaimedGame | null> {
  const [claimed] = await em.execute<{ match_id: string; number: number }[]>(
    `update game_analyses a set status = 'running', claimed_by = ?, claimed_at = now(), attempts = a.attempts + 1
     from (select match_id, number from game_analyses where ${waiting} order by queued_at desc limit 1 for update skip locked) w
     where a.match_id = w.match_id and a.number = w.number
     returning a.match_id, a.number`,
    [serverId],
  );
  return claimed ? { matchId: claimed.match_id, number: claimed.number } : null;
}

/** What an analysis stores: its depth, its decisions, and each player's figures, seat 0 first. */
export interface AnalysisRecord {
  readonly plies: number;
  readonly decisions: readonly unknown[];
  readonly players: readonly [DecisionTotals, DecisionTotals];
}

/** Stores the analysis of a claimed game, if the claim is still this process's; returns whether it was. */
export async function storeAnalysis(database: Database, game: ClaimedGame, serverId: string, record: AnalysisRecord): Promise<boolean> {
  let stored = false;
  await ormTransactions(database).transaction(async (sql) => {
    const updated = await sql.query<{ number: number }>(
      `update game_analyses set status = 'done', plies = $4, analysed_at = now(), failure = null, decisions = $5::jsonb
       where match_id = $1 and number = $2 and claimed_by = $3 and status = 'running' returning number`,
      [game.matchId, game.number, serverId, record.plies, JSON.stringify(record.decisions)],
    );
    if (updated.length === 0) return;
    stored = true;
    const players = record.players.map((totals, seat) => ({ seat, ...totals }));
    await sql.query(
      `insert into game_analysis_players (match_id, number, seat, user_id, unforced_moves, cube_decisions, checker_equity_lost, cube_equity_lost,
         doubtful, errors, blunders, luck, rolls)
       select $1, $2, p.seat, case p.seat when 0 then m.player0_id else m.player1_id end, p."unforcedMoves", p."cubeDecisions", p."checkerEquityLost",
         p."cubeEquityLost", p.doubtful, p.errors, p.blunders, p.luck, p.rolls
       from jsonb_to_recordset($3::jsonb) as p(seat smallint, "unforcedMoves" int, "cubeDecisions" int, "checkerEquityLost" float8, "cubeEquityLost" float8,
         doubtful int, errors int, blunders int, luck float8, rolls int)
       join matches m on m.id = $1
       on conflict (match_id, number, seat) do nothing`,
      [game.matchId, game.number, JSON.stringify(players)],
    );
  });
  return stored;
}

/**
 * Gives a claimed game up: `failure` says why it cannot be analysed, for good; without one it
 * waits to be claimed again (this process stops), unless it has had all its attempts.
 */
export async function releaseClaim(database: Database, game: ClaimedGame, serverId: string, failure: string | null): Promise<void> {
  await database.em().execute(
    `update game_analyses set status = case when ? or attempts >= ? then 'failed' else 'pending' end, failure = ?
     where match_id = ? and number = ? and claimed_by = ? and status = 'running'`,
    [failure !== null, MAX_ATTEMPTS, failure ?? `the analysis did not finish in ${MAX_ATTEMPTS} attempts`, game.matchId, game.number, serverId],
  );
}

/** A game's analysis as stored, with each seat's figures once it is done. */
export interface StoredAnalysis {
  readonly number: number;
  readonly status: AnalysisStatus;
  readonly plies: number | null;
  readonly analysedAt: Date | null;
  readonly failure: string | null;
  readonly decisions: readonly unknown[] | null;
  readonly players: readonly DecisionTotals[];
}

/** The analyses of a match's games, by game number. */
export async function analysesOf(em: EntityManager, matchId: string): Promise<StoredAnalysis[]> {
  const [games, players] = await Promise.all([
    em.find(GameAnalysis, { matchId }, { orderBy: { number: 'asc' } }),
    em.find(GameAnalysisPlayer, { matchId }, { orderBy: { number: 'asc', seat: 'asc' } }),
  ]);
  return games.map(({ number, status, plies, analysedAt, failure, decisions }) => ({
    number,
    status,
    plies: plies ?? null,
    analysedAt: analysedAt ?? null,
    failure: failure ?? null,
    decisions: decisions ?? null,
    players: players.filter((player) => player.number === number).map(totalsOf),
  }));
}

function totalsOf(row: GameAnalysisPlayer): DecisionTotals {
  return {
    unforcedMoves: row.unforcedMoves,
    cubeDecisions: row.cubeDecisions,
    checkerEquityLost: Number(row.checkerEquityLost),
    cubeEquityLost: Number(row.cubeEquityLost),
    doubtful: row.doubtful,
    errors: row.errors,
    blunders: row.blunders,
    luck: Number(row.luck),
    rolls: row.rolls,
  };
}

/**
 * A player's figures over every analysed game `viewerId` may see (a private match counts for its
 * two players only), and how many games they are.
 */
export async function analysedTotalsOf(em: EntityManager, userId: string, viewerId: string | null): Promise<{ games: number; totals: DecisionTotals }> {
  const [row] = await em.execute<Record<string, string | number | null>[]>(
    `select count(*) as games, sum(p.unforced_moves) as unforced_moves, sum(p.cube_decisions) as cube_decisions,
            sum(p.checker_equity_lost) as checker_equity_lost, sum(p.cube_equity_lost) as cube_equity_lost, sum(p.doubtful) as doubtful,
            sum(p.errors) as errors, sum(p.blunders) as blunders, sum(p.luck) as luck, sum(p.rolls) as rolls
     from game_analysis_players p join matches m on m.id = p.match_id
     where p.user_id = ? and (not m.private or ? in (m.player0_id, m.player1_id))`,
    [userId, viewerId],
  );
  const count = (key: string) => Number(row?.[key] ?? 0);
  return {
    games: count('games'),
    totals: {
      unforcedMoves: count('unforced_moves'),
      cubeDecisions: count('cube_decisions'),
      checkerEquityLost: count('checker_equity_lost'),
      cubeEquityLost: count('cube_equity_lost'),
      doubtful: count('doubtful'),
      errors: count('errors'),
      blunders: count('blunders'),
      luck: count('luck'),
      rolls: count('rolls'),
    },
  };
}
