import type { MatchState, ResignationKind, Seat } from '../engine/index.js';

/** What a seat player asks the room to do: the same messages a client sends. */
export type SeatIntent =
  | { readonly type: 'roll' | 'double' | 'take' | 'drop' | 'beaver' | 'confirm' | 'accept' | 'reject' | 'rematch' }
  | { readonly type: 'move'; readonly from: number; readonly to: number }
  | { readonly type: 'resign'; readonly kind: ResignationKind };

/**
 * A server-side player: given the match and its seat, the next thing it does, or null when
 * it has nothing to do. It sees the same state and sends the same actions as a client.
 */
export interface SeatPlayer {
  readonly name: string;
  readonly rating: number;
  decide(match: MatchState, seat: Seat): SeatIntent | null;
}
