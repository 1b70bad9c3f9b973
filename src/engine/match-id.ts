import { BitReader, BitWriter, decodeBase64, encodeBase64, type Base64Id } from './bits.js';
import { isDieFace, type Dice } from './dice.js';
import { MAX_CUBE } from './cube.js';
import { fail } from './errors.js';

/**
 * GNU Backgammon's Match ID: the match state around a Position ID, as 12 Base64 characters.
 * Players are numbered as gnubg numbers them (0 and 1), independently of who is on roll.
 */

export type MatchIdPlayer = 0 | 1;

/** gnubg's game states, in the order of their codes 0..4. */
export const MATCH_ID_GAME_STATES = ['none', 'playing', 'over', 'resigned', 'dropped'] as const;
/** `none`: no game started yet; `resigned` / `dropped`: ended by a resignation / a refused double. */
export type MatchIdGameState = (typeof MATCH_ID_GAME_STATES)[number];

/** Resignation sizes, in the order of their codes 0..3. */
export const MATCH_ID_RESIGNATIONS = ['none', 'single', 'gammon', 'backgammon'] as const;
export type MatchIdResignation = (typeof MATCH_ID_RESIGNATIONS)[number];

export interface MatchIdFields {
  /** 1, 2, 4 ... 64. */
  readonly cubeValue: number;
  /** null while the cube is centred. */
  readonly cubeOwner: MatchIdPlayer | null;
  /** The player on roll, or who has just rolled. */
  readonly diceOwner: MatchIdPlayer;
  /** This game is the Crawford game. */
  readonly crawford: boolean;
  readonly gameState: MatchIdGameState;
  /** The player who must act now: differs from diceOwner while a double or resignation awaits an answer. */
  readonly turn: MatchIdPlayer;
  readonly doubleOffered: boolean;
  /** The resignation on offer; once a game ends by resignation, gnubg usually keeps the accepted one here. */
  readonly resignation: MatchIdResignation;
  /** null before the roll. */
  readonly dice: Dice | null;
  /** 0 for money play. */
  readonly matchLength: number;
  readonly score: readonly [number, number];
  /**
   * The Jacoby rule is in use. gnubg stores it (inverted) in a 67th bit; IDs written by older
   * versions leave that bit 0, which reads as true.
   */
  readonly jacoby: boolean;
}

const MATCH_ID: Base64Id = { name: 'Match ID', byteCount: 9, errorCode: 'INVALID_MATCH_ID' };

/** gnubg's MAXSCORE: it refuses Match IDs of longer matches. */
const MAX_MATCH_LENGTH = 64;
const MAX_SCORE = 0x7fff;
const CENTRED_CUBE_CODE = 3;
/** A game is worth at most a backgammon: three times the cube. */
const MAX_GAME_MULTIPLIER = 3;
const FINISHED_STATES: readonly MatchIdGameState[] = ['over', 'resigned', 'dropped'];

/** The key's fields in order, with their widths in bits. The 67th bit, the Jacoby flag, is not in gnubg's manual. */
const KEY_LAYOUT = [
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
] as const;

type MatchKey = Record<(typeof KEY_LAYOUT)[number][0], number>;

/**
 * Writes the larger die first, as current gnubg versions do, so the ID is the one gnubg shows
 * for the same state.
 */
export function encodeMatchId(fields: MatchIdFields): string {
  const problem = fieldsProblem(fields);
  if (problem) fail('INVALID_MATCH_ID', `cannot write a Match ID: ${problem}`);
  const writer = new BitWriter(MATCH_ID.byteCount);
  const key = keyFromFields(fields);
  for (const [name, width] of KEY_LAYOUT) writer.write(key[name], width);
  return encodeBase64(writer.toBytes());
}

/** Whether two sets of fields give the same Match ID (the dice in either order). */
export function sameMatchIdFields(a: MatchIdFields, b: MatchIdFields): boolean {
  return (
    a.cubeValue === b.cubeValue &&
    a.cubeOwner === b.cubeOwner &&
    a.diceOwner === b.diceOwner &&
    a.crawford === b.crawford &&
    a.gameState === b.gameState &&
    a.turn === b.turn &&
    a.doubleOffered === b.doubleOffered &&
    a.resignation === b.resignation &&
    sameDice(a.dice, b.dice) &&
    a.matchLength === b.matchLength &&
    a.score[0] === b.score[0] &&
    a.score[1] === b.score[1] &&
    a.jacoby === b.jacoby
  );
}

function sameDice(a: Dice | null, b: Dice | null): boolean {
  if (a === null || b === null) return a === b;
  return Math.max(a[0], a[1]) === Math.max(b[0], b[1]) && Math.min(a[0], a[1]) === Math.min(b[0], b[1]);
}

/** Reads a Match ID, keeping the dice in the order the ID has them. */
export function decodeMatchId(id: string): MatchIdFields {
  const reader = new BitReader(decodeBase64(id, MATCH_ID));
  const key = {} as MatchKey;
  for (const [name, width] of KEY_LAYOUT) key[name] = reader.read(width);
  if (!reader.restIsZero()) invalid(id, 'the bits after the Jacoby flag must all be 0');
  if (key.cubeOwner === 2) invalid(id, 'cube owner code 2 means nobody: the cube is owned by 0 or 1, or centred (3)');
  const gameState = MATCH_ID_GAME_STATES[key.gameState];
  if (!gameState) invalid(id, `game state code ${key.gameState} is not one of 0..4`);
  const fields = fieldsFromKey(key, gameState);
  const problem = fieldsProblem(fields);
  if (problem) invalid(id, problem);
  return fields;
}

function keyFromFields(fields: MatchIdFields): MatchKey {
  const [high, low] = fields.dice ? [Math.max(...fields.dice), Math.min(...fields.dice)] : [0, 0];
  return {
    cubeLog: Math.log2(fields.cubeValue),
    cubeOwner: fields.cubeOwner ?? CENTRED_CUBE_CODE,
    diceOwner: fields.diceOwner,
    crawford: Number(fields.crawford),
    gameState: MATCH_ID_GAME_STATES.indexOf(fields.gameState),
    turn: fields.turn,
    doubleOffered: Number(fields.doubleOffered),
    resignation: MATCH_ID_RESIGNATIONS.indexOf(fields.resignation),
    die1: high,
    die2: low,
    matchLength: fields.matchLength,
    score0: fields.score[0],
    score1: fields.score[1],
    noJacoby: Number(!fields.jacoby),
  };
}

function fieldsFromKey(key: MatchKey, gameState: MatchIdGameState): MatchIdFields {
  const notRolled = key.die1 === 0 && key.die2 === 0;
  return {
    cubeValue: 2 ** key.cubeLog,
    cubeOwner: key.cubeOwner === CENTRED_CUBE_CODE ? null : (key.cubeOwner as MatchIdPlayer),
    diceOwner: key.diceOwner as MatchIdPlayer,
    crawford: key.crawford === 1,
    gameState,
    turn: key.turn as MatchIdPlayer,
    doubleOffered: key.doubleOffered === 1,
    resignation: MATCH_ID_RESIGNATIONS[key.resignation]!,
    dice: notRolled ? null : [key.die1, key.die2],
    matchLength: key.matchLength,
    score: [key.score0, key.score1],
    jacoby: key.noJacoby === 0,
  };
}

/** Why these fields cannot describe a match state, or undefined when they can. */
function fieldsProblem(fields: MatchIdFields): string | undefined {
  if (typeof fields !== 'object' || fields === null) return 'the match fields must be an object';
  return (
    typesProblem(fields) ??
    cubeProblem(fields) ??
    scoreProblem(fields) ??
    crawfordProblem(fields) ??
    doubleProblem(fields) ??
    resignationProblem(fields)
  );
}

function typesProblem(fields: MatchIdFields): string | undefined {
  const { diceOwner, turn, gameState, resignation, dice, matchLength, score } = fields;
  if (!isPlayer(diceOwner)) return `the dice owner is player 0 or 1, not ${String(diceOwner)}`;
  if (!isPlayer(turn)) return `the player to act is 0 or 1, not ${String(turn)}`;
  for (const flag of ['crawford', 'doubleOffered', 'jacoby'] as const) {
    if (typeof fields[flag] !== 'boolean') return `${flag} must be true or false, not ${String(fields[flag])}`;
  }
  if (!MATCH_ID_GAME_STATES.includes(gameState)) return `unknown game state ${String(gameState)}`;
  if (!MATCH_ID_RESIGNATIONS.includes(resignation)) return `unknown resignation ${String(resignation)}`;
  if (dice !== null && !(Array.isArray(dice) && dice.length === 2 && dice.every(isDieFace))) {
    return `the dice are two faces from 1 to 6, or null before the roll, not ${describe(dice)}`;
  }
  if (!isWholeNumberUpTo(matchLength, MAX_MATCH_LENGTH)) {
    return `the match length is 0 (money play) to ${MAX_MATCH_LENGTH} points, not ${String(matchLength)}`;
  }
  if (!Array.isArray(score) || score.length !== 2 || !score.every((points) => isWholeNumberUpTo(points, MAX_SCORE))) {
    return `the score is two whole numbers from 0 to ${MAX_SCORE}, not ${describe(score)}`;
  }
  return undefined;
}

function cubeProblem({ cubeValue, cubeOwner }: MatchIdFields): string | undefined {
  if (!isCubeValue(cubeValue)) return `the cube shows a power of two from 1 to ${MAX_CUBE}, not ${String(cubeValue)}`;
  if (cubeOwner !== null && !isPlayer(cubeOwner)) {
    return `the cube owner is player 0 or 1, or null for a centred cube, not ${String(cubeOwner)}`;
  }
  if (cubeOwner !== null && cubeValue === 1) return 'an owned cube has been doubled, so it shows at least 2';
  return undefined;
}

/**
 * In a match, scores stay below the match length until a finished game takes one player (only
 * one) to it or past it, by at most what that game was worth.
 */
function scoreProblem({ matchLength, score, gameState, cubeValue }: MatchIdFields): string | undefined {
  if (matchLength === 0) return undefined;
  const winners = ([0, 1] as const).filter((player) => score[player] >= matchLength);
  if (winners.length === 0) return undefined;
  if (winners.length === 2) return `both players cannot have won: ${describeScore(score, matchLength)}`;
  if (!FINISHED_STATES.includes(gameState)) {
    return `${describeScore(score, matchLength)} has a winner, so the game cannot be ${gameState}`;
  }
  const highest = matchLength - 1 + MAX_GAME_MULTIPLIER * cubeValue;
  if (score[winners[0]!] > highest) {
    return `${describeScore(score, matchLength)} is more than one game on a ${cubeValue}-cube can end with`;
  }
  return undefined;
}

/** The Crawford game follows the first game that takes one player (only one) to 1-away. */
function crawfordProblem(fields: MatchIdFields): string | undefined {
  const { crawford, matchLength, score, gameState } = fields;
  if (!crawford) return undefined;
  if (matchLength === 0) return 'money play has no Crawford game';
  const oneAway = matchLength - 1;
  const reachedOneAway = FINISHED_STATES.includes(gameState)
    ? Math.max(...score) >= oneAway
    : score.filter((points) => points === oneAway).length === 1;
  if (!reachedOneAway) {
    const scoreText = describeScore(score, matchLength);
    return `a Crawford game needs one player, and only one, at ${oneAway} points, not ${scoreText}`;
  }
  if (fields.cubeValue !== 1 || fields.cubeOwner !== null || fields.doubleOffered) {
    return 'nobody doubles in the Crawford game, so the cube stays centred at 1';
  }
  return undefined;
}

function doubleProblem({ doubleOffered, gameState, dice }: MatchIdFields): string | undefined {
  if (!doubleOffered) return undefined;
  if (gameState !== 'playing') return `a double is offered during a game, not when the game state is ${gameState}`;
  if (dice !== null) return 'a double is offered before the roll, so the dice cannot be rolled yet';
  return undefined;
}

function resignationProblem({ resignation, gameState }: MatchIdFields): string | undefined {
  if (resignation === 'none' || gameState === 'playing' || gameState === 'resigned') return undefined;
  return `a resignation is offered during a game, not when the game state is ${gameState}`;
}

function isPlayer(value: unknown): value is MatchIdPlayer {
  return value === 0 || value === 1;
}

function isCubeValue(value: unknown): value is number {
  return isWholeNumberUpTo(value, MAX_CUBE) && Number.isInteger(Math.log2(value));
}

function isWholeNumberUpTo(value: unknown, max: number): value is number {
  return Number.isInteger(value) && (value as number) >= 0 && (value as number) <= max;
}

function describeScore(score: readonly [number, number], matchLength: number): string {
  return `${score[0]}-${score[1]} in a ${matchLength}-point match`;
}

function describe(value: unknown): string {
  return Array.isArray(value) ? `[${value.map(String).join(', ')}]` : String(value);
}

function invalid(id: string, reason: string): never {
  fail('INVALID_MATCH_ID', `Match ID "${id}" is not valid: ${reason}`);
}
