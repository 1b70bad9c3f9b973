/**
 * Dice from a cryptographic source, and provably fair dice by commit-reveal.
 *
 * Before a match the server draws a secret server seed and publishes its commitment. Players
 * may contribute client seeds, set after the commitment is published and before the first roll:
 * the server, bound to its seed before it sees theirs, cannot pick one that suits their seeds.
 * Every roll is derived from the server seed, the client seeds and the roll's index, so once
 * the server seed is revealed anyone can recompute every roll and check that the seed matches
 * the commitment published before the first roll.
 *
 * Derivation, exactly (u32(n) is n as a 4-byte big-endian unsigned integer, || concatenates):
 *
 *   serverSeed   32 bytes, written as 64 hexadecimal digits (either case is accepted;
 *                this module always writes lowercase).
 *   commitment   SHA-256(serverSeed bytes), as 64 lowercase hexadecimal digits.
 *   clientSeeds  0 to 2 strings in seat order, each well-formed Unicode (no lone surrogates)
 *                of at most 128 code points. No Unicode normalization is applied. A seat
 *                that contributes nothing can be given as "" or the list can be shorter.
 *   seedBlock    u32(number of client seeds)
 *                || for each client seed in order: u32(byte length of its UTF-8) || its UTF-8
 *   message(k)   seedBlock || u32(k)                  for the roll index k = 0, 1, 2, ...
 *   block(k, 0)  HMAC-SHA256(key = serverSeed bytes, message(k))
 *   block(k, j)  HMAC-SHA256(key = serverSeed bytes, message(k) || u32(j))   for j = 1, 2, ...
 *
 *   Read the bytes of block(k, 0), then block(k, 1), and so on, in order. Skip every byte
 *   v >= 252 (rejection sampling, since 252 = 6 * 42 keeps every face equally likely).
 *   The first kept byte gives the first die, v % 6 + 1; the second kept byte the second die.
 *   Blocks after block(k, 0) are needed only when one 32-byte digest holds fewer than two
 *   bytes below 252, which happens with probability about 2^-181.
 *
 * The count and length prefixes make the message an unambiguous encoding: different client
 * seed lists (["ab"] and ["a", "b"], or [] and [""]) never produce the same message, and an
 * extra-block message can never equal another roll's first-block message.
 */
import { createHash, createHmac, randomBytes, randomInt } from 'node:crypto';
import type { Dice } from './dice.js';
import { fail } from './errors.js';

export const SERVER_SEED_BYTES = 32;
export const MAX_CLIENT_SEEDS = 2;
export const MAX_CLIENT_SEED_CODE_POINTS = 128;
/** Roll indexes are encoded as an unsigned 32-bit integer. */
export const MAX_ROLL_INDEX = 0xffff_ffff;

const FACES = 6;
/** The largest multiple of 6 that fits in a byte; bytes at or above it are skipped. */
const ACCEPTED_BYTE_LIMIT = 252;

/** Two dice from the operating system's cryptographic random source. */
export function randomDice(): Dice {
  return [randomInt(1, FACES + 1), randomInt(1, FACES + 1)];
}

export interface FairRoll {
  readonly index: number;
  readonly dice: Dice;
}

/** What the server publishes at the end of a match so that anyone can verify every roll. */
export interface FairDiceReveal {
  readonly serverSeed: string;
  readonly commitment: string;
  readonly clientSeeds: readonly string[];
  readonly rollCount: number;
}

/** Everything needed to continue a roll sequence. Contains the secret server seed. */
export interface FairDiceState {
  readonly serverSeed: string;
  readonly clientSeeds: readonly string[];
  readonly nextIndex: number;
}

export interface FairDice {
  /** SHA-256 of the server seed, safe to publish before the first roll. */
  readonly commitment: string;
  readonly clientSeeds: readonly string[];
  /** The index the next roll will have; also the number of rolls made so far. */
  readonly nextIndex: number;
  readonly revealed: boolean;
  roll(): FairRoll;
  /** Replaces the client seeds; only allowed before the first roll. */
  setClientSeeds(clientSeeds: readonly string[]): void;
  /** Discloses the server seed. Afterwards the source refuses to roll, as its rolls would be predictable. */
  reveal(): FairDiceReveal;
  /** A secret snapshot for persisting a match; `restoreFairDice` continues from it. */
  saveState(): FairDiceState;
}

export interface FairDiceOptions {
  /** 64 hexadecimal digits; a fresh random seed when omitted. */
  readonly serverSeed?: string;
  readonly clientSeeds?: readonly string[];
}

export function createFairDice(options: FairDiceOptions = {}): FairDice {
  // Only an omitted option takes the default: a null seed is bad input, not a request for one.
  const { serverSeed = randomBytes(SERVER_SEED_BYTES).toString('hex'), clientSeeds = [] } = options;
  return new CommitRevealDice(serverSeed, clientSeeds, 0);
}

export function restoreFairDice(state: FairDiceState): FairDice {
  const { nextIndex } = state;
  // MAX_ROLL_INDEX + 1 is a valid state: every index has been used.
  if (!Number.isInteger(nextIndex) || nextIndex < 0 || nextIndex > MAX_ROLL_INDEX + 1) {
    fail('INVALID_SEED', `next roll index must be an integer from 0 to ${MAX_ROLL_INDEX + 1}, not ${String(nextIndex)}`);
  }
  return new CommitRevealDice(state.serverSeed, state.clientSeeds, nextIndex);
}

class CommitRevealDice implements FairDice {
  readonly commitment: string;
  readonly #serverSeed: string;
  readonly #key: Buffer;
  #clientSeeds: readonly string[];
  #seedBlock: Buffer;
  #nextIndex: number;
  #revealed = false;

  constructor(serverSeed: string, clientSeeds: readonly string[], nextIndex: number) {
    this.#serverSeed = normalizeServerSeed(serverSeed);
    this.#key = Buffer.from(this.#serverSeed, 'hex');
    this.commitment = sha256Hex(this.#key);
    this.#clientSeeds = frozenClientSeeds(clientSeeds);
    this.#seedBlock = encodeClientSeeds(this.#clientSeeds);
    this.#nextIndex = nextIndex;
  }

  get clientSeeds(): readonly string[] {
    return this.#clientSeeds;
  }

  get nextIndex(): number {
    return this.#nextIndex;
  }

  get revealed(): boolean {
    return this.#revealed;
  }

  roll(): FairRoll {
    if (this.#revealed) fail('INVALID_SEED', 'the server seed has been revealed, so further rolls would be predictable');
    const index = this.#nextIndex;
    assertRollIndex(index);
    const dice = diceFor(this.#key, this.#seedBlock, index);
    this.#nextIndex = index + 1;
    return { index, dice };
  }

  setClientSeeds(clientSeeds: readonly string[]): void {
    if (this.#nextIndex > 0 || this.#revealed) {
      fail('INVALID_SEED', 'client seeds can only be set before the first roll');
    }
    this.#clientSeeds = frozenClientSeeds(clientSeeds);
    this.#seedBlock = encodeClientSeeds(this.#clientSeeds);
  }

  reveal(): FairDiceReveal {
    this.#revealed = true;
    return {
      serverSeed: this.#serverSeed,
      commitment: this.commitment,
      clientSeeds: this.#clientSeeds,
      rollCount: this.#nextIndex,
    };
  }

  saveState(): FairDiceState {
    return { serverSeed: this.#serverSeed, clientSeeds: this.#clientSeeds, nextIndex: this.#nextIndex };
  }
}

/** The commitment to a server seed: SHA-256 of its 32 bytes, as lowercase hex. */
export function serverSeedCommitment(serverSeed: string): string {
  return sha256Hex(Buffer.from(normalizeServerSeed(serverSeed), 'hex'));
}

/** The dice of roll `index`, computed from scratch. */
export function rollAt(serverSeed: string, clientSeeds: readonly string[], index: number): Dice {
  const key = Buffer.from(normalizeServerSeed(serverSeed), 'hex');
  const seedBlock = encodeClientSeeds(frozenClientSeeds(clientSeeds));
  assertRollIndex(index);
  return diceFor(key, seedBlock, index);
}

export interface RollMismatch {
  readonly index: number;
  readonly expected: Dice;
  readonly recorded: Dice;
}

export interface FairDiceReport {
  /** True when the commitment matches, the indexes run 0, 1, 2, ... and every roll matches. */
  readonly valid: boolean;
  readonly commitmentMatches: boolean;
  /** True when the recorded indexes are exactly 0 .. n-1 in order: no roll was skipped, repeated or reordered. */
  readonly indexesInSequence: boolean;
  readonly mismatches: readonly RollMismatch[];
}

/** Recomputes every recorded roll from the revealed seeds and reports what does not match. */
export function verifyFairDice(
  reveal: Pick<FairDiceReveal, 'serverSeed' | 'commitment' | 'clientSeeds'>,
  rolls: readonly FairRoll[],
): FairDiceReport {
  const key = Buffer.from(normalizeServerSeed(reveal.serverSeed), 'hex');
  const commitmentMatches = sha256Hex(key) === normalizeCommitment(reveal.commitment);
  const seedBlock = encodeClientSeeds(frozenClientSeeds(reveal.clientSeeds));
  const mismatches: RollMismatch[] = [];
  for (const { index, dice: recorded } of rolls) {
    assertRollIndex(index);
    const expected = diceFor(key, seedBlock, index);
    if (!sameDice(expected, recorded)) mismatches.push({ index, expected, recorded });
  }
  const indexesInSequence = rolls.every((roll, position) => roll.index === position);
  return {
    valid: commitmentMatches && indexesInSequence && mismatches.length === 0,
    commitmentMatches,
    indexesInSequence,
    mismatches,
  };
}

/**
 * The byte-reading step of the derivation: takes accepted bytes from `blockAt(0)`, `blockAt(1)`, ...
 * until it has two dice. Exported so that the rare multi-block path can be exercised directly.
 */
export function diceFromBlocks(blockAt: (blockNumber: number) => Uint8Array): Dice {
  const faces: number[] = [];
  for (let blockNumber = 0; faces.length < 2; blockNumber++) {
    for (const byte of blockAt(blockNumber)) {
      if (byte >= ACCEPTED_BYTE_LIMIT) continue;
      faces.push((byte % FACES) + 1);
      if (faces.length === 2) break;
    }
  }
  return [faces[0]!, faces[1]!];
}

function diceFor(key: Buffer, seedBlock: Buffer, index: number): Dice {
  const message = Buffer.concat([seedBlock, uint32(index)]);
  return diceFromBlocks((blockNumber) => {
    const blockMessage = blockNumber === 0 ? message : Buffer.concat([message, uint32(blockNumber)]);
    return createHmac('sha256', key).update(blockMessage).digest();
  });
}

function encodeClientSeeds(clientSeeds: readonly string[]): Buffer {
  const parts = [uint32(clientSeeds.length)];
  for (const seed of clientSeeds) {
    const utf8 = Buffer.from(seed, 'utf8');
    parts.push(uint32(utf8.length), utf8);
  }
  return Buffer.concat(parts);
}

function uint32(value: number): Buffer {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(value);
  return bytes;
}

function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function sameDice(expected: Dice, recorded: unknown): boolean {
  return Array.isArray(recorded) && recorded.length === 2 && recorded[0] === expected[0] && recorded[1] === expected[1];
}

const HEX_256_BITS = /^[0-9a-f]{64}$/i;

function normalizeServerSeed(serverSeed: unknown): string {
  if (typeof serverSeed !== 'string' || !HEX_256_BITS.test(serverSeed)) {
    fail('INVALID_SEED', `server seed must be ${SERVER_SEED_BYTES * 2} hexadecimal digits`);
  }
  return serverSeed.toLowerCase();
}

function normalizeCommitment(commitment: unknown): string {
  if (typeof commitment !== 'string' || !HEX_256_BITS.test(commitment)) {
    fail('INVALID_SEED', 'commitment must be 64 hexadecimal digits (a SHA-256 digest)');
  }
  return commitment.toLowerCase();
}

/** Validates client seeds and returns a frozen copy, so later changes by the caller cannot alter rolls. */
function frozenClientSeeds(clientSeeds: unknown): readonly string[] {
  if (!Array.isArray(clientSeeds)) fail('INVALID_SEED', 'client seeds must be an array of strings');
  if (clientSeeds.length > MAX_CLIENT_SEEDS) {
    fail('INVALID_SEED', `at most ${MAX_CLIENT_SEEDS} client seeds, one per seat, not ${clientSeeds.length}`);
  }
  const copy = Array.from(clientSeeds as unknown[]);
  copy.forEach(assertClientSeed);
  return Object.freeze(copy as string[]);
}

const LONE_SURROGATE = /\p{Surrogate}/u;

function assertClientSeed(seed: unknown, seat: number): void {
  if (typeof seed !== 'string') fail('INVALID_SEED', `client seed ${seat} must be a string, not ${typeof seed}`);
  // A lone surrogate has no UTF-8 encoding; it would be silently replaced, so two seeds could collide.
  if (LONE_SURROGATE.test(seed)) fail('INVALID_SEED', `client seed ${seat} is not well-formed Unicode`);
  // A code point takes at most two UTF-16 units, so longer strings need not be counted.
  const codePoints = seed.length > 2 * MAX_CLIENT_SEED_CODE_POINTS ? seed.length : [...seed].length;
  if (codePoints > MAX_CLIENT_SEED_CODE_POINTS) {
    fail('INVALID_SEED', `client seed ${seat} has ${codePoints} characters; at most ${MAX_CLIENT_SEED_CODE_POINTS} allowed`);
  }
}

function assertRollIndex(index: unknown): asserts index is number {
  if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index > MAX_ROLL_INDEX) {
    fail('INVALID_SEED', `roll index must be an integer from 0 to ${MAX_ROLL_INDEX}, not ${String(index)}`);
  }
}
