import type { Seat } from './record.js';

export const MAX_CUBE = 64;

export interface Cube {
  readonly value: number;
  /** The seat that owns the cube, or null while it is centred. */
  readonly owner: Seat | null;
}

export const CENTRED_CUBE: Cube = Object.freeze({ value: 1, owner: null });

export interface DoublingContext {
  readonly cube: Cube;
  readonly seat: Seat;
  /** Doubling happens only before the roll. */
  readonly beforeRoll: boolean;
  readonly crawfordGame: boolean;
  readonly cubeEnabled: boolean;
}

/** Why the seat may not double now, or null when it may. */
export function doublingRefusal(context: DoublingContext): string | null {
  if (!context.cubeEnabled) return 'the doubling cube is not used in this match';
  if (context.crawfordGame) return 'no doubling in the Crawford game';
  if (!context.beforeRoll) return 'a double is offered only before rolling';
  if (context.cube.owner !== null && context.cube.owner !== context.seat) return 'the opponent owns the cube';
  if (context.cube.value >= MAX_CUBE) return `the cube is already at ${MAX_CUBE}`;
  return null;
}

/** After a take the cube is worth twice as much and belongs to the taker. */
export function takenCube(cube: Cube, taker: Seat): Cube {
  return { value: cube.value * 2, owner: taker };
}

/** A beaver: the taker takes and at once redoubles, keeping the cube. */
export function beaveredCube(cube: Cube, beaverer: Seat): Cube {
  return { value: cube.value * 4, owner: beaverer };
}

export function beaverRefusal(cube: Cube, beaversAllowed: boolean): string | null {
  if (!beaversAllowed) return 'beavers are not allowed in this match';
  if (cube.value * 4 > MAX_CUBE) return `a beaver would take the cube past ${MAX_CUBE}`;
  return null;
}
