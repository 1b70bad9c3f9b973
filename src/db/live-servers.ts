import type { Database } from './orm.js';

/** How often a server process says it is alive. */
export const HEARTBEAT_MS = 10_000;

/** A process not heard from for this long is gone: a stalled loop or a short database outage stays well within it. */
const ALIVE_SECONDS = 60;

/** Rows of processes gone for longer than this are removed. */
const FORGET_SECONDS = 24 * 60 * 60;

/**
 * Records a server process as alive now: on start (its matches carry its id, JournalStore writes
 * it), and again on every heartbeat, inserting it anew if another process removed the row after a
 * long silence.
 */
export async function registerServer(database: Database, serverId: string): Promise<void> {
  await database.em().execute('insert into servers (id, started_at, seen_at) values (?, now(), now()) on conflict (id) do update set seen_at = now()', [serverId]);
}

/** This process is alive. */
export async function heartbeat(database: Database, serverId: string): Promise<void> {
  await registerServer(database, serverId);
}

/**
 * The embedded database belongs to one process: whatever other process it remembers is gone, even
 * one that crashed a moment ago, so its matches need not wait for its silence to count.
 */
export async function forgetOtherServers(database: Database, serverId: string): Promise<void> {
  await database.em().execute('delete from servers where id <> ?', [serverId]);
}

/** A process that stops says so: the matches it leaves playing need not wait for its silence to count. */
export async function unregisterServer(database: Database, serverId: string): Promise<void> {
  await database.em().execute('delete from servers where id = ?', [serverId]);
}

/** A match still `playing` whose server process is gone (its room died with it), or that was handed over. */
export interface OrphanedMatch {
  readonly id: string;
  readonly roomId: string;
  /** The process that played it, as the claim must find it. */
  readonly serverId: string | null;
  /** The fair-dice commitment its sealed seed is kept under. */
  readonly diceCommitment: string;
}

/** Of some server processes, those that are gone. */
export type GoneServers = (serverIds: readonly string[]) => Promise<ReadonlySet<string>>;

/** The time of a match's last recorded event (SQL), or its start when it has none. */
const LAST_EVENT_AT = `coalesce(
  (select (r.events -> -1 ->> 'at')::timestamptz from match_event_runs r where r.match_id = m.id order by r.last_seq desc limit 1),
  m.started_at)`;

/** A list of ids bound as one JSON array parameter (SQL). */
const UUID_LIST = `select json_array_elements_text(?::json)::uuid`;

/** Processes gone by the `servers` table: stopped (their row deleted), or silent for a minute. */
export function serversGoneSilent(database: Database): GoneServers {
  return async (serverIds) => {
    const alive = await database
      .em()
      .execute<{ id: string }[]>(`select id from servers where id in (${UUID_LIST}) and seen_at > now() - interval '1 second' * ?`, [JSON.stringify(serverIds), ALIVE_SECONDS]);
    const aliveIds = new Set(alive.map((row) => row.id));
    return new Set(serverIds.filter((id) => !aliveIds.has(id)));
  };
}

/**
 * The matches still `playing` whose server process is gone, as `gone` tells (by default: the
 * `servers` heartbeat); rows of processes gone for a day are removed first.
 */
export async function orphanedMatches(database: Database, gone: GoneServers = serversGoneSilent(database)): Promise<OrphanedMatch[]> {
  const em = database.em();
  await forgetLongGone(em);
  const owners = await em.execute<{ server_id: string | null }[]>(`select distinct server_id from matches where status = 'playing'`);
  const ownerIds = owners.flatMap((row) => (row.server_id === null ? [] : [row.server_id]));
  const goneIds = ownerIds.length === 0 ? [] : [...(await gone(ownerIds))];
  const rows = await em.execute<{ id: string; room_id: string; server_id: string | null; dice_commitment: string }[]>(
    `select id, room_id, server_id, dice_commitment from matches where status = 'playing' and (server_id is null or server_id in (${UUID_LIST}))`,
    [JSON.stringify(goneIds)],
  );
  return rows.map((row) => ({ id: row.id, roomId: row.room_id, serverId: row.server_id, diceCommitment: row.dice_commitment }));
}

/**
 * Makes `serverId` the process playing an orphaned match, if it still belongs to the process
 * that left it: of several processes claiming one match at once, exactly one gets it. Returns the
 * room id the match goes on in, or null when another claim won. A match handed over keeps the
 * room id its clients were told (see handOverMatch); one whose process is gone goes on in
 * `freshRoomId`, never the id of a room that process may still hold, should it only have stalled.
 */
export async function claimMatch(database: Database, match: Pick<OrphanedMatch, 'id' | 'serverId'>, serverId: string, freshRoomId: string): Promise<string | null> {
  const claimed = await database.em().execute<{ room_id: string }[]>(
    `update matches set server_id = ?, room_id = case when server_id is null then room_id else ? end
     where id = ? and status = 'playing' and server_id is not distinct from ? returning room_id`,
    [serverId, freshRoomId, match.id, match.serverId],
  );
  return claimed[0]?.room_id ?? null;
}

/**
 * Lets go of a match this process plays, for whichever live process claims it next (maybe this
 * one), to go on in the room `nextRoomId`. Returns the room id the match goes on in: `nextRoomId`,
 * or that of the process that has already taken it over; null once it is no longer played.
 */
export async function handOverMatch(database: Database, matchId: string, serverId: string, nextRoomId: string): Promise<string | null> {
  const em = database.em();
  const [released] = await em.execute<{ room_id: string }[]>(
    `update matches set server_id = null, room_id = ? where id = ? and status = 'playing' and server_id = ? returning room_id`,
    [nextRoomId, matchId, serverId],
  );
  if (released) return released.room_id;
  const [current] = await em.execute<{ room_id: string }[]>(`select room_id from matches where id = ? and status = 'playing'`, [matchId]);
  return current?.room_id ?? null;
}

/**
 * Marks one match `interrupted`, ended at its last recorded event: it could not be resumed. The
 * log stays whole and replayable; the match is no longer listed in progress, rates nobody and no
 * longer keeps its guests from the stale-guest cleanup.
 */
export async function interruptMatch(database: Database, matchId: string): Promise<void> {
  await database.em().execute(`update matches m set status = 'interrupted', ended_at = ${LAST_EVENT_AT} where m.id = ? and m.status = 'playing'`, [matchId]);
}

function forgetLongGone(em: ReturnType<Database['em']>): Promise<unknown> {
  return em.execute(`delete from servers where seen_at < now() - interval '1 second' * ?`, [FORGET_SECONDS]);
}
