import assert from 'node:assert/strict';
import fc from 'fast-check';
import { EngineError, type EngineErrorCode } from '../../src/engine/errors.js';
import {
  decodeMatchId,
  encodeMatchId,
  sameMatchIdFields,
  MATCH_ID_GAME_STATES,
  MATCH_ID_RESIGNATIONS,
  type MatchIdFields,
  type MatchIdGameState,
} from '../../src/engine/match-id.js';

/** The raw numbers of a match key, in the manual's order (bits 1-66, plus gnubg's Jacoby bit 67). */
interface RawKey {
  cubeLog: number;
  cubeOwner: number;
  diceOwner: number;
  crawford: number;
  gameState: number;
  turn: number;
  doubleOffered: number;
  resignation: number;
  die1: number;
  die2: number;
  matchLength: number;
  score0: number;
  score1: number;
  noJacoby: number;
  /** Bits 68-72, which gnubg leaves 0. */
  spare: number;
}

const WIDTHS: readonly (readonly [keyof RawKey, number])[] = [
  ['cubeLog', 4],
  ['cubeOwner', 2],
  ['diceOwner', 1],
  ['crawford', 1],
  ['gameState', 3],
  ['turn', 1],
  ['doubleOffered', 1],
  ['resignation', 2],
  ['die1', 3],
  ['die2', 3],
  ['matchLength', 15],
  ['score0', 15],
  ['score1', 15],
  ['noJacoby', 1],
  ['spare', 5],
];

/** The manual's example: 9-point match, 2-4, player 0 owns a 2-cube, player 1 has rolled 5-2. */
const MANUAL_EXAMPLE: RawKey = {
  cubeLog: 1, cubeOwner: 0, diceOwner: 1, crawford: 0, gameState: 1, turn: 1, doubleOffered: 0,
  resignation: 0, die1: 5, die2: 2, matchLength: 9, score0: 2, score1: 4, noJacoby: 0, spare: 0,
};

/** A reference encoder written from the manual, independent of the engine: bits LSB first, node:buffer Base64. */
function referenceId(key: RawKey): string {
  const bytes = new Uint8Array(9);
  let offset = 0;
  for (const [name, width] of WIDTHS) {
    for (let bit = 0; bit < width; bit++, offset++) {
      if ((key[name] >> bit) & 1) bytes[offset >> 3]! |= 1 << (offset & 7);
    }
  }
  return Buffer.from(bytes).toString('base64');
}

function rawKey(fields: MatchIdFields): RawKey {
  return {
    cubeLog: Math.log2(fields.cubeValue),
    cubeOwner: fields.cubeOwner ?? 3,
    diceOwner: fields.diceOwner,
    crawford: fields.crawford ? 1 : 0,
    gameState: MATCH_ID_GAME_STATES.indexOf(fields.gameState),
    turn: fields.turn,
    doubleOffered: fields.doubleOffered ? 1 : 0,
    resignation: MATCH_ID_RESIGNATIONS.indexOf(fields.resignation),
    die1: fields.dice?.[0] ?? 0,
    die2: fields.dice?.[1] ?? 0,
    matchLength: fields.matchLength,
    score0: fields.score[0],
    score1: fields.score[1],
    noJacoby: fields.jacoby ? 0 : 1,
    spare: 0,
  };
}

function assertRejected(run: () => unknown, code: EngineErrorCode, messagePart?: RegExp): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof EngineError, `expected an EngineError, got ${String(error)}`);
    assert.equal(error.code, code);
    if (messagePart) assert.match(error.message, messagePart);
    return true;
  });
}

/** The manual's example with some raw fields changed. */
const exampleWith = (overrides: Partial<RawKey>): string => referenceId({ ...MANUAL_EXAMPLE, ...overrides });

const rejectsId = (overrides: Partial<RawKey>, messagePart?: RegExp) =>
  assertRejected(() => decodeMatchId(exampleWith(overrides)), 'INVALID_MATCH_ID', messagePart);

const manualFields: MatchIdFields = {
  cubeValue: 2,
  cubeOwner: 0,
  diceOwner: 1,
  crawford: false,
  gameState: 'playing',
  turn: 1,
  doubleOffered: false,
  resignation: 'none',
  dice: [5, 2],
  matchLength: 9,
  score: [2, 4],
  jacoby: true,
};

const FINISHED: readonly MatchIdGameState[] = ['over', 'resigned', 'dropped'];
const player = fc.constantFrom(0 as const, 1 as const);
const highFirstDice = fc
  .tuple(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 }))
  .map(([a, b]): readonly [number, number] => [Math.max(a, b), Math.min(a, b)]);

/** Valid match states, built to respect every rule: scores, Crawford, cube, double and resignation. */
const validFields: fc.Arbitrary<MatchIdFields> = fc
  .record({
    matchLength: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 64 })),
    gameState: fc.constantFrom(...MATCH_ID_GAME_STATES),
    cubeLog: fc.integer({ min: 0, max: 6 }),
    cubeOwner: fc.constantFrom(0 as const, 1 as const, null),
    diceOwner: player,
    turn: player,
    wantsCrawford: fc.boolean(),
    wantsDouble: fc.boolean(),
    resignation: fc.constantFrom(...MATCH_ID_RESIGNATIONS),
    dice: fc.option(highFirstDice),
    scoreSeeds: fc.tuple(fc.nat(), fc.nat()),
    winner: fc.option(player),
    jacoby: fc.boolean(),
  })
  .map((choice): MatchIdFields => {
    const { matchLength, gameState } = choice;
    const finished = FINISHED.includes(gameState);
    const crawford = choice.wantsCrawford && matchLength >= 2;
    let cubeValue = 2 ** choice.cubeLog;
    let cubeOwner = cubeValue === 1 ? null : choice.cubeOwner;
    if (crawford) [cubeValue, cubeOwner] = [1, null];
    const doubleOffered = choice.wantsDouble && !crawford && gameState === 'playing' && choice.dice === null;
    const resignation = gameState === 'playing' || gameState === 'resigned' ? choice.resignation : 'none';
    let score: [number, number];
    if (matchLength === 0) {
      score = [choice.scoreSeeds[0] % 0x8000, choice.scoreSeeds[1] % 0x8000];
    } else if (crawford) {
      score = [matchLength - 1, choice.scoreSeeds[1] % (matchLength - 1)];
    } else {
      score = [choice.scoreSeeds[0] % matchLength, choice.scoreSeeds[1] % matchLength];
      const lastGameWorth = choice.scoreSeeds[0] % (3 * cubeValue);
      if (finished && choice.winner !== null) score[choice.winner] = matchLength + lastGameWorth;
    }
    return {
      cubeValue, cubeOwner, diceOwner: choice.diceOwner, crawford, gameState, turn: choice.turn, doubleOffered,
      resignation, dice: choice.dice, matchLength, score, jacoby: choice.jacoby,
    };
  });

describe('GNU Backgammon Match ID', () => {
  describe('known IDs', () => {
    it('reads QYkqASAAIAAA as the manual describes it', () => {
      assert.deepEqual(decodeMatchId('QYkqASAAIAAA'), manualFields);
      assert.equal(encodeMatchId(manualFields), 'QYkqASAAIAAA');
    });

    it('writes the larger die first, as gnubg does, and keeps the order it reads', () => {
      assert.equal(encodeMatchId({ ...manualFields, dice: [2, 5] }), 'QYkqASAAIAAA');
      const lowFirst = exampleWith({ die1: 2, die2: 5 });
      assert.deepEqual(decodeMatchId(lowFirst).dice, [2, 5]);
    });

    // gnubg `show board` printout: 5-point match, O (player 0) 2 points, X (player 1) 4 points
    // and owning a 2-cube, X on roll resigning a single game, O to answer.
    it('reads USGgACAAIAAE from a gnubg board printout', () => {
      const fields: MatchIdFields = {
        cubeValue: 2,
        cubeOwner: 1,
        diceOwner: 1,
        crawford: false,
        gameState: 'playing',
        turn: 0,
        doubleOffered: false,
        resignation: 'single',
        dice: null,
        matchLength: 5,
        score: [2, 4],
        jacoby: false,
      };
      assert.deepEqual(decodeMatchId('USGgACAAIAAE'), fields);
      assert.equal(encodeMatchId(fields), 'USGgACAAIAAE');
    });

    // backgammoncalculator (R) README: 8IluACAACAAE = XGID ...:0:0:1:53:1:2:1:3:10, a 3-point
    // match, Crawford game, centred 1-cube, 5-3 rolled; 8IhuACAACAAE is the same before the game starts.
    it('reads 8IluACAACAAE, a Crawford game, and 8IhuACAACAAE', () => {
      const fields: MatchIdFields = {
        cubeValue: 1,
        cubeOwner: null,
        diceOwner: 1,
        crawford: true,
        gameState: 'playing',
        turn: 1,
        doubleOffered: false,
        resignation: 'none',
        dice: [5, 3],
        matchLength: 3,
        score: [2, 1],
        jacoby: false,
      };
      assert.deepEqual(decodeMatchId('8IluACAACAAE'), fields);
      assert.equal(encodeMatchId(fields), '8IluACAACAAE');
      assert.deepEqual(decodeMatchId('8IhuACAACAAE'), { ...fields, gameState: 'none' });
    });

    it('reads the Jacoby bit, which gnubg stores inverted after bit 66', () => {
      assert.deepEqual(decodeMatchId('QYkqASAAIAAE'), { ...manualFields, jacoby: false });
      assert.equal(encodeMatchId({ ...manualFields, jacoby: false }), 'QYkqASAAIAAE');
    });

    it('reads a money game with a centred cube and no dice', () => {
      const money = { cubeLog: 0, cubeOwner: 3, die1: 0, die2: 0, matchLength: 0, score0: 0, score1: 0 };
      const fields = decodeMatchId(exampleWith(money));
      assert.equal(fields.matchLength, 0);
      assert.equal(fields.cubeValue, 1);
      assert.equal(fields.cubeOwner, null);
      assert.equal(fields.dice, null);
    });
  });

  describe('round trips', () => {
    it('decodes every valid state back from its ID', () => {
      fc.assert(
        fc.property(validFields, (fields) => {
          assert.deepEqual(decodeMatchId(encodeMatchId(fields)), fields);
        }),
        { numRuns: 3000 },
      );
    });

    it('calls two states the same exactly when their IDs are the same', () => {
      const nearby = validFields.chain((fields) =>
        fc.tuple(fc.constant(fields), fc.oneof(validFields, fc.constant(decodeMatchId(encodeMatchId(fields))), fc.constant({ ...fields, dice: fields.dice && ([fields.dice[1], fields.dice[0]] as const) }))),
      );
      let same = 0;
      fc.assert(
        fc.property(nearby, ([a, b]) => {
          const sameId = encodeMatchId(a) === encodeMatchId(b);
          assert.equal(sameMatchIdFields(a, b), sameId);
          if (sameId) same++;
        }),
        { numRuns: 3000 },
      );
      assert.ok(same > 1000, `only ${same} pairs with the same ID`);
    });

    it('writes the same ID as a reference encoder built from the manual', () => {
      fc.assert(
        fc.property(validFields, (fields) => {
          const id = encodeMatchId(fields);
          assert.match(id, /^[A-Za-z0-9+/]{12}$/);
          assert.equal(id, referenceId(rawKey(fields)));
        }),
        { numRuns: 3000 },
      );
    });

    it('either refuses a damaged ID or decodes it to the state that ID stands for', () => {
      const damagedIds = fc.tuple(validFields, fc.integer({ min: 0, max: 71 })).map(([fields, bit]) => {
        const key = Buffer.from(encodeMatchId(fields), 'base64');
        key[bit >> 3]! ^= 1 << (bit & 7);
        return key.toString('base64');
      });
      const randomIds = fc
        .uint8Array({ minLength: 9, maxLength: 9 })
        .map((bytes) => Buffer.from(bytes).toString('base64'));
      fc.assert(
        fc.property(fc.oneof(damagedIds, randomIds), (id) => {
          let fields: MatchIdFields;
          try {
            fields = decodeMatchId(id);
          } catch (error) {
            assert.ok(error instanceof EngineError && error.code === 'INVALID_MATCH_ID', String(error));
            return;
          }
          const lowDieFirst = fields.dice !== null && fields.dice[0] < fields.dice[1];
          if (!lowDieFirst) assert.equal(encodeMatchId(fields), id);
          else assert.deepEqual(decodeMatchId(encodeMatchId(fields)), { ...fields, dice: [...fields.dice!].reverse() });
        }),
        { numRuns: 3000 },
      );
    });
  });

  describe('malformed IDs', () => {
    it('refuses the wrong length', () => {
      for (const id of ['', 'QYkqASAAIAA', 'QYkqASAAIAAAA', 'QYkqASAAIAAA==']) {
        assertRejected(() => decodeMatchId(id), 'INVALID_MATCH_ID', /12 characters/);
      }
    });

    it('refuses characters outside Base64', () => {
      for (const id of ['QYkqASAAIA-A', 'QYkq ASAAIAA', 'QYkqASAAIAA=', 'QYkqASAAIAA\u00e9']) {
        assertRejected(() => decodeMatchId(id), 'INVALID_MATCH_ID', /not a Base64 character/);
      }
    });

    it('refuses what is not a string', () => {
      for (const id of [undefined, null, 7, {}]) {
        assertRejected(() => decodeMatchId(id as unknown as string), 'INVALID_MATCH_ID');
      }
    });

    it('refuses 1-bits after the Jacoby bit', () => {
      assertRejected(() => decodeMatchId('QYkqASAAIAAI'), 'INVALID_MATCH_ID', /after the Jacoby flag/);
      for (let spare = 1; spare < 32; spare <<= 1) rejectsId({ spare });
    });

    it('refuses a cube above 64', () => {
      rejectsId({ cubeLog: 7 }, /not 128/);
      rejectsId({ cubeLog: 15 }, /not 32768/);
    });

    it('refuses cube owner code 2 and an owned 1-cube', () => {
      rejectsId({ cubeOwner: 2 }, /code 2/);
      rejectsId({ cubeLog: 0, cubeOwner: 1 }, /owned cube/);
    });

    it('refuses game state codes 5 to 7', () => {
      for (const gameState of [5, 6, 7]) rejectsId({ gameState }, /game state code/);
    });

    it('refuses dice out of range or with only one die rolled', () => {
      rejectsId({ die1: 7 }, /dice/);
      rejectsId({ die2: 7 }, /dice/);
      rejectsId({ die1: 0, die2: 3 }, /dice/);
      rejectsId({ die1: 4, die2: 0 }, /dice/);
    });

    it('refuses a match longer than gnubg plays (64 points)', () => {
      rejectsId({ matchLength: 65 }, /match length/);
      rejectsId({ matchLength: 0x7fff }, /match length/);
      assert.equal(decodeMatchId(exampleWith({ matchLength: 64 })).matchLength, 64);
    });

    it('refuses a score at the match length while the game goes on', () => {
      rejectsId({ score0: 9 }, /has a winner/);
      rejectsId({ score1: 9, gameState: 0 }, /has a winner/);
      rejectsId({ score0: 9, score1: 9, gameState: 2 }, /both players cannot have won/);
    });

    it('accepts a finished match, up to what the last game could bring', () => {
      // 8 points plus a backgammon on a 2-cube is at most 14.
      const won = decodeMatchId(exampleWith({ gameState: 2, die1: 0, die2: 0, score1: 14 }));
      assert.deepEqual(won.score, [2, 14]);
      rejectsId({ gameState: 2, die1: 0, die2: 0, score1: 15 }, /more than one game/);
    });

    it('refuses a Crawford game that cannot be one', () => {
      const crawford = { crawford: 1, cubeLog: 0, cubeOwner: 3 };
      assert.equal(decodeMatchId(exampleWith({ ...crawford, score0: 8 })).crawford, true);
      rejectsId({ ...crawford, matchLength: 0 }, /money play/);
      rejectsId({ ...crawford, score0: 2, score1: 4 }, /Crawford game needs/);
      rejectsId({ ...crawford, score0: 8, score1: 8 }, /Crawford game needs/);
      rejectsId({ ...crawford, score0: 8, cubeLog: 1, cubeOwner: 0 }, /cube stays centred/);
      rejectsId({ ...crawford, score0: 8, doubleOffered: 1, die1: 0, die2: 0 }, /cube stays centred/);
    });

    it('refuses a double offered after the roll or outside a game', () => {
      rejectsId({ doubleOffered: 1 }, /before the roll/);
      rejectsId({ doubleOffered: 1, die1: 0, die2: 0, gameState: 2 }, /during a game/);
      assert.equal(decodeMatchId(exampleWith({ doubleOffered: 1, die1: 0, die2: 0 })).doubleOffered, true);
    });

    it('refuses a resignation offered outside a game', () => {
      rejectsId({ resignation: 2, gameState: 0 }, /resignation/);
      rejectsId({ resignation: 2, gameState: 2 }, /resignation/);
      assert.equal(decodeMatchId(exampleWith({ resignation: 3, gameState: 3 })).resignation, 'backgammon');
    });
  });

  describe('states that cannot be encoded', () => {
    const rejects = (overrides: Record<string, unknown>, messagePart?: RegExp) => {
      const fields = { ...manualFields, ...overrides } as MatchIdFields;
      assertRejected(() => encodeMatchId(fields), 'INVALID_MATCH_ID', messagePart);
    };

    it('refuses a cube that is not a power of two from 1 to 64', () => {
      for (const cubeValue of [0, 3, 128, 1.5, -2, Number.NaN, '2']) rejects({ cubeValue }, /cube shows/);
    });

    it('refuses unknown owners, players, states and resignations', () => {
      rejects({ cubeOwner: 2 }, /cube owner/);
      rejects({ cubeOwner: 1, cubeValue: 1 }, /owned cube/);
      rejects({ diceOwner: 2 }, /dice owner/);
      rejects({ turn: -1 }, /to act/);
      rejects({ gameState: 'paused' }, /game state/);
      rejects({ resignation: 'double' }, /resignation/);
      rejects({ crawford: 1 }, /crawford/);
      rejects({ jacoby: undefined }, /jacoby/);
    });

    it('refuses dice that are not two faces', () => {
      for (const dice of [[0, 3], [7, 1], [4], [1, 2, 3], [2.5, 1], 'none']) rejects({ dice }, /dice/);
    });

    it('refuses match lengths and scores out of range', () => {
      for (const matchLength of [-1, 65, 2.5]) rejects({ matchLength }, /match length/);
      for (const score of [[-1, 0], [0, 0x8000], [1.5, 0], [1]]) rejects({ matchLength: 0, score }, /score/);
      rejects({ score: [9, 4] }, /has a winner/);
    });

    it('refuses impossible combinations', () => {
      rejects({ matchLength: 0, score: [0, 0], crawford: true, cubeValue: 1, cubeOwner: null }, /money play/);
      rejects({ doubleOffered: true }, /before the roll/);
      rejects({ resignation: 'gammon', gameState: 'dropped' }, /resignation/);
    });

    it('refuses what is not an object', () => {
      assertRejected(() => encodeMatchId(null as unknown as MatchIdFields), 'INVALID_MATCH_ID');
    });
  });
});
