import { legalMoves, seatToAct } from '../engine/index.js';
import type { SeatPlayer } from './seat-player.js';

export type { SeatIntent, SeatPlayer } from './seat-player.js';

/** The weakest bot: plays a random legal move, takes every double, rejects resignations. */
export function randomPlayer(random: () => number = Math.random): SeatPlayer {
  return {
    name: 'Random bot',
    rating: 1000,
    decide(match, seat) {
      if (match.phase === 'over') return null;
      if (seatToAct(match) !== seat) return null;
      switch (match.phase) {
        case 'rolling':
          return { type: 'roll' };
        case 'doubled':
          return { type: 'take' };
        case 'resigning':
          return { type: 'reject' };
        case 'moving': {
          const moves = legalMoves(match.turnInProgress!);
          if (moves.length === 0) return { type: 'confirm' };
          const move = moves[Math.floor(random() * moves.length)]!;
          return { type: 'move', from: move.from, to: move.to };
        }
        default:
          return null;
      }
    },
  };
}
