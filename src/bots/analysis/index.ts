import type { SearchDepth } from '../levels.js';

/**
 * Game analysis in GNU Backgammon's manner (see docs/analysis.md): every checker play and cube
 * decision judged against the best one, error rates in thousandths of normalised equity per
 * decision, gnubg's labels, and the luck of the rolls.
 */
export { analyseGame, type DecisionAnalysis, type GameAnalysis, type LoggedEntry } from './game.js';
export { analysePosition, LISTED_PLAYS, type PositionAnalysis } from './position.js';
export { AnalysisFailed, AnalysisPool } from './pool.js';
export { addTotals, NO_DECISIONS, RATINGS, ratingOf, skillOf, summarise, type DecisionTotals, type PlayerSummary, type Rating, type Skill } from './skill.js';

/** The depth finished games are analysed at, unless ANALYSIS_PLIES says otherwise (see bench:analysis for its cost). */
export const DEFAULT_ANALYSIS_PLIES: SearchDepth = 1;

/** The deepest analysis POST /analysis makes. */
export const MAX_REQUEST_PLIES: SearchDepth = 2;
