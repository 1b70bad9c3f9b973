import type { Dice } from './dice.js';
import type { Move } from './legal.js';

/** Seat 0 and seat 1; seat 0 is the first player named in a match and in exports. */
export type Seat = 0 | 1;

export type ResignationKind = 'single' | 'gammon' | 'backgammon';

/** What happened in a game, in order: enough to replay it and to export it. */
export type GameEvent =
  /** A turn's roll and play; `moves` is empty when no play was possible. */
  | { readonly type: 'play'; readonly seat: Seat; readonly dice: Dice; readonly moves: readonly Move[] }
  | { readonly type: 'double'; readonly seat: Seat; readonly cube: number }
  | { readonly type: 'take'; readonly seat: Seat }
  | { readonly type: 'beaver'; readonly seat: Seat; readonly cube: number }
  | { readonly type: 'drop'; readonly seat: Seat }
  | { readonly type: 'resign'; readonly seat: Seat; readonly kind: ResignationKind }
  | { readonly type: 'accept'; readonly seat: Seat }
  | { readonly type: 'reject'; readonly seat: Seat };

export type WinKind = 'single' | 'gammon' | 'backgammon';

export interface GameOutcome {
  readonly winner: Seat;
  /** Points scored: the result's multiple times the cube. */
  readonly points: number;
  readonly kind: WinKind;
  /** How it ended: the last checker borne off, a dropped double, an accepted resignation. */
  readonly by: 'bearoff' | 'drop' | 'resignation';
}

export interface GameRecord {
  /** Scores before the game, seat 0 first. */
  readonly score: readonly [number, number];
  readonly crawford: boolean;
  readonly events: readonly GameEvent[];
  readonly outcome: GameOutcome | null;
}

export interface MatchRecord {
  readonly players: readonly [string, string];
  /** Points to win; 0 for money play. */
  readonly matchLength: number;
  readonly games: readonly GameRecord[];
}
