import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import fc from 'fast-check';
import type { Dice } from '../../src/engine/dice.js';
import { EngineError } from '../../src/engine/errors.js';
import {
  createFairDice,
  diceFromBlocks,
  MAX_ROLL_INDEX,
  randomDice,
  restoreFairDice,
  rollAt,
  serverSeedCommitment,
  verifyFairDice,
  type FairRoll,
} from '../../src/engine/fair-dice.js';

/** Bytes 0x00..0x1f. */
const SEED_A = '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f';
const SEED_B = 'ff'.repeat(32);
const UNICODE_SEEDS = ['çay ☕', '𝔱𝔞𝔳𝔩𝔞'];

/*
 * Known answers below were computed with a separate Python implementation of the derivation
 * documented in src/engine/fair-dice.ts (hmac, hashlib and struct.pack('>I', n) from the
 * standard library), and spot-checked with openssl:
 *   printf 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f | xxd -r -p | openssl dgst -sha256
 *   printf 0000000200000005616c69636500000003626f6200000003 | xxd -r -p \
 *     | openssl dgst -sha256 -mac HMAC -macopt hexkey:000102...1e1f
 */
const COMMITMENT_A = '630dcd2966c4336691125448bbb25b4ff412a49c732db2c8abc1b8581bd710dd';
const COMMITMENT_B = 'af9613760f72635fbdb44a5a0a63c39f12af30f950a6ee5c971be188e89c4051';

function isSeedError(error: unknown): boolean {
  return error instanceof EngineError && error.code === 'INVALID_SEED';
}

function assertSeedError(action: () => unknown, message?: RegExp): void {
  assert.throws(action, (error: unknown) => {
    assert.ok(isSeedError(error), `expected INVALID_SEED, got ${String(error)}`);
    if (message) assert.match((error as Error).message, message);
    return true;
  });
}

function rollsFrom(serverSeed: string, clientSeeds: string[], count: number): FairRoll[] {
  const source = createFairDice({ serverSeed, clientSeeds });
  return Array.from({ length: count }, () => source.roll());
}

/** Pearson's chi-square of observed counts against equal expected counts. */
function chiSquareUniform(counts: readonly number[]): number {
  const total = counts.reduce((sum, count) => sum + count, 0);
  const expected = total / counts.length;
  return counts.reduce((sum, count) => sum + (count - expected) ** 2 / expected, 0);
}

function faceCounts(rolls: readonly Dice[]): number[] {
  const counts = new Array<number>(6).fill(0);
  for (const [first, second] of rolls) {
    counts[first - 1]!++;
    counts[second - 1]!++;
  }
  return counts;
}

function orderedPairCounts(rolls: readonly Dice[]): number[] {
  const counts = new Array<number>(36).fill(0);
  for (const [first, second] of rolls) counts[(first - 1) * 6 + (second - 1)]!++;
  return counts;
}

// An honest source exceeds these with probability about 1e-9 (chi-square quantiles for 5 and
// 35 degrees of freedom); a biased mapping over 60,000 rolls lands far above them.
const FACE_CHI_SQUARE_BOUND = 50.7;
const PAIR_CHI_SQUARE_BOUND = 110.3;
const SAMPLE_ROLLS = 60_000;

describe('randomDice', () => {
  it('rolls uniform, independent die faces', () => {
    const rolls = Array.from({ length: SAMPLE_ROLLS }, randomDice);
    for (const [first, second] of rolls) {
      assert.ok(Number.isInteger(first) && first >= 1 && first <= 6);
      assert.ok(Number.isInteger(second) && second >= 1 && second <= 6);
    }
    assert.ok(chiSquareUniform(faceCounts(rolls)) < FACE_CHI_SQUARE_BOUND);
    assert.ok(chiSquareUniform(orderedPairCounts(rolls)) < PAIR_CHI_SQUARE_BOUND);
  });
});

describe('fair dice commitment', () => {
  it('is the SHA-256 of the server seed bytes', () => {
    assert.equal(createFairDice({ serverSeed: SEED_A }).commitment, COMMITMENT_A);
    assert.equal(serverSeedCommitment(SEED_B), COMMITMENT_B);
  });

  it('accepts an upper-case seed and reports it in lower case', () => {
    const source = createFairDice({ serverSeed: SEED_A.toUpperCase() });
    assert.equal(source.commitment, COMMITMENT_A);
    assert.equal(source.reveal().serverSeed, SEED_A);
  });

  it('matches SHA-256 for any seed, and a fresh source draws a fresh 32-byte seed', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (bytes) => {
        const seed = Buffer.from(bytes).toString('hex');
        assert.equal(serverSeedCommitment(seed), createHash('sha256').update(bytes).digest('hex'));
      }),
    );
    const first = createFairDice().reveal();
    const second = createFairDice().reveal();
    assert.match(first.serverSeed, /^[0-9a-f]{64}$/);
    assert.notEqual(first.serverSeed, second.serverSeed);
    assert.equal(first.commitment, serverSeedCommitment(first.serverSeed));
  });
});

describe('fair dice known answers', () => {
  it('rolls the published sequence without client seeds', () => {
    const expected: Dice[] = [[4, 1], [5, 3], [4, 1], [1, 3], [3, 6], [6, 3]];
    assert.deepEqual(rollsFrom(SEED_A, [], 6), expected.map((dice, index) => ({ index, dice })));
  });

  it('rolls the published sequence with two client seeds', () => {
    const expected: Dice[] = [[4, 3], [6, 5], [4, 6], [4, 5], [6, 5], [3, 3]];
    assert.deepEqual(
      rollsFrom(SEED_A, ['alice', 'bob'], 6).map((roll) => roll.dice),
      expected,
    );
  });

  it('encodes client seeds as UTF-8 and the index as a 32-bit big-endian counter', () => {
    assert.deepEqual(rollAt(SEED_B, UNICODE_SEEDS, 0), [4, 2]);
    assert.deepEqual(rollAt(SEED_B, UNICODE_SEEDS, 1), [4, 3]);
    assert.deepEqual(rollAt(SEED_B, UNICODE_SEEDS, MAX_ROLL_INDEX), [3, 1]);
  });

  it('length-prefixes client seeds so different lists never share a message', () => {
    const firstFive = (clientSeeds: string[]) => [0, 1, 2, 3, 4].map((index) => rollAt(SEED_A, clientSeeds, index));
    assert.deepEqual(firstFive(['ab']), [[4, 2], [5, 1], [5, 4], [6, 1], [5, 1]]);
    assert.deepEqual(firstFive(['a', 'b']), [[2, 5], [1, 1], [4, 1], [3, 1], [5, 5]]);
    assert.deepEqual(firstFive(['']), [[4, 4], [3, 3], [3, 3], [1, 6], [1, 3]]);
  });
});

describe('fair dice rejection sampling', () => {
  // HMAC digests for SEED_A with client seeds ['alice', 'bob'] (Python, as above).
  it('skips a first digest byte of 252 or more', () => {
    // Index 3: digest fc 39 dc 71 ... -> 0xfc = 252 skipped, 0x39 = 57 -> 4, 0xdc = 220 -> 5.
    assert.deepEqual(rollAt(SEED_A, ['alice', 'bob'], 3), [4, 5]);
  });

  it('skips a second digest byte of 252 or more', () => {
    // Index 22: digest 9f fc f3 e5 ... -> 0x9f = 159 -> 4, 0xfc skipped, 0xf3 = 243 -> 4.
    assert.deepEqual(rollAt(SEED_A, ['alice', 'bob'], 22), [4, 4]);
  });

  it('skips both leading bytes when both are 252 or more', () => {
    // Index 1184: digest fe ff 4b 54 ... -> both skipped, 0x4b = 75 -> 4, 0x54 = 84 -> 1.
    assert.deepEqual(rollAt(SEED_A, ['alice', 'bob'], 1184), [4, 1]);
  });

  it('maps the byte boundaries: 0 -> 1, 251 -> 6, 252..255 rejected', () => {
    assert.deepEqual(diceFromBlocks(() => Uint8Array.from([252, 253, 254, 255, 0, 251])), [1, 6]);
  });

  it('continues into further digest blocks when one block has fewer than two accepted bytes', () => {
    const requested: number[] = [];
    const blocks = [new Uint8Array(32).fill(0xff), Uint8Array.from([0xfc, 5, ...new Array<number>(30).fill(0xfe)]), Uint8Array.from([255, 12])];
    blocks[0]![17] = 200;
    const dice = diceFromBlocks((blockNumber) => {
      requested.push(blockNumber);
      return blocks[blockNumber]!;
    });
    assert.deepEqual(dice, [(200 % 6) + 1, (5 % 6) + 1]);
    assert.deepEqual(requested, [0, 1]);
  });
});

describe('fair dice source', () => {
  it('advances the index with each roll and agrees with rollAt', () => {
    const source = createFairDice({ clientSeeds: ['x', 'y'] });
    const { serverSeed } = source.saveState();
    for (let index = 0; index < 20; index++) {
      assert.equal(source.nextIndex, index);
      const roll = source.roll();
      assert.equal(roll.index, index);
      assert.deepEqual(roll.dice, rollAt(serverSeed, ['x', 'y'], index));
    }
  });

  it('always rolls valid faces for any seeds and index', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[0-9a-f]{64}$/),
        fc.array(fc.string({ unit: 'grapheme', maxLength: 20 }), { maxLength: 2 }),
        fc.integer({ min: 0, max: MAX_ROLL_INDEX }),
        (serverSeed, clientSeeds, index) => {
          const [first, second] = rollAt(serverSeed, clientSeeds, index);
          assert.ok(first >= 1 && first <= 6 && second >= 1 && second <= 6);
          const restored = restoreFairDice({ serverSeed, clientSeeds, nextIndex: index });
          assert.deepEqual(restored.roll().dice, [first, second]);
        },
      ),
    );
  });

  it('lets client seeds be set before the first roll only', () => {
    const source = createFairDice({ serverSeed: SEED_A });
    source.setClientSeeds(['alice', 'bob']);
    assert.deepEqual(source.clientSeeds, ['alice', 'bob']);
    assert.deepEqual(source.roll().dice, [4, 3]);
    assertSeedError(() => source.setClientSeeds(['carol']), /before the first roll/);
  });

  it('keeps its own copy of the client seeds', () => {
    const clientSeeds = ['alice', 'bob'];
    const source = createFairDice({ serverSeed: SEED_A, clientSeeds });
    clientSeeds[0] = 'mallory';
    assert.deepEqual(source.clientSeeds, ['alice', 'bob']);
    assert.ok(Object.isFrozen(source.clientSeeds));
  });

  it('reveals seeds and roll count, then refuses to roll', () => {
    const source = createFairDice({ serverSeed: SEED_A, clientSeeds: ['alice'] });
    source.roll();
    source.roll();
    assert.deepEqual(source.reveal(), {
      serverSeed: SEED_A,
      commitment: COMMITMENT_A,
      clientSeeds: ['alice'],
      rollCount: 2,
    });
    assert.ok(source.revealed);
    assertSeedError(() => source.roll(), /revealed/);
  });
});

describe('restoring fair dice', () => {
  it('continues the same roll sequence from a saved state', () => {
    const original = createFairDice({ clientSeeds: ['alice', 'bob'] });
    for (let i = 0; i < 7; i++) original.roll();
    const saved = JSON.parse(JSON.stringify(original.saveState())) as ReturnType<typeof original.saveState>;
    const restored = restoreFairDice(saved);
    assert.equal(restored.commitment, original.commitment);
    assert.equal(restored.nextIndex, 7);
    for (let i = 0; i < 10; i++) assert.deepEqual(restored.roll(), original.roll());
  });

  it('rolls the last index and then refuses to go past it', () => {
    const source = restoreFairDice({ serverSeed: SEED_B, clientSeeds: UNICODE_SEEDS, nextIndex: MAX_ROLL_INDEX });
    assert.deepEqual(source.roll(), { index: MAX_ROLL_INDEX, dice: [3, 1] });
    assertSeedError(() => source.roll(), /roll index/);
    const exhausted = restoreFairDice(source.saveState());
    assertSeedError(() => exhausted.roll(), /roll index/);
  });

  it('refuses a bad next index', () => {
    for (const nextIndex of [-1, 0.5, Number.NaN, MAX_ROLL_INDEX + 2, Number.POSITIVE_INFINITY]) {
      assertSeedError(() => restoreFairDice({ serverSeed: SEED_A, clientSeeds: [], nextIndex }), /next roll index/);
    }
  });
});

describe('verifyFairDice', () => {
  const reveal = { serverSeed: SEED_A, commitment: COMMITMENT_A, clientSeeds: ['alice', 'bob'] };
  const honest = rollsFrom(SEED_A, ['alice', 'bob'], 30);

  it('accepts an honest record', () => {
    assert.deepEqual(verifyFairDice(reveal, honest), {
      valid: true,
      commitmentMatches: true,
      indexesInSequence: true,
      mismatches: [],
    });
    assert.equal(verifyFairDice(reveal, []).valid, true);
  });

  it('accepts what a source reveals at the end of a match', () => {
    const source = createFairDice({ clientSeeds: ['p1', 'p2'] });
    const rolls = Array.from({ length: 50 }, () => source.roll());
    assert.equal(verifyFairDice(source.reveal(), rolls).valid, true);
  });

  it('pinpoints a tampered roll', () => {
    const tampered = honest.map((roll) => (roll.index === 12 ? { index: 12, dice: [6, 6] as Dice } : roll));
    const report = verifyFairDice(reveal, tampered);
    assert.equal(report.valid, false);
    assert.equal(report.commitmentMatches, true);
    assert.deepEqual(report.mismatches, [{ index: 12, expected: honest[12]!.dice, recorded: [6, 6] }]);
  });

  it('rejects a seed that does not match the commitment', () => {
    const report = verifyFairDice({ ...reveal, serverSeed: SEED_B }, honest);
    assert.equal(report.valid, false);
    assert.equal(report.commitmentMatches, false);
    assert.ok(report.mismatches.length > 0);
  });

  it('rejects a commitment that does not match the seed, even when the rolls do', () => {
    const report = verifyFairDice({ ...reveal, commitment: COMMITMENT_B }, honest);
    assert.equal(report.valid, false);
    assert.equal(report.commitmentMatches, false);
    assert.deepEqual(report.mismatches, []);
  });

  it('rejects other client seeds', () => {
    const report = verifyFairDice({ ...reveal, clientSeeds: ['bob', 'alice'] }, honest);
    assert.equal(report.valid, false);
    assert.ok(report.mismatches.length > 0);
  });

  it('rejects a record that skips or reorders rolls', () => {
    const skipped = honest.filter((roll) => roll.index !== 5);
    const skippedReport = verifyFairDice(reveal, skipped);
    assert.deepEqual(skippedReport.mismatches, []);
    assert.equal(skippedReport.indexesInSequence, false);
    assert.equal(skippedReport.valid, false);
    const reordered = [honest[1]!, honest[0]!, ...honest.slice(2)];
    assert.equal(verifyFairDice(reveal, reordered).valid, false);
  });
});

describe('fair dice distribution', () => {
  const clientSeeds = ['alice', 'bob'];
  const key = Buffer.from(SEED_A, 'hex');
  const seedBlock = Buffer.concat([u32(2), u32(5), Buffer.from('alice'), u32(3), Buffer.from('bob')]);
  const digests = Array.from({ length: SAMPLE_ROLLS }, (_, index) =>
    createHmac('sha256', key).update(Buffer.concat([seedBlock, u32(index)])).digest(),
  );

  function u32(value: number): Buffer {
    const bytes = Buffer.alloc(4);
    bytes.writeUInt32BE(value);
    return bytes;
  }

  /** Dice from each roll's first digest block under a given byte-to-face mapping. */
  function diceWithMapping(accept: (byte: number) => boolean, face: (byte: number) => number): Dice[] {
    return digests.map((digest) => {
      const [first, second] = [...digest].filter(accept).map(face);
      return [first!, second!];
    });
  }

  const honestMapping = diceWithMapping((byte) => byte < 252, (byte) => (byte % 6) + 1);

  it('matches a reference implementation of the documented derivation', () => {
    for (let index = 0; index < SAMPLE_ROLLS; index += 97) {
      assert.deepEqual(rollAt(SEED_A, clientSeeds, index), honestMapping[index]);
    }
  });

  it('is uniform over faces and ordered pairs across 60,000 rolls', () => {
    const rolls = rollsFrom(SEED_A, clientSeeds, SAMPLE_ROLLS).map((roll) => roll.dice);
    assert.ok(chiSquareUniform(faceCounts(rolls)) < FACE_CHI_SQUARE_BOUND);
    assert.ok(chiSquareUniform(orderedPairCounts(rolls)) < PAIR_CHI_SQUARE_BOUND);
  });

  it('has a test statistic that catches an off-by-one face mapping', () => {
    const offByOne = diceWithMapping((byte) => byte < 252, (byte) => Math.floor(byte / 43) + 1);
    assert.ok(chiSquareUniform(faceCounts(offByOne)) > FACE_CHI_SQUARE_BOUND);
  });

  it('has a test statistic that catches dependent dice', () => {
    const doubled = honestMapping.map(([first]): Dice => [first, first]);
    assert.ok(chiSquareUniform(orderedPairCounts(doubled)) > PAIR_CHI_SQUARE_BOUND);
  });
});

describe('fair dice input validation', () => {
  it('refuses a server seed that is not 64 hexadecimal digits', () => {
    for (const serverSeed of ['', SEED_A.slice(1), `${SEED_A}0`, `0x${SEED_A.slice(2)}`, `${SEED_A.slice(1)}g`, ` ${SEED_A.slice(1)}`]) {
      assertSeedError(() => createFairDice({ serverSeed }), /server seed/);
      assertSeedError(() => rollAt(serverSeed, [], 0), /server seed/);
      assertSeedError(() => serverSeedCommitment(serverSeed), /server seed/);
      assertSeedError(() => verifyFairDice({ serverSeed, commitment: COMMITMENT_A, clientSeeds: [] }, []), /server seed/);
    }
    for (const serverSeed of [null, 42]) {
      assertSeedError(() => createFairDice({ serverSeed: serverSeed as unknown as string }), /server seed/);
      assertSeedError(() => restoreFairDice({ serverSeed: serverSeed as unknown as string, clientSeeds: [], nextIndex: 0 }));
    }
  });

  it('refuses a malformed commitment when verifying', () => {
    for (const commitment of ['', COMMITMENT_A.slice(2), `${COMMITMENT_A}00`, 'z'.repeat(64)]) {
      assertSeedError(() => verifyFairDice({ serverSeed: SEED_A, commitment, clientSeeds: [] }, []), /commitment/);
    }
  });

  it('accepts client seeds up to 128 characters, counted as code points', () => {
    assert.doesNotThrow(() => createFairDice({ clientSeeds: ['a'.repeat(128), '😀'.repeat(128)] }));
  });

  it('refuses client seeds that are too long, too many, not strings or not well-formed', () => {
    const bad: unknown[] = [
      ['a'.repeat(129)],
      ['😀'.repeat(129)],
      ['x'.repeat(100_000)],
      ['a', 'b', 'c'],
      [42],
      [null],
      ['ok', undefined],
      new Array(2),
      ['lone \uD800 surrogate'],
      'alice',
      null,
    ];
    for (const clientSeeds of bad) {
      const seeds = clientSeeds as string[];
      assertSeedError(() => createFairDice({ clientSeeds: seeds }), /client seed/);
      assertSeedError(() => createFairDice().setClientSeeds(seeds), /client seed/);
      assertSeedError(() => rollAt(SEED_A, seeds, 0), /client seed/);
      assertSeedError(() => restoreFairDice({ serverSeed: SEED_A, clientSeeds: seeds, nextIndex: 0 }), /client seed/);
      assertSeedError(() => verifyFairDice({ serverSeed: SEED_A, commitment: COMMITMENT_A, clientSeeds: seeds }, []), /client seed/);
    }
  });

  it('refuses a roll index that is negative, fractional or above 2^32 - 1', () => {
    for (const index of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, MAX_ROLL_INDEX + 1, '3' as unknown as number]) {
      assertSeedError(() => rollAt(SEED_A, [], index), /roll index/);
      assertSeedError(
        () => verifyFairDice({ serverSeed: SEED_A, commitment: COMMITMENT_A, clientSeeds: [] }, [{ index, dice: [1, 1] }]),
        /roll index/,
      );
    }
  });
});
