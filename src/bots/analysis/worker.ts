import type { Dice, Position } from '../../engine/index.js';
import type { CubeSituation } from '../cube-decisions.js';
import type { SearchDepth } from '../levels.js';
import { serveJobs } from '../serve-jobs.js';
import { netEvaluator } from '../shared-evaluator.js';
import { runInBackground } from '../../thread-priority.js';
import { nameThisThread } from '../../thread-name.js';
import { analyseGame, type GameAnalysis, type LoggedEntry } from './game.js';
import { analysePosition, type PositionAnalysis } from './position.js';

/** A game of a stored match log, or a position, to analyse `plies` deep. */
export type AnalysisRequest =
  | { readonly kind: 'game'; readonly log: readonly LoggedEntry[]; readonly game: number; readonly plies: SearchDepth }
  | { readonly kind: 'position'; readonly position: Position; readonly situation: CubeSituation; readonly dice: Dice | null; readonly plies: SearchDepth };

export type AnalysisResult = GameAnalysis | PositionAnalysis;

function answer(request: AnalysisRequest): AnalysisResult {
  if (request.kind === 'game') return analyseGame(request.log, request.game, request.plies);
  return analysePosition(request.position, request.situation, request.dice, request.plies);
}

// Games are analysed on the CPU time live matches leave.
runInBackground();
nameThisThread('tavla-analysis');
netEvaluator();
serveJobs(answer);
