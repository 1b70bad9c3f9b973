import { AnalysisFailed, AnalysisPool, DEFAULT_ANALYSIS_PLIES, type GameAnalysis } from './bots/analysis/index.js';
import type { SearchDepth } from './bots/levels.js';
import { claimGame, releaseClaim, storeAnalysis, type ClaimedGame } from './db/analyses.js';
import type { Database } from './db/orm.js';
import { eventsOf } from './db/records.js';
import { log } from './log.js';
import type { WrittenSignal } from './rooms/durable-outbox.js';

export interface AnalysisSettings {
  /** Games analysed at once in the background; 0: none in this process (positions are still analysed, on one thread). */
  readonly threads: number;
  /** The depth games are analysed at. */
  readonly plies: SearchDepth;
  /** How often to look for games nobody analyses (after a restart, or left by a process that is gone). */
  readonly sweepMs?: number;
}

export const DEFAULT_ANALYSIS_SETTINGS: AnalysisSettings = { threads: 1, plies: DEFAULT_ANALYSIS_PLIES };

const DEFAULT_SWEEP_MS = 60_000;

/**
 * Analyses every finished game in the background, on its own threads: each game is queued with
 * its row (journal-store.ts), claimed by one process (db/analyses.ts), analysed on a thread and
 * stored. A game's end wakes the service once the game is written; a sweep at start and every
 * minute finds the rest, so no game is missed by a restart or a process that died.
 */
export class AnalysisService {
  readonly pool: AnalysisPool;
  private running = false;
  private inFlight = new Set<Promise<void>>();
  private filling = false;
  private fillAgain = false;
  private sweepTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly database: Database,
    private readonly serverId: string,
    private readonly journal: WrittenSignal,
    readonly settings: AnalysisSettings = DEFAULT_ANALYSIS_SETTINGS,
  ) {
    this.pool = new AnalysisPool(Math.max(1, settings.threads));
  }

  /** Starts analysing in the background (nothing happens while it is not started, or with 0 threads). */
  start(): void {
    if (this.running || this.settings.threads === 0) return;
    this.running = true;
    this.sweepTimer = setInterval(() => this.wake(), this.settings.sweepMs ?? DEFAULT_SWEEP_MS).unref();
    this.wake();
  }

  /** A game of the match ended: it is analysed once the journal has written it. */
  gameFinished(matchId: string): void {
    if (this.running) this.journal.afterWritten(matchId, () => this.wake());
  }

  /** Stops claiming games, and waits for those being analysed. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    await Promise.all(this.inFlight);
  }

  /** Stops for good: the games being analysed are given back for the next start (or another process). */
  async close(): Promise<void> {
    const stopped = this.stop();
    await this.pool.close();
    await stopped;
  }

  /** Claims games while threads are free. */
  private wake(): void {
    if (!this.running) return;
    if (this.filling) {
      this.fillAgain = true;
      return;
    }
    this.filling = true;
    void this.fill().finally(() => {
      this.filling = false;
      if (this.fillAgain) {
        this.fillAgain = false;
        this.wake();
      }
    });
  }

  private async fill(): Promise<void> {
    while (this.running && this.inFlight.size < this.settings.threads) {
      const game = await claimGame(this.database, this.serverId).catch((error: unknown) => {
        log.warn({ err: error }, 'cannot claim a game to analyse; the next sweep tries again');
        return null;
      });
      if (!game) return;
      const work: Promise<void> = this.analyse(game).finally(() => {
        this.inFlight.delete(work);
        this.wake();
      });
      this.inFlight.add(work);
    }
  }

  private async analyse(game: ClaimedGame): Promise<void> {
    try {
      const events = await eventsOf(this.database.em(), game.matchId);
      const analysis = await this.pool.analyseGame(events, game.number, this.settings.plies);
      const stored = await storeAnalysis(this.database, game, this.serverId, recordOf(analysis));
      if (!stored) log.warn({ matchId: game.matchId, game: game.number }, 'the analysis of a game was finished after its claim had been taken over');
    } catch (error) {
      await this.giveUp(game, error);
    }
  }

  private async giveUp(game: ClaimedGame, error: unknown): Promise<void> {
    const message = error instanceof Error ? error.message : String(error);
    // Only an analysis that threw is the game's fault; a closed pool, a timeout or a lost thread may go better next time.
    const lasting = error instanceof AnalysisFailed && error.thrown ? message : null;
    if (this.running) log.error({ matchId: game.matchId, game: game.number, err: error }, `cannot analyse game ${game.number} of match ${game.matchId}: ${message}`);
    await releaseClaim(this.database, game, this.serverId, lasting).catch(() => undefined);
  }
}

function recordOf({ plies, decisions, players }: GameAnalysis) {
  return { plies, decisions, players };
}
