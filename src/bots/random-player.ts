import { legalMoves, seatToAct, type MatchState, type Seat } from '../engine/index.js';

/** What a seat player asks the room to do: the same messages a client sends. */
export type SeatIntent =
  | { readonly type: 'roll' | 'confirm' | 'take' | 'drop' | 'accept' | 'reject' | 'rematch' }
  | { readonly type: 'move'; readonly from: number; readonly to: number };

/**
 * A server-side player: given the match and its seat, the next thing it does, or null when
 * it has nothing to do. It sees the same state and sends the same actions as a client.
 */
export interface SeatPlayer {
  readonly name: string;
  readonly rating: number;
  decide(match: MatchState, seat: Seat): SeatIntent | null;
}

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
