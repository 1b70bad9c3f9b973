import { generatePlays, type Play } from '../../src/engine/legal.js';
import { startPosition, turnAround, type Position } from '../../src/engine/position.js';
import type { Dice } from '../../src/engine/dice.js';

/** A small seeded PRNG (mulberry32): the same seed gives the same games on every machine. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randomDice(random: () => number): Dice {
  return [1 + Math.floor(random() * 6), 1 + Math.floor(random() * 6)];
}

export interface GameTurn {
  /** The board before the turn, seen from the player on roll. */
  readonly position: Position;
  readonly dice: Dice;
  readonly plays: readonly Play[];
  /** The chosen play, or undefined when there was none. */
  readonly play: Play | undefined;
}

/** Plays one game of random legal plays from `from` until a side has borne off every checker. */
export function randomGame(random: () => number, from: Position = startPosition()): GameTurn[] {
  const turns: GameTurn[] = [];
  let position = from;
  for (;;) {
    const dice = randomDice(random);
    const plays = generatePlays(position, dice);
    const play = plays.length > 0 ? plays[Math.floor(random() * plays.length)] : undefined;
    turns.push({ position, dice, plays, play });
    const after = play ? play.position : position;
    if (after.player[0] === 15) return turns;
    position = turnAround(after);
  }
}
