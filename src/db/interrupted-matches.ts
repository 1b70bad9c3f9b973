import type { QueryResult } from '@mikro-orm/core';
import type { Database } from './orm.js';

/**
 * Marks every match still `playing` as `interrupted`, ended at its last recorded event: run when
 * the server starts, before any room exists, these are matches whose room died with an earlier
 * run of the server (a crash, or a shutdown that did not forfeit anyone). Their log stays whole
 * and replayable; they are no longer listed as in progress, change no rating, and no longer keep
 * their guests from the stale-guest cleanup. The server's process owns every live match, so
 * nothing else can be playing one.
 */
export async function interruptMatchesInProgress(database: Database): Promise<number> {
  const result = await database.em().execute<QueryResult>(
    `update matches m set status = 'interrupted',
       ended_at = coalesce(
         (select (r.events -> -1 ->> 'at')::timestamptz from match_event_runs r where r.match_id = m.id order by r.last_seq desc limit 1),
         m.started_at)
     where m.status = 'playing'`,
    [],
    'run',
  );
  return result.affectedRows;
}
