import type { Dice, Position } from '../../engine/index.js';
import type { CubeSituation } from '../cube-decisions.js';
import type { SearchDepth } from '../levels.js';
import { WorkerPool } from '../worker-pool.js';
import type { GameAnalysis, LoggedEntry } from './game.js';
import type { PositionAnalysis } from './position.js';
import type { AnalysisRequest, AnalysisResult } from './worker.js';

/** How long an analysis may wait for a thread, and then how long it may take. */
export const ANALYSIS_TIMEOUT_MS = 120_000;

/** Why an analysis has no result: it threw, waited or took too long, its thread failed, or the pool closed. */
export class AnalysisFailed extends Error {
  override readonly name = 'AnalysisFailed';

  /** `thrown`: the analysis itself threw (it would again); otherwise it got no answer. */
  constructor(
    message: string,
    readonly thrown: boolean,
  ) {
    super(message);
  }
}

/**
 * The threads where games and positions are analysed, off every room's event loop. Positions
 * asked for over HTTP go before the games analysed in the background.
 */
export class AnalysisPool extends WorkerPool<AnalysisRequest, AnalysisResult> {
  constructor(size: number, timeoutMs = ANALYSIS_TIMEOUT_MS) {
    super({ size, timeoutMs, script: new URL('./worker.ts', import.meta.url), purpose: 'analysis', failure: (why, thrown) => new AnalysisFailed(why, thrown) });
  }

  analyseGame(log: readonly LoggedEntry[], game: number, plies: SearchDepth): Promise<GameAnalysis> {
    return this.run({ kind: 'game', log, game, plies }) as Promise<GameAnalysis>;
  }

  analysePosition(position: Position, situation: CubeSituation, dice: Dice | null, plies: SearchDepth): Promise<PositionAnalysis> {
    return this.run({ kind: 'position', position, situation, dice, plies }, { urgent: true }) as Promise<PositionAnalysis>;
  }
}
