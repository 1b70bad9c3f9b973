import assert from 'node:assert/strict';
import fc from 'fast-check';
import { EngineError, type EngineErrorCode } from '../../src/engine/errors.js';
import { positionFromId, positionId } from '../../src/engine/gnubg-id.js';
import { positionFrom, startPosition, turnAround, type Position } from '../../src/engine/position.js';

const BASE64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/**
 * An independent reference encoder, written straight from the manual: a string of bits built
 * side by side (side not on roll first), padded to 80, packed LSB first, Base64 by node:buffer.
 * It takes raw counts, so it can also build IDs for boards that are not valid.
 */
function referenceId(firstSide: readonly number[], secondSide: readonly number[], extraBits = ''): string {
  let bits = '';
  for (const side of [firstSide, secondSide]) {
    for (let slot = 1; slot <= 25; slot++) bits += '1'.repeat(side[slot] ?? 0) + '0';
  }
  bits = (bits + extraBits).padEnd(80, '0');
  return bytesToId(bitsToBytes(bits));
}

function bitsToBytes(bits: string): Uint8Array {
  const bytes = new Uint8Array(bits.length / 8);
  for (let index = 0; index < bits.length; index++) {
    if (bits[index] === '1') bytes[index >> 3]! |= 1 << (index & 7);
  }
  return bytes;
}

function bytesToId(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64').replace(/=+$/, '');
}

function sideOf(counts: Record<number, number>): number[] {
  const side = new Array<number>(26).fill(0);
  for (const [slot, count] of Object.entries(counts)) side[Number(slot)] = count;
  return side;
}

function assertRejected(run: () => unknown, code: EngineErrorCode, messagePart?: RegExp): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof EngineError, `expected an EngineError, got ${String(error)}`);
    assert.equal(error.code, code);
    if (messagePart) assert.match(error.message, messagePart);
    return true;
  });
}

function stuckOnBar(position: Position): boolean {
  const closedAndOnBar = (side: readonly number[]) =>
    side[25]! > 0 && [1, 2, 3, 4, 5, 6].every((point) => side[point]! >= 2);
  return closedAndOnBar(position.player) && closedAndOnBar(position.opponent);
}

/** 15 checkers per side over off, points and bar; either spread out or piled on a few slots. */
const checkerSlots: fc.Arbitrary<number[]> = fc.oneof(
  fc.array(fc.integer({ min: 0, max: 25 }), { minLength: 15, maxLength: 15 }),
  fc
    .tuple(
      fc.array(fc.integer({ min: 0, max: 25 }), { minLength: 1, maxLength: 3 }),
      fc.array(fc.nat(), { minLength: 15, maxLength: 15 }),
    )
    .map(([favourites, picks]) => picks.map((pick) => favourites[pick % favourites.length]!)),
);

/** Valid positions: an opponent checker that would land on a point the player holds goes to the bar. */
const positions: fc.Arbitrary<Position> = fc
  .tuple(checkerSlots, checkerSlots)
  .map(([playerSlots, opponentSlots]) => {
    const player = new Array<number>(26).fill(0);
    const opponent = new Array<number>(26).fill(0);
    for (const slot of playerSlots) player[slot]!++;
    for (const slot of opponentSlots) {
      const heldByPlayer = slot >= 1 && slot <= 24 && player[25 - slot]! > 0;
      opponent[heldByPlayer ? 25 : slot]!++;
    }
    return { player, opponent };
  })
  .filter((position) => !stuckOnBar(position) && !(position.player[0] === 15 && position.opponent[0] === 15));

describe('GNU Backgammon Position ID', () => {
  describe('known IDs', () => {
    it('encodes and decodes the starting position as 4HPwATDgc/ABMA (gnubg manual)', () => {
      assert.equal(positionId(startPosition()), '4HPwATDgc/ABMA');
      assert.deepEqual(positionFromId('4HPwATDgc/ABMA'), startPosition());
    });

    it('matches the key bytes of the manual worked example, E0 73 F0 01 30 E0 73 F0 01 30', () => {
      const key = Buffer.from(positionId(startPosition()) + '==', 'base64');
      assert.deepEqual([...key], [0xe0, 0x73, 0xf0, 0x01, 0x30, 0xe0, 0x73, 0xf0, 0x01, 0x30]);
    });

    // From a gnubg `show board` printout: X on roll with 4 on the ace, 3 on the 3, 1 on the 4
    // and 7 off; O with one checker on its 2-point and 14 off.
    const bearoff = positionFrom({ 1: 4, 3: 3, 4: 1 }, { 2: 1 });
    it('encodes a bear-off race as AgAAPBcAAAAAAA (gnubg board printout)', () => {
      assert.equal(positionId(bearoff), 'AgAAPBcAAAAAAA');
      assert.deepEqual(positionFromId('AgAAPBcAAAAAAA'), bearoff);
    });

    // From the Games::Backgammon (CPAN) documentation, which quotes a gnubg printout:
    // black (X) on roll, white (O) waiting.
    const middleGame = positionFrom({ 6: 5, 8: 4, 13: 3, 16: 1, 21: 2 }, { 5: 2, 6: 4, 8: 3, 13: 5, 15: 1 });
    it('encodes a middle game as sOfgEwDg8+AIBg, side not on roll first (Games::Backgammon docs)', () => {
      assert.equal(positionId(middleGame), 'sOfgEwDg8+AIBg');
      assert.deepEqual(positionFromId('sOfgEwDg8+AIBg'), middleGame);
      assert.notEqual(positionId(turnAround(middleGame)), 'sOfgEwDg8+AIBg');
    });

    it('keys checkers on the bar after the 24-point', () => {
      const onBar = positionFrom({ 25: 2, 6: 13 }, { 25: 1, 1: 14 });
      assert.equal(positionId(onBar), referenceId(onBar.opponent, onBar.player));
      assert.deepEqual(positionFromId(referenceId(onBar.opponent, onBar.player)), onBar);
    });
  });

  describe('round trips', () => {
    it('decodes every valid position back from its ID', () => {
      fc.assert(
        fc.property(positions, (position) => {
          assert.deepEqual(positionFromId(positionId(position)), position);
        }),
        { numRuns: 2000 },
      );
    });

    it('writes the same ID as a reference encoder built from the manual', () => {
      fc.assert(
        fc.property(positions, (position) => {
          const id = positionId(position);
          assert.match(id, /^[A-Za-z0-9+/]{14}$/);
          assert.equal(id, referenceId(position.opponent, position.player));
        }),
        { numRuns: 2000 },
      );
    });

    it('either refuses a damaged ID or decodes it to the position that ID stands for', () => {
      const damagedIds = fc
        .tuple(positions, fc.integer({ min: 0, max: 79 }))
        .map(([position, bit]) => {
          const key = Buffer.from(positionId(position) + '==', 'base64');
          key[bit >> 3]! ^= 1 << (bit & 7);
          return bytesToId(key);
        });
      const randomIds = fc.uint8Array({ minLength: 10, maxLength: 10 }).map(bytesToId);
      fc.assert(
        fc.property(fc.oneof(damagedIds, randomIds), (id) => {
          let position: Position;
          try {
            position = positionFromId(id);
          } catch (error) {
            assert.ok(error instanceof EngineError && error.code === 'INVALID_POSITION_ID', String(error));
            return;
          }
          assert.equal(positionId(position), id);
        }),
        { numRuns: 3000 },
      );
    });

    it('throws nothing but INVALID_POSITION_ID for arbitrary text', () => {
      const characters = fc.constantFrom(...(BASE64_ALPHABET + '=- é\n').split(''));
      const texts = fc.array(characters, { maxLength: 18 }).map((chars) => chars.join(''));
      fc.assert(
        fc.property(texts, (text) => {
          try {
            positionId(positionFromId(text));
          } catch (error) {
            assert.ok(error instanceof EngineError && error.code === 'INVALID_POSITION_ID', String(error));
          }
        }),
      );
    });
  });

  describe('malformed IDs', () => {
    const start = startPosition();

    it('refuses the wrong length', () => {
      for (const id of ['', '4HPwATDgc/ABM', '4HPwATDgc/ABMAA', '4HPwATDgc/ABMA==']) {
        assertRejected(() => positionFromId(id), 'INVALID_POSITION_ID', /14 characters/);
      }
    });

    it('refuses characters outside Base64', () => {
      for (const id of ['4HPwATDgc-ABMA', '4HPwATDgc/AB A', '4HPwATDgc/ABM=', 'é'.repeat(14)]) {
        assertRejected(() => positionFromId(id), 'INVALID_POSITION_ID', /not a Base64 character/);
      }
    });

    it('refuses what is not a string', () => {
      for (const id of [undefined, null, 42, ['4HPwATDgc/ABMA']]) {
        assertRejected(() => positionFromId(id as unknown as string), 'INVALID_POSITION_ID');
      }
    });

    it('refuses stray bits in the last character', () => {
      assertRejected(() => positionFromId('4HPwATDgc/ABMB'), 'INVALID_POSITION_ID', /stray bits/);
    });

    it('refuses more than 15 checkers for either side', () => {
      const sixteen = sideOf({ 6: 16 });
      const opponentHasSixteen = referenceId(sixteen, start.player);
      const playerHasSixteen = referenceId(start.opponent, sixteen);
      assertRejected(() => positionFromId(opponentHasSixteen), 'INVALID_POSITION_ID', /side not on roll has more than 15/);
      assertRejected(() => positionFromId(playerHasSixteen), 'INVALID_POSITION_ID', /side on roll has more than 15/);
    });

    it('refuses a key of all 1-bits, too few 0-bits to list both sides', () => {
      assertRejected(() => positionFromId(bytesToId(new Uint8Array(10).fill(0xff))), 'INVALID_POSITION_ID');
    });

    it('refuses 1-bits after both sides have been listed', () => {
      const race = positionFrom({ 1: 2 }, { 1: 2 });
      assert.equal(positionId(race), referenceId(race.opponent, race.player));
      const firstPaddingBitSet = referenceId(race.opponent, race.player, '1');
      const lastBitSet = referenceId(race.opponent, race.player, '0'.repeat(25) + '1');
      assertRejected(() => positionFromId(firstPaddingBitSet), 'INVALID_POSITION_ID', /bits after both sides/);
      assertRejected(() => positionFromId(lastBitSet), 'INVALID_POSITION_ID', /bits after both sides/);
    });

    it('refuses a point held by both sides', () => {
      // The opponent's 19-point is the player's 6-point, where the player has five checkers.
      const intruder = sideOf({ 19: 1 });
      assertRejected(() => positionFromId(referenceId(intruder, start.player)), 'INVALID_POSITION_ID', /both sides/);
    });

    it('refuses both sides with every checker borne off', () => {
      assertRejected(() => positionFromId('AAAAAAAAAAAAAA'), 'INVALID_POSITION_ID', /borne off/);
    });

    it('refuses both sides on the bar against closed boards, as gnubg does', () => {
      const stuck = sideOf({ 1: 2, 2: 2, 3: 2, 4: 2, 5: 2, 6: 2, 25: 3 });
      assertRejected(() => positionFromId(referenceId(stuck, stuck)), 'INVALID_POSITION_ID', /closed home boards/);
      const oneStuck = sideOf({ 1: 2, 2: 2, 3: 2, 4: 2, 5: 2, 6: 2, 25: 3 });
      const openBoard = sideOf({ 1: 1, 2: 2, 3: 2, 4: 2, 5: 2, 6: 2, 25: 3 });
      assert.doesNotThrow(() => positionFromId(referenceId(oneStuck, openBoard)));
    });
  });

  describe('positions that cannot be encoded', () => {
    it('refuses an invalid position with INVALID_POSITION', () => {
      const sixteen = { player: sideOf({ 6: 16 }), opponent: startPosition().opponent };
      assertRejected(() => positionId(sixteen), 'INVALID_POSITION');
      assertRejected(() => positionId(null as unknown as Position), 'INVALID_POSITION');
    });

    it('refuses both sides on the bar against closed boards with INVALID_POSITION', () => {
      const stuck = sideOf({ 1: 2, 2: 2, 3: 2, 4: 2, 5: 2, 6: 2, 25: 3 });
      assertRejected(() => positionId({ player: stuck, opponent: stuck }), 'INVALID_POSITION', /closed home boards/);
    });
  });
});
