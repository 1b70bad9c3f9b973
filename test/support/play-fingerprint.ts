import { createHash } from 'node:crypto';
import { ALL_ROLLS } from '../../src/engine/dice.js';
import { canPlayMoves, legalPlays, playsWithDice, type Play } from '../../src/engine/legal.js';
import type { Position } from '../../src/engine/position.js';

/** A play list as text: each play's moves, its sides, and whether it shares the start's opponent side. */
function playsText(start: Position, plays: readonly Play[]): string {
  return plays.map(({ moves, position }) => {
    const opponent = position.opponent === start.opponent ? '=' : position.opponent.join(',');
    return `${moves.map((move) => `${move.from}/${move.to}${move.hit ? '*' : ''}`).join(' ')}|${position.player.join(',')}|${opponent}`;
  }).join(';');
}

export interface PlaysFingerprint {
  /** How many plays legalPlays gave over all positions and rolls. */
  readonly plays: number;
  readonly hash: string;
}

/**
 * A hash of everything the play generator returns for these positions: every roll's plays
 * (their order, moves and positions), the plays of the dice left after one move, and
 * canPlayMoves for them. Equal hashes: the generator returns the same.
 */
export function playsFingerprint(positions: readonly Position[]): PlaysFingerprint {
  const hash = createHash('sha256');
  let plays = 0;
  for (const position of positions) {
    for (const dice of ALL_ROLLS) {
      const list = legalPlays(position, dice);
      plays += list.length;
      hash.update(playsText(position, list)).update('\n');
      const left = dice[0] === dice[1] ? [dice[0], dice[0], dice[0]] : [dice[1]];
      hash.update(playsText(position, playsWithDice(position, left)));
      for (let count = 1; count <= 4; count++) hash.update(canPlayMoves(position, left, count) ? '1' : '0');
    }
  }
  return { plays, hash: hash.digest('hex') };
}
