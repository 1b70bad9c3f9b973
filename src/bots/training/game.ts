import { CHECKERS, legalPlays, OFF, pointsFor, startPosition, turnAround, winKind, type Dice, type Play, type Position } from '../../engine/index.js';
import type { Prng } from '../prng.js';

/**
 * Picks a play: the index of one of `plays` (generated for the side on roll in `position` and
 * `dice`), or -1 when `plays` is empty (a forced pass). Called on every turn, passes included.
 */
export type PlayChooser = (position: Position, plays: readonly Play[], dice: Dice) => number;

export interface GameResult {
  /** The player who won: 0 moved first. */
  readonly winner: 0 | 1;
  /** 1, 2 or 3: single game, gammon, backgammon (cubeless). */
  readonly points: number;
}

/** Cubeless money play: gammons and backgammons always count. */
const CUBELESS = { jacoby: false, cubeTurned: false } as const;

/** Plays one cubeless game to its end, rolling from `dice`; player 0 makes the opening move. */
export function playGame(dice: Prng, choosers: readonly [PlayChooser, PlayChooser]): GameResult {
  let position = startPosition();
  let roll = openingRoll(dice);
  for (let mover: 0 | 1 = 0; ; mover = mover === 0 ? 1 : 0) {
    const plays = legalPlays(position, roll);
    const chosen = choosers[mover](position, plays, roll);
    if (chosen >= 0) {
      const after = plays[chosen]!.position;
      if (after.player[OFF] === CHECKERS) return { winner: mover, points: pointsFor(winKind(after.opponent), 1, CUBELESS) };
      position = turnAround(after);
    } else {
      position = turnAround(position);
    }
    roll = [dice.die(), dice.die()];
  }
}

/** The first roll of a game: never a double (equal opening dice are rolled again). */
function openingRoll(dice: Prng): Dice {
  for (;;) {
    const first = dice.die();
    const second = dice.die();
    if (first !== second) return [first, second];
  }
}
