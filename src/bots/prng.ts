/**
 * A small seeded pseudo-random generator (xoshiro128**) whose whole state is four 32-bit words,
 * so a training run can save it and continue the very same sequence after a restart.
 */
export type PrngState = [number, number, number, number];

export class Prng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  private constructor(state: Readonly<PrngState>) {
    [this.a, this.b, this.c, this.d] = state.map((word) => word >>> 0) as [number, number, number, number];
    if ((this.a | this.b | this.c | this.d) === 0) this.d = 1;
  }

  /** A generator for a numeric seed; equal seeds give equal sequences. */
  static fromSeed(seed: number): Prng {
    let mix = (Math.trunc(seed) ^ 0x9e3779b9) >>> 0;
    const next = (): number => {
      // splitmix32 spreads one seed over the four state words.
      mix = (mix + 0x9e3779b9) >>> 0;
      let z = mix;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    return new Prng([next(), next(), next(), next()]);
  }

  static fromState(state: Readonly<PrngState>): Prng {
    return new Prng(state);
  }

  state(): PrngState {
    return [this.a, this.b, this.c, this.d];
  }

  /** The next 32-bit unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotateLeft(Math.imul(this.b, 5), 7), 9) >>> 0;
    const t = this.b << 9;
    this.c ^= this.a;
    this.d ^= this.b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = rotateLeft(this.d, 11);
    return result;
  }

  /** A float in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** An integer in [0, bound). */
  below(bound: number): number {
    return Math.floor(this.next() * bound);
  }

  die(): number {
    return this.below(6) + 1;
  }
}

function rotateLeft(value: number, bits: number): number {
  return (value << bits) | (value >>> (32 - bits));
}
