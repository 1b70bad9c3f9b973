/**
 * Legal targets for the board, from the same engine modules the server plays by (only the pure
 * ones: the fair-dice module needs Node's crypto).
 */
import { legalMoves, moveChecker, startTurn, type Turn } from '../../src/engine/turn.js';
import { pipCount, type Position } from '../../src/engine/position.js';
import type { Dice } from '../../src/engine/dice.js';

export { pipCount };

export interface MoveMade {
  readonly from: number;
  readonly to: number;
  readonly hit: boolean;
}

/** The turn in progress, rebuilt from the board now and the moves already made on it. */
export function turnInProgress(position: Position, dice: Dice, moves: readonly MoveMade[]): Turn | null {
  try {
    let turn = startTurn(positionBefore(position, moves), dice);
    for (const move of moves) turn = moveChecker(turn, move.from, move.to);
    return turn;
  } catch {
    return null;
  }
}

/** Takes the moves back, last first. */
function positionBefore(position: Position, moves: readonly MoveMade[]): Position {
  const player = [...position.player];
  const opponent = [...position.opponent];
  for (const move of [...moves].reverse()) {
    player[move.to]! -= 1;
    player[move.from]! += 1;
    if (move.hit) {
      opponent[25]! -= 1;
      opponent[25 - move.to]! += 1;
    }
  }
  return { player, opponent };
}

/** The points a checker may leave now. */
export function movableFrom(turn: Turn): number[] {
  return [...new Set(legalMoves(turn).map((move) => move.from))];
}

/** Every point the checker on `from` can reach now, with one die or on through several. */
export function targetsFrom(turn: Turn, from: number): number[] {
  const reached = new Set<number>();
  const walk = (state: Turn, at: number): void => {
    for (const move of legalMoves(state)) {
      if (move.from !== at || reached.has(move.to)) continue;
      reached.add(move.to);
      if (move.to !== 0) walk(moveChecker(state, move.from, move.to), move.to);
    }
  };
  walk(turn, from);
  return [...reached];
}
