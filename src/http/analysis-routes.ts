import { Router } from 'express';
import { z } from 'zod';
import type { AnalysisService } from '../analysis-service.js';
import {
  addTotals,
  AnalysisFailed,
  MAX_REQUEST_PLIES,
  NO_DECISIONS,
  summarise,
  type DecisionAnalysis,
  type PlayerSummary,
  type PositionAnalysis,
} from '../bots/analysis/index.js';
import { cubeSituationOfMatchId, type CubeSituation } from '../bots/cube-decisions.js';
import type { SearchDepth } from '../bots/levels.js';
import { analysesOf, type StoredAnalysis } from '../db/analyses.js';
import type { AnalysisStatus } from '../db/entities.js';
import type { Database } from '../db/orm.js';
import { CHECKERS, decodeMatchId, EngineError, OFF, positionFromId, type Dice, type MatchIdFields } from '../engine/index.js';
import { HttpFailure, validated } from './errors.js';
import { jsonRoute } from './json-route.js';
import { requireMatch } from './record-routes.js';

/** GET /matches/:id/analysis: the analysis of a match's games, beside its replay. */
export interface MatchAnalysis {
  readonly matchId: string;
  /** `done` once the match is over and each of its games is analysed (or could not be); `pending` before. */
  readonly status: 'pending' | 'done';
  /** Seat 0 first: each player's figures over the games analysed so far. */
  readonly players: readonly AnalysedPlayer[];
  readonly games: readonly AnalysedGame[];
}

export interface AnalysedPlayer extends PlayerSummary {
  readonly name: string;
  /** null for a bot. */
  readonly userId: string | null;
}

export interface AnalysedGame {
  readonly number: number;
  readonly status: AnalysisStatus;
  /** The depth it was analysed at. */
  readonly plies: number | null;
  readonly analysedAt: string | null;
  /** Why it could not be analysed. */
  readonly failure: string | null;
  /** Seat 0 first, once analysed. */
  readonly players: readonly PlayerSummary[] | null;
  /** Every checker play and cube decision, in the order played, once analysed. */
  readonly decisions: readonly DecisionAnalysis[] | null;
}

/** POST /analysis: a position's best plays and cube decision. */
export interface PositionAnalysisAnswer extends PositionAnalysis {
  readonly positionId: string;
  readonly matchId: string | null;
  readonly dice: readonly [number, number] | null;
}

const die = z.number('a die is a number from 1 to 6').int('a die is a whole number from 1 to 6').min(1, 'a die shows 1 to 6').max(6, 'a die shows 1 to 6');
const positionRequest = z
  .object({
    positionId: z.string('must be a gnubg Position ID (14 characters)'),
    matchId: z.string('must be a gnubg Match ID (12 characters)').optional(),
    dice: z.tuple([die, die], 'must be the two dice rolled, e.g. [6, 4]').optional(),
    plies: z
      .number('must be a number')
      .int('must be a whole number')
      .min(0, 'is at least 0')
      .max(MAX_REQUEST_PLIES, `is at most ${MAX_REQUEST_PLIES}`)
      .optional(),
  })
  .strict();

/** Without a Match ID: money play, the cube centred at 1, the Jacoby rule on (as in a money match's defaults). */
const MONEY_SITUATION: CubeSituation = { matchLength: 0, away: 0, opponentAway: 0, postCrawford: false, cubeDead: false, value: 1, owner: 'centred', jacoby: true };

/** Analysis of positions on request and of the games of recorded matches. */
export function createAnalysisRoutes(database: Database, analysis: AnalysisService) {
  return Router()
    .post(
      '/analysis',
      jsonRoute(async (request): Promise<PositionAnalysisAnswer> => {
        const body = validated(positionRequest, request.body);
        const position = fromEngine(() => positionFromId(body.positionId));
        if (position.player[OFF] === CHECKERS || position.opponent[OFF] === CHECKERS) {
          throw new HttpFailure(400, 'INVALID_POSITION', 'the game in this position is over: one side has borne off all its checkers');
        }
        const fields = body.matchId === undefined ? null : fromEngine(() => decodeMatchId(body.matchId!));
        const dice = diceToAnalyse(body.dice ?? null, fields);
        const situation = fields ? playingSituation(fields) : MONEY_SITUATION;
        const plies = body.plies ?? analysis.settings.plies;
        const result = await analysed(() => analysis.pool.analysePosition(position, situation, dice, plies as SearchDepth));
        return { positionId: body.positionId, matchId: body.matchId ?? null, dice, ...result };
      }),
    )
    .get(
      '/matches/:id/analysis',
      jsonRoute(async (request): Promise<MatchAnalysis> => {
        const { match, em } = await requireMatch(database, request);
        const games = await analysesOf(em, match.id);
        const over = match.status !== 'playing';
        const analysed = games.filter((game) => game.status === 'done');
        const totals = [0, 1].map((seat) => analysed.map((game) => game.players[seat] ?? NO_DECISIONS).reduce(addTotals, NO_DECISIONS));
        const names = [match.player0Name, match.player1Name];
        const userIds = [match.player0Id ?? null, match.player1Id ?? null];
        return {
          matchId: match.id,
          status: over && games.every((game) => game.status === 'done' || game.status === 'failed') ? 'done' : 'pending',
          players: totals.map((seatTotals, seat) => ({ name: names[seat]!, userId: userIds[seat]!, ...summarise(seatTotals) })),
          games: games.map(gameView),
        };
      }),
    );
}

function gameView(game: StoredAnalysis): AnalysedGame {
  const done = game.status === 'done';
  return {
    number: game.number,
    status: game.status,
    plies: game.plies,
    analysedAt: game.analysedAt?.toISOString() ?? null,
    failure: game.failure,
    players: done ? game.players.map(summarise) : null,
    decisions: done ? (game.decisions as DecisionAnalysis[]) : null,
  };
}

/** The engine's refusal of an ID, as a 400 with the engine's code (INVALID_POSITION_ID, INVALID_MATCH_ID). */
function fromEngine<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof EngineError) throw new HttpFailure(400, error.code, error.message);
    throw error;
  }
}

/** A Match ID of a game being played: a finished one has nothing left to decide. */
function playingSituation(fields: MatchIdFields): CubeSituation {
  if (fields.gameState !== 'playing' && fields.gameState !== 'none') {
    throw new HttpFailure(400, 'INVALID_MATCH_ID', `the Match ID says the game is ${fields.gameState === 'over' ? 'over' : fields.gameState}: there is nothing left to decide`);
  }
  return cubeSituationOfMatchId(fields);
}

/** The dice given, or the Match ID's; both must agree, and a double offered means nobody has rolled. */
function diceToAnalyse(given: Dice | null, fields: MatchIdFields | null): Dice | null {
  const rolled = fields?.dice ?? null;
  if (given && fields?.doubleOffered) {
    throw new HttpFailure(400, 'INVALID_DICE', 'the Match ID has a double offered, which is answered before the roll: send no dice');
  }
  if (given && rolled && !sameRoll(given, rolled)) {
    throw new HttpFailure(400, 'INVALID_DICE', `the dice ${given.join('-')} do not agree with the Match ID, which has ${rolled.join('-')} rolled`);
  }
  return given ?? rolled;
}

function sameRoll(a: Dice, b: Dice): boolean {
  return Math.max(...a) === Math.max(...b) && Math.min(...a) === Math.min(...b);
}

/** The pool's answer; threads that are busy or gone answer 503. */
async function analysed<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof AnalysisFailed && !error.thrown) throw new HttpFailure(503, 'ANALYSIS_UNAVAILABLE', `the analysis could not be made now (${error.message}): try again`);
    throw error;
  }
}
