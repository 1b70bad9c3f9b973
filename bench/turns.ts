/**
 * Times a turn as a room plays it, one client action at a time: the roll's turn started, each
 * checker moved (moveChecker), the play confirmed (confirmTurn), over one play of every
 * position-roll of a seeded set. Prints the CPU time per action (spread of the rounds).
 * Run: npm run bench:turns [-- --per-kind 60 --rounds 7]
 */
import { parseArgs } from 'node:util';
import { ALL_ROLLS, type Dice } from '../src/engine/dice.js';
import { generatePlays } from '../src/engine/legal.js';
import type { Position } from '../src/engine/position.js';
import { confirmTurn, moveChecker, startTurn } from '../src/engine/turn.js';
import { benchPositions } from './positions.js';
import { spreadOf } from './spread.js';

const { values } = parseArgs({
  options: {
    'per-kind': { type: 'string', default: '60' },
    rounds: { type: 'string', default: '7' },
  },
});

interface TurnToPlay {
  readonly position: Position;
  readonly dice: Dice;
  readonly moves: readonly { readonly from: number; readonly to: number }[];
}

/** For each position and roll with a play, the play in the middle of the list, as single moves. */
function turnsToPlay(perKind: number): TurnToPlay[] {
  const turns: TurnToPlay[] = [];
  for (const { position } of benchPositions(perKind, 5)) {
    for (const dice of ALL_ROLLS) {
      const plays = generatePlays(position, dice);
      const play = plays[Math.floor(plays.length / 2)];
      if (play) turns.push({ position, dice, moves: play.moves.map(({ from, to }) => ({ from, to })) });
    }
  }
  return turns;
}

/** CPU microseconds per action: the start of the turn, each move and the confirm count as one each. */
function timeRound(turns: readonly TurnToPlay[]): number {
  let actions = 0;
  const started = process.cpuUsage();
  for (const { position, dice, moves } of turns) {
    let turn = startTurn(position, dice);
    for (const { from, to } of moves) turn = moveChecker(turn, from, to);
    confirmTurn(turn);
    actions += moves.length + 2;
  }
  const cpu = process.cpuUsage(started);
  return (cpu.user + cpu.system) / actions;
}

const turns = turnsToPlay(Number(values['per-kind']));
timeRound(turns);
const rounds = Number(values.rounds);
const times = spreadOf(Array.from({ length: rounds }, () => timeRound(turns)));
console.log(
  `${turns.length} turns, ${rounds} rounds: ${times.min.toFixed(2)} / ${times.median.toFixed(2)} / ${times.max.toFixed(2)} µs of CPU per action (min / median / max; the turn's start, each checker move and the confirm are one action each)`,
);
