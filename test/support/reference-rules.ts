/**
 * A deliberately plain second implementation of the move rules, written straight from the rule
 * text with no pruning or canonical ordering, to check the engine's fast generator against.
 */
import type { Dice } from '../../src/engine/dice.js';
import type { Move } from '../../src/engine/legal.js';
import type { Position } from '../../src/engine/position.js';

export interface Sequence {
  readonly moves: Move[];
  readonly dice: number[];
  readonly position: Position;
}

export function referenceSingleMove(position: Position, from: number, die: number): Sequence | null {
  const me = position.player.slice();
  const them = position.opponent.slice();
  if (me[from]! === 0) return null;
  if (me[25]! > 0 && from !== 25) return null;
  let to = from - die;
  if (to <= 0) {
    const allHome = me.slice(7).every((count) => count === 0);
    if (!allHome) return null;
    if (to < 0 && me.slice(from + 1, 7).some((count) => count > 0)) return null;
    to = 0;
  } else if (them[25 - to]! >= 2) {
    return null;
  }
  let hit = false;
  if (to > 0 && them[25 - to] === 1) {
    them[25 - to] = 0;
    them[25]! += 1;
    hit = true;
  }
  me[from]! -= 1;
  me[to]! += 1;
  return { moves: [{ from, to, hit }], dice: [die], position: { player: me, opponent: them } };
}

/** Every sequence of single moves using the dice in every order, as far as each can go. */
export function allSequences(position: Position, dice: readonly number[]): Sequence[] {
  const results: Sequence[] = [];
  const walk = (current: Position, left: readonly number[], moves: Move[], used: number[]): void => {
    let extended = false;
    for (let i = 0; i < left.length; i++) {
      if (left.indexOf(left[i]!) !== i) continue;
      const rest = [...left.slice(0, i), ...left.slice(i + 1)];
      for (let from = 25; from >= 1; from--) {
        const step = referenceSingleMove(current, from, left[i]!);
        if (!step) continue;
        extended = true;
        walk(step.position, rest, [...moves, step.moves[0]!], [...used, left[i]!]);
      }
    }
    if (!extended) results.push({ moves, dice: used, position: current });
  };
  walk(position, dice, [], []);
  return results;
}

/** The legal complete sequences: most dice used; with one die of a non-double, the larger if possible. */
export function legalSequences(position: Position, dice: Dice): Sequence[] {
  const all = dice[0] === dice[1] ? [dice[0], dice[0], dice[0], dice[0]] : [dice[0], dice[1]];
  const sequences = allSequences(position, all);
  const most = Math.max(...sequences.map((sequence) => sequence.moves.length));
  if (most === 0) return [];
  let legal = sequences.filter((sequence) => sequence.moves.length === most);
  if (most === 1 && dice[0] !== dice[1]) {
    const larger = Math.max(dice[0], dice[1]);
    const withLarger = legal.filter((sequence) => sequence.dice[0] === larger);
    if (withLarger.length > 0) legal = withLarger;
  }
  return legal;
}

export function positionKey(position: Position): string {
  return `${position.player.join(',')}|${position.opponent.join(',')}`;
}

/** The distinct boards the legal plays reach. */
export function referencePlayKeys(position: Position, dice: Dice): Set<string> {
  return new Set(legalSequences(position, dice).map((sequence) => positionKey(sequence.position)));
}
