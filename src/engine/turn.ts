import { assertDice, diceToPlay, type Dice } from './dice.js';
import { fail } from './errors.js';
import { canPlayMoves, countPlays, findPlay, generatePlays, movesWithDie, type Move, type Play } from './legal.js';
import { assertPosition, type Position } from './position.js';

/** One client action within a turn: a checker moved with one die, or on through several. */
export interface TurnStep {
  readonly moves: readonly Move[];
  readonly dice: readonly number[];
  readonly before: Position;
}

/**
 * A turn being played one checker at a time. Values: every operation returns a new Turn.
 * `position` is the board now, still seen from the player on roll.
 *
 * The legal plays are not kept: a turn lives for seconds while people think, and a list of
 * hundreds of plays held that long outlives the young generation, so the server's garbage
 * collector would copy and later mark it. They are searched again where needed (`turnPlays`, `findPlay`).
 */
export interface Turn {
  readonly start: Position;
  readonly dice: Dice;
  /** How many distinct legal plays this roll has. */
  readonly playCount: number;
  /** How many dice a complete play uses: 0 when no play is possible. */
  readonly movesNeeded: number;
  readonly steps: readonly TurnStep[];
  readonly position: Position;
  readonly diceLeft: readonly number[];
}

export function startTurn(position: Position, dice: Dice): Turn {
  assertPosition(position);
  assertDice(dice);
  const { count, moves } = countPlays(position, dice);
  return {
    start: position,
    dice,
    playCount: count,
    movesNeeded: moves,
    steps: [],
    position,
    diceLeft: largerFirst(dice),
  };
}

/** Every distinct legal play for the turn's roll, from its start. */
export function turnPlays(turn: Turn): Play[] {
  return generatePlays(turn.start, turn.dice);
}

export function movesMade(turn: Turn): number {
  return turn.steps.reduce((count, step) => count + step.moves.length, 0);
}

/** A single-die move and the turn it leads to. */
interface Continuation {
  readonly move: Move;
  readonly die: number;
  readonly position: Position;
}

/** The single-die moves the player may make now so that the whole play can still be legal. */
export function legalMoves(turn: Turn): Move[] {
  const moves: Move[] = [];
  for (const next of continuations(turn)) {
    if (!moves.includes(next.move)) moves.push(next.move);
  }
  return moves;
}

/** The single-die moves that keep a legal play possible; with `from`, only those of the checker there. */
function continuations(turn: Turn, from?: number): Continuation[] {
  const stillNeeded = turn.movesNeeded - movesMade(turn);
  if (stillNeeded <= 0) return [];
  const found: Continuation[] = [];
  for (const die of distinct(turn.diceLeft)) {
    const rest = without(turn.diceLeft, die);
    for (const single of movesWithDie(turn.position, die, from)) {
      if (canPlayMoves(single.position, rest, stillNeeded - 1)) {
        found.push({ move: single.moves[0]!, die, position: single.position });
      }
    }
  }
  if (!onlyOneDiePlayable(turn)) return found;
  return found.filter((next) => findPlay(turn.start, turn.dice, next.position) !== null);
}

/** A non-double where only one die can be played: the larger one when it can be. */
function onlyOneDiePlayable(turn: Turn): boolean {
  return turn.movesNeeded === 1 && turn.diceLeft.length === 2;
}

/**
 * Moves one checker from `from` to `to`. With one die that fits, that die is used (the exact
 * one when bearing off); otherwise the checker moves on through several dice, preferring the
 * path that hits least. Refused unless the whole play can still be completed legally.
 */
export function moveChecker(turn: Turn, from: number, to: number): Turn {
  const path = shortestPath(turn, from, to);
  if (!path) fail('ILLEGAL_MOVE', describeIllegal(turn, from, to));
  const moves = path.map((step) => step.move);
  const dice = path.map((step) => step.die);
  let diceLeft = turn.diceLeft;
  for (const die of dice) diceLeft = without(diceLeft, die);
  return {
    ...turn,
    steps: [...turn.steps, { moves, dice, before: turn.position }],
    position: path[path.length - 1]!.position,
    diceLeft,
  };
}

function shortestPath(turn: Turn, from: number, to: number): Continuation[] | undefined {
  let best: Continuation[] | undefined;
  let bestHits = Infinity;
  const explore = (state: Turn, path: Continuation[], at: number): void => {
    for (const next of continuations(state, at)) {
      const extended = [...path, next];
      if (next.move.to === to) {
        const hits = extended.filter((step) => step.move.hit).length;
        if (isBetterPath(extended, hits, best, bestHits)) [best, bestHits] = [extended, hits];
      } else if (next.move.to > to) {
        explore(advance(state, next), extended, next.move.to);
      }
    }
  };
  explore(turn, [], from);
  return best;
}

function isBetterPath(path: Continuation[], hits: number, best: Continuation[] | undefined, bestHits: number): boolean {
  if (!best) return true;
  if (path.length !== best.length) return path.length < best.length;
  if (hits !== bestHits) return hits < bestHits;
  return sumOf(path.map((step) => step.die)) < sumOf(best.map((step) => step.die));
}

function advance(turn: Turn, next: Continuation): Turn {
  return {
    ...turn,
    steps: [...turn.steps, { moves: [next.move], dice: [next.die], before: turn.position }],
    position: next.position,
    diceLeft: without(turn.diceLeft, next.die),
  };
}

function describeIllegal(turn: Turn, from: number, to: number): string {
  const made = movesMade(turn);
  if (turn.movesNeeded === 0) return 'no move is possible with this roll';
  if (made >= turn.movesNeeded) return 'the play is complete: confirm it or undo a move';
  return `moving a checker from ${pointName(from)} to ${pointName(to)} is not legal now`;
}

function pointName(slot: number): string {
  if (slot === 25) return 'the bar';
  if (slot === 0) return 'off';
  return Number.isInteger(slot) ? `point ${slot}` : String(slot);
}

/** Takes back the last checker move (or chain of moves made as one). */
export function undoMove(turn: Turn): Turn {
  const last = turn.steps[turn.steps.length - 1];
  if (!last) fail('NOTHING_TO_UNDO', 'no move has been made this turn');
  return {
    ...turn,
    steps: turn.steps.slice(0, -1),
    position: last.before,
    diceLeft: [...turn.diceLeft, ...last.dice].sort(descending),
  };
}

export function canConfirm(turn: Turn): boolean {
  return movesMade(turn) === turn.movesNeeded;
}

/** The finished turn's play: the legal play that reaches the board now. */
export function confirmTurn(turn: Turn): Play {
  const made = movesMade(turn);
  if (made !== turn.movesNeeded) {
    fail('PLAY_INCOMPLETE', `the play must use ${turn.movesNeeded} ${turn.movesNeeded === 1 ? 'die' : 'dice'}; ${made} played so far`);
  }
  if (turn.movesNeeded === 0) return { moves: [], position: turn.start };
  const play = findPlay(turn.start, turn.dice, turn.position);
  if (!play) fail('ILLEGAL_PLAY', 'the moves made do not form a legal play');
  return play;
}

function descending(a: number, b: number): number {
  return b - a;
}

/** The dice of a roll to play, larger first. */
function largerFirst(dice: Dice): number[] {
  return dice[0] >= dice[1] ? diceToPlay(dice) : [dice[1], dice[0]];
}

/** The different faces among the dice left, smaller first. */
function distinct(values: readonly number[]): number[] {
  const faces: number[] = [];
  for (const value of values) if (!faces.includes(value)) faces.push(value);
  if (faces.length === 2 && faces[0]! > faces[1]!) faces.reverse();
  return faces.length > 2 ? faces.sort((a, b) => a - b) : faces;
}

function without(values: readonly number[], value: number): number[] {
  const index = values.indexOf(value);
  return index < 0 ? values.slice() : [...values.slice(0, index), ...values.slice(index + 1)];
}

function sumOf(values: readonly number[]): number {
  return values.reduce((sum, value) => sum + value, 0);
}
