/**
 * Tavla's rules engine: pure functions over plain values, no I/O. Positions are seen from the
 * player on roll (see position.ts); seats 0 and 1 name the players of a match.
 */
export { EngineError, type EngineErrorCode } from './errors.js';
export {
  assertPosition,
  BAR,
  borneOff,
  CHECKERS,
  checkersOutsideHome,
  OFF,
  pipCount,
  positionFrom,
  positionsEqual,
  startPosition,
  turnAround,
  type Position,
} from './position.js';
export { ALL_ROLLS, assertDice, isDouble, type Dice } from './dice.js';
export { legalPlays, playsWithDice, type Move, type Play } from './legal.js';
export {
  canConfirm,
  confirmTurn,
  legalMoves,
  moveChecker,
  movesMade,
  startTurn,
  turnPlays,
  undoMove,
  type Turn,
  type TurnStep,
} from './turn.js';
export { gammonsCount, hasWon, pointsFor, resignationPoints, winKind, type ScoringRules } from './result.js';
export { beaverRefusal, CENTRED_CUBE, doublingRefusal, MAX_CUBE, type Cube } from './cube.js';
export {
  applyAction,
  assertMayRoll,
  canConfirmPlay,
  currentPosition,
  DEFAULT_SETTINGS,
  describeWaiting,
  endedGame,
  gnubgIds,
  gnubgMatchId,
  matchIdFields,
  isCrawfordDue,
  isPostCrawford,
  matchRecord,
  matchSettings,
  MAX_MATCH_LENGTH,
  newMatch,
  otherSeat,
  scoringRules,
  seatToAct,
  whyNoDouble,
  type MatchAction,
  type MatchPhase,
  type MatchSettings,
  type MatchState,
  type ResignationOffer,
} from './match.js';
export type { GameEvent, GameOutcome, GameRecord, MatchRecord, ResignationKind, Seat, WinKind } from './record.js';
export { formatPlay, formatPlayPlain, parsePlay } from './notation.js';
export { exportMat, parseMat } from './mat.js';
export { positionFromId, positionId } from './gnubg-id.js';
export { decodeMatchId, encodeMatchId, sameMatchIdFields, type MatchIdFields } from './match-id.js';
export {
  createFairDice,
  randomDice,
  restoreFairDice,
  rollAt,
  serverSeedCommitment,
  verifyFairDice,
  type FairDice,
  type FairDiceReport,
  type FairDiceReveal,
  type FairDiceState,
  type FairRoll,
} from './fair-dice.js';
export {
  clockSettings,
  DEFAULT_CLOCK_SETTINGS,
  flagFallsAt,
  hasFlagFallen,
  newClock,
  nextGameClock,
  remaining,
  startClock,
  stopClock,
  switchClock,
  type ClockSettings,
  type ClockState,
  type TimeLeft,
} from './clock.js';
export {
  isMatchNote,
  positionAfter,
  replayMatch,
  replaySteps,
  type LoggedAction,
  type LoggedPlayer,
  type LoggedPosition,
  type MatchLogEntry,
  type MatchNote,
} from './match-log.js';
