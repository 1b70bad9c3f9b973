import { BAR, checkersOutsideHome, type Position } from '../src/engine/position.js';
import { randomGame, seededRandom } from '../test/support/random-games.js';

export type PositionKind = 'opening' | 'contact' | 'bar' | 'bearoff' | 'race';

export const POSITION_KINDS: readonly PositionKind[] = ['opening', 'contact', 'bar', 'bearoff', 'race'];

/** Whether any checker of the player on roll still has an opponent checker ahead of it. */
function hasContact(position: Position): boolean {
  let rearmostPlayer = 0;
  for (let point = 25; point >= 1; point--) {
    if (position.player[point]! > 0) {
      rearmostPlayer = point;
      break;
    }
  }
  for (let point = 1; point <= 25; point++) {
    // The opponent's point q is the player's point 25 - q; its bar counts as the player's point 0.
    if (position.opponent[point]! > 0 && 25 - point < rearmostPlayer) return true;
  }
  return false;
}

export function positionKind(position: Position, turnNumber: number): PositionKind {
  if (turnNumber < 2) return 'opening';
  if (position.player[BAR]! > 0) return 'bar';
  if (checkersOutsideHome(position.player) === 0) return 'bearoff';
  return hasContact(position) ? 'contact' : 'race';
}

export interface BenchPosition {
  readonly kind: PositionKind;
  readonly position: Position;
}

/** A fixed set: the same seed gives the same positions, an equal share of each kind. */
export function benchPositions(perKind: number, seed = 20261126): BenchPosition[] {
  const random = seededRandom(seed);
  const byKind = new Map<PositionKind, BenchPosition[]>(POSITION_KINDS.map((kind) => [kind, []]));
  const isFull = () => POSITION_KINDS.every((kind) => byKind.get(kind)!.length >= perKind);
  while (!isFull()) {
    randomGame(random).forEach((turn, turnNumber) => {
      const kind = positionKind(turn.position, turnNumber);
      const bucket = byKind.get(kind)!;
      if (bucket.length < perKind && random() < 0.25) bucket.push({ kind, position: turn.position });
    });
  }
  return POSITION_KINDS.flatMap((kind) => byKind.get(kind)!);
}
