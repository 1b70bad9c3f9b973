import { matchMaker } from '@colyseus/core';
import { claimMatch, interruptMatch, orphanedMatches, type GoneServers, type OrphanedMatch } from '../db/live-servers.js';
import { eventsOf } from '../db/records.js';
import { log } from '../log.js';
import type { Services } from '../services.js';
import { rebuildMatch, RebuildError } from './rebuild.js';
import type { Liveness } from './liveness.js';
import { awaitRoom } from './resume-registry.js';

type TakeoverServices = Pick<Services, 'database' | 'serverId' | 'seedVault'>;

export interface TakeoverReport {
  readonly resumed: number;
  readonly interrupted: number;
}

/**
 * Takes over the matches whose process is gone: each one this process claims is rebuilt from
 * its log into a room with the id it had, where its players come back; one that cannot be
 * rebuilt (no kept seed, another DICE_KEY, a log that cannot be continued) is marked interrupted.
 */
export async function takeOverOrphanedMatches(services: TakeoverServices, gone?: GoneServers): Promise<TakeoverReport> {
  let resumed = 0;
  let interrupted = 0;
  for (const orphan of await orphanedMatches(services.database, gone)) {
    if (!(await claimMatch(services.database, orphan, services.serverId))) continue;
    try {
      await resumeMatch(services, orphan);
      resumed += 1;
    } catch (error) {
      log.error({ matchId: orphan.id, roomId: orphan.roomId }, `match ${orphan.id} cannot be resumed and is marked interrupted: ${errorText(error)}`);
      await interruptMatch(services.database, orphan.id);
      interrupted += 1;
    }
  }
  if (resumed + interrupted > 0) log.info({ resumed, interrupted }, `took over the matches of a server process that is gone: ${resumed} resumed, ${interrupted} interrupted`);
  return { resumed, interrupted };
}

async function resumeMatch(services: TakeoverServices, orphan: OrphanedMatch): Promise<void> {
  const events = await eventsOf(services.database.em(), orphan.id);
  const created = events[0]?.entry;
  if (created?.type !== 'match-created') throw new RebuildError('its log does not start with its match-created event');
  const kept = await services.seedVault.open(created.diceCommitment);
  if (!kept) throw new RebuildError('its dice seed was not kept');
  const rebuilt = rebuildMatch(orphan.id, events, kept);
  // The room listing of the process that is gone would claim the id.
  await matchMaker.driver.remove(orphan.roomId);
  awaitRoom(orphan.roomId, rebuilt);
  await matchMaker.handleCreateRoom('match', {}, undefined, orphan.roomId);
}

/**
 * Takes over orphaned matches now and every `liveness.checkEveryMs`, one pass at a time; returns
 * a stop function that waits for a pass in progress.
 */
export function startTakeovers(services: TakeoverServices, liveness: Pick<Liveness, 'gone' | 'checkEveryMs'>): () => Promise<void> {
  let pass: Promise<unknown> = Promise.resolve();
  let running = false;
  const run = () => {
    // A pass slower than the interval is not queued behind itself.
    if (running) return;
    running = true;
    pass = takeOverOrphanedMatches(services, liveness.gone)
      .finally(() => (running = false)).catch((error: unknown) => log.error({ err: error }, `taking over orphaned matches failed: ${errorText(error)}`));
  };
  run();
  const timer = setInterval(run, liveness.checkEveryMs).unref();
  return async () => {
    clearInterval(timer);
    await pass;
  };
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
