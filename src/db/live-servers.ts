import type { QueryResult } from '@mikro-orm/core';
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

/**
 * This process is alive. If it fell silent long enough for another process to mark its matches
 * interrupted (the database unreachable for a minute, say), they are playing again: its rooms
 * never stopped, and a room ends no match unfinished but at shutdown.
 */
export async function heartbeat(database: Database, serverId: string): Promise<void> {
  await registerServer(database, serverId);
  await database.em().execute(`update matches set status = 'playing', ended_at = null where server_id = ? and status = 'interrupted'`, [serverId]);
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

/**
 * Marks `interrupted`, ended at its last recorded event, every match still `playing` whose server
 * process is gone (stopped, crashed, or silent for a minute): its room died with it. The log
 * stays whole and replayable; the match is no longer listed in progress, rates nobody and no
 * longer keeps its guests from the stale-guest cleanup. Matches of live processes, this one or
 * others sharing the database, are left alone. Returns how many were marked.
 */
export async function interruptOrphanedMatches(database: Database): Promise<number> {
  const em = database.em();
  await em.execute(`delete from servers where seen_at < now() - interval '1 second' * ?`, [FORGET_SECONDS]);
  const result = await em.execute<QueryResult>(
    `update matches m set status = 'interrupted',
       ended_at = coalesce(
         (select (r.events -> -1 ->> 'at')::timestamptz from match_event_runs r where r.match_id = m.id order by r.last_seq desc limit 1),
         m.started_at)
     where m.status = 'playing'
       and not exists (select 1 from servers s where s.id = m.server_id and s.seen_at > now() - interval '1 second' * ?)`,
    [ALIVE_SECONDS],
    'run',
  );
  return result.affectedRows;
}
