import { deleteStaleGuests } from './auth/accounts.js';
import { randomUUID } from 'node:crypto';
import { JournalThread } from './db/journal-thread.js';
import { forgetOtherServers, HEARTBEAT_MS, heartbeat, registerServer, unregisterServer } from './db/live-servers.js';
import { describeTarget, openDatabase, type Database, type DatabaseTarget } from './db/orm.js';
import { log } from './log.js';
import { Metrics } from './metrics.js';
import { ThinkingPool } from './bots/thinking-pool.js';
import { loadDeploymentSecrets, type DeploymentSecrets } from './auth/deployment-secrets.js';
import { SeedVault } from './recovery/seed-vault.js';
import { AnalysisService, DEFAULT_ANALYSIS_SETTINGS, type AnalysisSettings } from './analysis-service.js';
import { handOverWith, RoomsHere, type HandOver } from './recovery/handover.js';
import { startLiveness, type Liveness } from './recovery/liveness.js';

/** What rooms and routes share: the database and the queue that writes match events to it. */
export interface Services {
  readonly database: Database;
  readonly journal: JournalThread;
  /** This server process, as the database knows it (see live-servers.ts). */
  readonly serverId: string;
  /** Stops saying this process is alive (once a beat in flight, if any, is done). */
  readonly stopHeartbeat: () => Promise<void>;
  readonly metrics: Metrics;
  /** The threads where bots decide, shared by every room. */
  readonly thinking: ThinkingPool;
  /** The access-token secret and the dice key. */
  readonly secrets: DeploymentSecrets;
  /** Where the sealed dice seeds of matches in progress are kept. */
  readonly seedVault: SeedVault;
  /** Analyses positions on request and, once started, every finished game in the background. */
  readonly analysis: AnalysisService;
  /** How this process and the others know which processes are alive (Redis presence keys, or the heartbeat). */
  readonly liveness: Liveness;
  /** The rooms of this process playing matches, to move when their matches must go on elsewhere. */
  readonly roomsHere: RoomsHere;
  /** Lets go of a match this process plays, for another room (see src/recovery/handover.ts). */
  readonly handOver: HandOver;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Opens the database (bringing its schema up to date), registers this server process, says it is
 * alive (in Redis with `redisUrl`) and starts the journal's writer. The matches of processes that
 * are gone are taken over once the server listens (src/recovery/takeover.ts).
 */
export async function startServices(
  target: DatabaseTarget,
  secrets: DeploymentSecrets = loadDeploymentSecrets({ jwtSecret: null, diceKey: null, database: target }),
  { redisUrl = null, analysis: analysisSettings = DEFAULT_ANALYSIS_SETTINGS }: { redisUrl?: string | null; analysis?: AnalysisSettings } = {},
): Promise<Services> {
  const database = await openDatabase(target);
  try {
    const serverId = randomUUID();
    await registerServer(database, serverId);
    if (target.kind === 'pglite') await forgetOtherServers(database, serverId);
    const roomsHere = new RoomsHere();
    let metrics: Metrics | null = null;
    const journal = createJournal(database, serverId, roomsHere, (count, ms) => metrics?.journalWrote(count, ms));
    metrics = new Metrics(() => journal.pending);
    await journal.ready;
    const liveness = await startLiveness(redisUrl, database, serverId);
    liveness.onLost(() => roomsHere.lapsed());
    const seedVault = new SeedVault(database, secrets.diceKey);
    const analysis = new AnalysisService(database, serverId, journal, analysisSettings);
    const handOver = handOverWith(database, serverId, liveness);
    return { database, journal, serverId, metrics, thinking: new ThinkingPool(), secrets, seedVault, analysis, liveness, roomsHere, handOver, stopHeartbeat: startHeartbeat(database, serverId) };
  } catch (error) {
    await database.close();
    throw error;
  }
}

/** Every HEARTBEAT_MS: this process is alive (the matches of processes that are not are taken over: src/recovery). */
function startHeartbeat(database: Database, serverId: string): () => Promise<void> {
  let inFlight: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    // A database that is away is reported by the journal; the next beat tries again.
    inFlight = heartbeat(database, serverId).catch(() => undefined);
  }, HEARTBEAT_MS).unref();
  return async () => {
    clearInterval(timer);
    // A beat still on its way must not put this process back in `servers` after it has left.
    await inFlight;
  };
}

/** Deletes stale guests once a day (the first time an hour after start); returns a stop function. */
export function scheduleGuestCleanup(database: Database): () => void {
  const run = () =>
    deleteStaleGuests(database.em()).then(
      (deleted) => deleted > 0 && log.info({ deleted }, `deleted ${deleted} stale guest account(s)`),
      (error: unknown) => log.error({ err: error }, `stale guest cleanup failed: ${errorText(error)}`),
    );
  const first = setTimeout(run, DAY_MS / 24).unref();
  const daily = setInterval(run, DAY_MS).unref();
  return () => {
    clearTimeout(first);
    clearInterval(daily);
  };
}

function createJournal(database: Database, serverId: string, roomsHere: RoomsHere, onWritten: (count: number, ms: number) => void): JournalThread {
  const where = describeTarget(database.target);
  return JournalThread.start(database, {
    serverId,
    onWritten,
    onMovedAway: (matchIds) => {
      log.warn({ matchIds }, `${matchIds.length} match(es) of this process are played by another process now: their events were not written, and their rooms close`);
      roomsHere.takenOver(matchIds);
    },
    onError: (message, failures) => {
      // Once, then every 20th attempt: a database that stays away must not flood the log.
      if (failures === 1 || failures % 20 === 0) {
        log.error({ failures }, `cannot write match events to ${where} (attempt ${failures}); they wait in order and are retried: ${message}`);
      }
    },
    onRecovered: (failures) => log.warn({ failures }, `match events are written to ${where} again after ${failures} failed attempts`),
  });
}

/**
 * Waits up to `timeoutMs` for the journal to empty, says this process is gone (the others take
 * over the matches it still holds), then closes the database.
 */
export async function stopServices(services: Services, timeoutMs = 10_000): Promise<void> {
  const { journal, database } = services;
  await Promise.race([services.stopHeartbeat(), delay(2_000)]);
  const timedOut = await Promise.race([journal.flushed().then(() => false), delay(timeoutMs).then(() => true)]);
  if (timedOut) log.error({ pending: journal.pending }, `shutting down with ${journal.pending} match events not written: the database did not answer`);
  await journal.close();
  await services.thinking.close();
  await Promise.race([services.analysis.close(), delay(5_000)]);
  await Promise.race([unregisterServer(database, services.serverId).catch(() => undefined), delay(2_000)]);
  await services.liveness.stop();
  await closeDatabase(database);
}

/** How long a shutdown waits for PostgreSQL's pool to hand back its last connections. */
const POOL_CLOSE_WAIT_MS = 5_000;

/**
 * Closes the database. The PostgreSQL pool's close waits for every connection to be handed back,
 * and a connection opened just as the shutdown began has been seen never to be (its query
 * unanswered, the server idle): the shutdown goes on after a while instead, which loses nothing
 * (the server keeps its data; match events were flushed before). The embedded database is always
 * closed to the end, since it writes its files then.
 */
async function closeDatabase(database: Database): Promise<void> {
  if (database.target.kind !== 'postgresql') return database.close();
  const closed = await Promise.race([database.close().then(() => true), delay(POOL_CLOSE_WAIT_MS).then(() => false)]);
  if (!closed) log.warn(`the PostgreSQL pool did not close within ${POOL_CLOSE_WAIT_MS / 1000} s: shutting down without waiting for its last connection`);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
