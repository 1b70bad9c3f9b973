import { randomBytes } from 'node:crypto';
import { createFairDice, type FairDice, type Seat } from '../engine/index.js';

/** Random bytes of a seed the server draws for a player who sent none. */
const DRAWN_SEED_BYTES = 16;

/** The seeds a match's dice use, told to both players before the first roll and to whoever joins later. */
export interface DiceSeedsNotice {
  /** The commitment to the server's seed, published before any player could send a seed. */
  readonly commitment: string;
  /** Seat 0's seed, seat 1's seed: mixed into every roll. */
  readonly clientSeeds: [string, string];
  /** Which seeds the server drew at random because that player sent none. */
  readonly drawnByServer: [boolean, boolean];
}

/**
 * The dice of one match and the players' seeds for them. The dice are created, and so committed
 * to, before any player can send a seed; each player may send one until the match starts, when
 * the seeds are fixed into the dice: a player who sent none gets one the server draws at random.
 */
export class PlayerSeeds {
  private readonly offered: [string | null, string | null] = [null, null];
  private fixed: DiceSeedsNotice | null = null;

  constructor(readonly dice: FairDice = createFairDice()) {}

  /** The seeds of a match resumed from its log, fixed as they were. */
  static resumed(dice: FairDice, clientSeeds: readonly [string, string], drawnByServer: readonly [boolean, boolean]): PlayerSeeds {
    const seeds = new PlayerSeeds(dice);
    seeds.fixed = { commitment: dice.commitment, clientSeeds: [...clientSeeds], drawnByServer: [...drawnByServer] };
    return seeds;
  }

  /** Whether the seeds can still change: the match has not started. */
  get open(): boolean {
    return this.fixed === null;
  }

  /** The seeds in use, once the match has started. */
  get notice(): DiceSeedsNotice | null {
    return this.fixed;
  }

  offer(seat: Seat, seed: string): void {
    if (this.fixed) throw new Error('the dice seeds are already fixed');
    this.offered[seat] = seed;
  }

  /** The seat's player left before the match started: whoever takes the seat sends their own. */
  withdraw(seat: Seat): void {
    if (!this.fixed) this.offered[seat] = null;
  }

  /** Sets the seeds into the dice, right before their first roll. */
  fix(): DiceSeedsNotice {
    if (this.fixed) return this.fixed;
    const [white, black] = this.offered.map((seed) => seed ?? randomBytes(DRAWN_SEED_BYTES).toString('hex')) as [string, string];
    this.dice.setClientSeeds([white, black]);
    this.fixed = { commitment: this.dice.commitment, clientSeeds: [white, black], drawnByServer: [this.offered[0] === null, this.offered[1] === null] };
    return this.fixed;
  }
}
