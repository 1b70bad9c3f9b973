import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { BAR, CHECKERS, legalPlays, OFF, type Dice, type Play, type Position } from '../engine/index.js';
import { isContact } from './outcome.js';

/**
 * Tesauro's public evaluation function (pubeval, 1993): a linear score over 122 inputs, one
 * weight vector for contact positions and one for races. The standard benchmark opponent.
 */
const INPUTS = 122;

const weightsSchema = z.object({
  contact: z.array(z.number()).length(INPUTS),
  race: z.array(z.number()).length(INPUTS),
});

const weights = weightsSchema.parse(JSON.parse(readFileSync(new URL('./weights/pubeval.json', import.meta.url), 'utf8')));
const CONTACT_WEIGHTS = Float64Array.from(weights.contact);
const RACE_WEIGHTS = Float64Array.from(weights.race);

/** What pubeval gives a play that bears off the last checker: better than any board. */
export const PUBEVAL_ALL_OFF = 99_999_999;

/**
 * pubeval's score of a board after a play, seen by the player who just moved. `race` says
 * which weights apply; pubeval decides it on the board before the play.
 */
export function pubevalScore(after: Position, race: boolean): number {
  if (after.player[OFF] === CHECKERS) return PUBEVAL_ALL_OFF;
  const w = race ? RACE_WEIGHTS : CONTACT_WEIGHTS;
  let score = 0;
  // Block j (0-based) describes the mover's point 24 - j: from the farthest point towards home.
  for (let j = 0; j < 24; j++) {
    const point = 24 - j;
    const own = after.player[point]!;
    const n = own > 0 ? own : -after.opponent[25 - point]!;
    if (n === 0) continue;
    const base = 5 * j;
    if (n === -1) score += w[base]!;
    else if (n === 1) score += w[base + 1]!;
    else if (n >= 2) {
      score += w[base + 2]!;
      if (n === 3) score += w[base + 3]!;
      else if (n >= 4) score += (w[base + 4]! * (n - 3)) / 2;
    }
  }
  score += (w[120]! * after.opponent[BAR]!) / 2;
  score += (w[121]! * after.player[OFF]!) / 15;
  return score;
}

/** pubeval's choice among the legal plays: the highest score, the first of equals. Null: no legal play. */
export function pubevalPlay(position: Position, dice: Dice): Play | null {
  return bestPubevalPlay(position, legalPlays(position, dice));
}

/** pubeval's choice among plays already generated from `position`. */
export function bestPubevalPlay(position: Position, plays: readonly Play[]): Play | null {
  const race = !isContact(position);
  let best: Play | null = null;
  let bestScore = -Infinity;
  for (const play of plays) {
    const score = pubevalScore(play.position, race);
    if (score > bestScore) {
      bestScore = score;
      best = play;
    }
  }
  return best;
}
