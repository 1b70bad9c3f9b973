import { ALL_ROLLS, isDouble, turnAround, type Dice, type Position } from '../../engine/index.js';
import { generatePlays } from '../../engine/legal.js';
import type { NetEvaluator } from '../evaluator.js';
import { flipOutcome, newOutcome, type OutcomeValue } from '../outcome.js';

/**
 * The luck of a roll, as GNU Backgammon measures it at 0-ply: the mover's equity after its best
 * play of the roll, less the average of the same over all 36 rolls.
 */
export function rollLuck(evaluator: NetEvaluator, position: Position, dice: Dice, value: OutcomeValue): number {
  let total = 0;
  for (const roll of ALL_ROLLS) total += (isDouble(roll) ? 1 : 2) * bestEquity(evaluator, position, roll, value);
  return bestEquity(evaluator, position, dice, value) - total / 36;
}

/**
 * The luck of the opening roll, which also decides who starts (gnubg's LuckFirst): the starter's
 * equity after its best play, less the average over the 30 rolls that start a game, 15 of
 * which the starter would have played and 15 its opponent. `dice` are the starter's.
 */
export function openingLuck(evaluator: NetEvaluator, start: Position, dice: Dice, value: OutcomeValue, opponentValue: OutcomeValue): number {
  let total = 0;
  for (const roll of ALL_ROLLS) {
    if (isDouble(roll)) continue;
    total += bestEquity(evaluator, start, roll, value) - bestEquity(evaluator, turnAround(start), roll, opponentValue);
  }
  return bestEquity(evaluator, start, dice, value) - total / 30;
}

/** The mover's 0-ply equity after its best play of the roll (or after passing when it has none). */
export function bestEquity(evaluator: NetEvaluator, position: Position, dice: Dice, value: OutcomeValue): number {
  const plays = generatePlays(position, dice);
  if (plays.length === 0) {
    const opponent = evaluator.evaluate(turnAround(position), newOutcome());
    return value(flipOutcome(opponent, opponent));
  }
  return Math.max(...evaluator.equitiesAfter(plays, value));
}
