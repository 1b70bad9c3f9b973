import { createHash } from 'node:crypto';
import { generateId, matchMaker } from '@colyseus/core';
import { claimMatch, interruptMatch, orphanedMatches, type GoneServers, type OrphanedMatch } from '../db/live-servers.js';
import { eventsOf } from '../db/records.js';
import { log } from '../log.js';
import type { Services } from '../services.js';
import { rebuildMatch, RebuildError } from './rebuild.js';
import type { Liveness } from './liveness.js';
import { awaitRoom } from './resume-registry.js';

type TakeoverServices = Pick<Services, 'database' | 'serverId' | 'seedVault'> & { readonly journal: Pick<Services['journal'], 'holds'> };

export interface TakeoverReport {
  readonly resumed: number;
  readonly interrupted: number;
  /** Orphans left to the other live processes, whose share they are. */
  readonly leftToOthers?: number;
}

/** Matches rebuilt at once: each waits on a few database round trips. */
const REBUILDS_AT_ONCE = 8;
/** How often a look that had to wait (this process's own presence not yet current) is tried again. */
const RETRY_MS = 250;
/** How long the orphans another live process takes over first are left to it, before any process takes them. */
const SHARE_WAIT_MS = 1_000;

/**
 * Takes over the matches whose process is gone, and those handed over: each one this process
 * claims is rebuilt from its log into a room of its own, where its players come back; one that
 * cannot be rebuilt (no kept seed, another DICE_KEY, a log that cannot be continued) is marked
 * interrupted. Only the orphans `ours` accepts are taken; the others are left (see shareOf).
 */
export async function takeOverOrphanedMatches(services: TakeoverServices, gone?: GoneServers, ours: (matchId: string) => boolean = () => true): Promise<TakeoverReport> {
  const orphans = await orphanedMatches(services.database, gone);
  await forgetRoomsOfGoneProcesses(orphans);
  const taken = orphans.filter((orphan) => ours(orphan.id));
  const outcomes: ('resumed' | 'interrupted' | null)[] = [];
  for (let first = 0; first < taken.length; first += REBUILDS_AT_ONCE) {
    outcomes.push(...(await Promise.all(taken.slice(first, first + REBUILDS_AT_ONCE).map((orphan) => takeOver(services, orphan)))));
  }
  const resumed = outcomes.filter((outcome) => outcome === 'resumed').length;
  const interrupted = outcomes.filter((outcome) => outcome === 'interrupted').length;
  if (resumed + interrupted > 0) log.info({ resumed, interrupted }, `took over the matches of server processes that are gone or handed them over: ${resumed} resumed, ${interrupted} interrupted`);
  return { resumed, interrupted, leftToOthers: orphans.length - taken.length };
}

/**
 * The orphans this process takes over first: each goes to one of the live processes, the same
 * whichever of them asks (rendezvous hashing of the match id and each process's id), so that the
 * matches of a process that is gone are rebuilt, and their clients come back, on all the others at once.
 */
export function shareOf(serverId: string, alive: readonly string[]): (matchId: string) => boolean {
  if (!alive.includes(serverId)) return () => true;
  return (matchId) => {
    const score = (id: string) => createHash('sha256').update(`${matchId} ${id}`).digest().readUIntBE(0, 6);
    return alive.every((id) => id === serverId || score(id) < score(serverId));
  };
}

/**
 * A join to a room of a process that is gone waits seconds for it to answer before it fails: the
 * listings of those rooms go first, so that such a join fails at once. (A room handed over was
 * closed by its process, which removed its listing; its match goes on under a new id.)
 */
async function forgetRoomsOfGoneProcesses(orphans: readonly OrphanedMatch[]): Promise<void> {
  // No driver when no server was set up (a command-line tool).
  const driver = matchMaker.driver as typeof matchMaker.driver | undefined;
  if (!driver) return;
  await Promise.all(orphans.filter((orphan) => orphan.serverId !== null).map((orphan) => driver.remove(orphan.roomId)));
}

/**
 * Claims the match and resumes it; null when another process claimed it first, or when entries
 * of it that an earlier room of this process appended still wait in the journal: the journal's
 * fence is the process, so written after this claim they would pass it and clash with the log
 * the new room continues. Left for a later pass, they are written (or refused) first.
 */
async function takeOver(services: TakeoverServices, orphan: OrphanedMatch): Promise<'resumed' | 'interrupted' | null> {
  if (services.journal.holds(orphan.id)) {
    log.warn({ matchId: orphan.id }, `match ${orphan.id} is not taken over yet: events of it that this process appended earlier are not written yet`);
    return null;
  }
  const roomId = await claimMatch(services.database, orphan, services.serverId, generateId());
  if (roomId === null) return null;
  try {
    await resumeMatch(services, orphan, roomId);
    return 'resumed';
  } catch (error) {
    log.error({ matchId: orphan.id, roomId }, `match ${orphan.id} cannot be resumed and is marked interrupted: ${errorText(error)}`);
    await interruptMatch(services.database, orphan.id);
    return 'interrupted';
  }
}

async function resumeMatch(services: TakeoverServices, orphan: OrphanedMatch, roomId: string): Promise<void> {
  const [events, kept] = await Promise.all([eventsOf(services.database.em(), orphan.id), services.seedVault.open(orphan.diceCommitment)]);
  if (!kept) throw new RebuildError('its dice seed was not kept');
  awaitRoom(roomId, rebuildMatch(orphan.id, events, kept));
  await matchMaker.handleCreateRoom('match', {}, undefined, roomId);
}

/**
 * Takes over orphaned matches now, every `liveness.checkEveryMs`, and whenever `liveness` sees a
 * process go or hand matches over; one pass at a time, and only while this process's own presence
 * is current. Returns a stop function that waits for a pass in progress.
 */
export function startTakeovers(services: TakeoverServices, liveness: Pick<Liveness, 'gone' | 'checkEveryMs' | 'watch' | 'mayTakeOver' | 'alive'>): () => Promise<void> {
  let pass: Promise<unknown> = Promise.resolve();
  let running = false;
  let wanted = true;
  let stopped = false;
  /** The next pass takes every orphan, not only this process's share: the others had their time. */
  let takeAll = false;
  const timers: NodeJS.Timeout[] = [];
  const onePass = async () => {
    const ours = takeAll ? () => true : shareOf(services.serverId, await liveness.alive());
    takeAll = false;
    const { leftToOthers = 0 } = await takeOverOrphanedMatches(services, liveness.gone, ours);
    if (leftToOthers > 0) timers.push(setTimeout(() => ((takeAll = true), look()), SHARE_WAIT_MS).unref());
  };
  const run = () => {
    // A pass slower than the interval is not queued behind itself: one more follows it if wanted.
    if (stopped || running || !wanted || !liveness.mayTakeOver()) return;
    running = true;
    wanted = false;
    pass = onePass()
      .catch((error: unknown) => log.error({ err: error }, `taking over orphaned matches failed: ${errorText(error)}`))
      .finally(() => {
        running = false;
        run();
      });
  };
  const look = () => {
    wanted = true;
    run();
  };
  look();
  liveness.watch(look);
  timers.push(setInterval(look, liveness.checkEveryMs).unref(), setInterval(run, RETRY_MS).unref());
  return async () => {
    stopped = true;
    for (const timer of timers) clearInterval(timer);
    await pass;
  };
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
