import { fail } from './errors.js';

/** Two die faces, each 1..6, in the order they were rolled. */
export type Dice = readonly [number, number];

export function isDouble(dice: Dice): boolean {
  return dice[0] === dice[1];
}

/** The dice a turn plays: four of a kind for doubles, otherwise the two faces. */
export function diceToPlay(dice: Dice): number[] {
  return isDouble(dice) ? [dice[0], dice[0], dice[0], dice[0]] : [dice[0], dice[1]];
}

export function isDieFace(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 6;
}

export function assertDice(dice: unknown): asserts dice is Dice {
  if (!Array.isArray(dice) || dice.length !== 2) fail('INVALID_DICE', 'dice must be a pair of die faces');
  for (const die of dice) {
    if (!isDieFace(die)) fail('INVALID_DICE', `a die shows 1 to 6, not ${String(die)}`);
  }
}

/** The 21 distinct rolls, doubles once and each non-double once with the larger die first. */
export const ALL_ROLLS: readonly Dice[] = Object.freeze(
  [6, 5, 4, 3, 2, 1].flatMap((high) =>
    [6, 5, 4, 3, 2, 1].filter((low) => low <= high).map((low): Dice => [high, low]),
  ),
);
