import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ALL_ROLLS, type Dice } from '../../src/engine/dice.js';
import { EngineError } from '../../src/engine/errors.js';
import { positionFromId, positionId } from '../../src/engine/gnubg-id.js';
import { legalPlays, type Move, type Play } from '../../src/engine/legal.js';
import { applyAction, currentPosition, gnubgIds, newMatch, seatToAct, type MatchAction, type MatchState } from '../../src/engine/match.js';
import { decodeMatchId } from '../../src/engine/match-id.js';
import { assertPosition, CHECKERS, pipCount, positionsEqual, type Position } from '../../src/engine/position.js';
import type { Seat } from '../../src/engine/record.js';
import { confirmTurn, legalMoves, moveChecker, startTurn, undoMove } from '../../src/engine/turn.js';
import { randomGame, seededRandom, type GameTurn } from '../support/random-games.js';
import { legalSequences, referenceSingleMove } from '../support/reference-rules.js';

const seeds = fc.integer({ min: 1, max: 2 ** 31 - 1 });

function checkerCount(side: readonly number[]): number {
  return side.reduce((sum, count) => sum + count, 0);
}

/** Pips the mover moved: each move's distance, a bear-off counting only down to the edge. */
function pipsMoved(moves: readonly Move[]): number {
  return moves.reduce((sum, move) => sum + move.from - move.to, 0);
}

/** Pips the opponent lost to hits: a checker hit on the mover's point p goes back p pips. */
function pipsHit(moves: readonly Move[]): number {
  return moves.reduce((sum, move) => sum + (move.hit ? move.to : 0), 0);
}

function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [items.slice()];
  return items.flatMap((item, index) =>
    permutations([...items.slice(0, index), ...items.slice(index + 1)]).map((rest) => [item, ...rest]),
  );
}

/** Whether the moves can be made one after another, each by the plain single-move rule. */
function executable(position: Position, moves: readonly Move[], dice: Dice): boolean {
  let current = position;
  let diceLeft = dice[0] === dice[1] ? [dice[0], dice[0], dice[0], dice[0]] : [dice[0], dice[1]];
  for (const move of moves) {
    const die = diceLeft.find((candidate) => {
      const step = referenceSingleMove(current, move.from, candidate);
      return step && step.moves[0]!.to === move.to;
    });
    if (die === undefined) return false;
    current = referenceSingleMove(current, move.from, die)!.position;
    diceLeft = [...diceLeft.slice(0, diceLeft.indexOf(die)), ...diceLeft.slice(diceLeft.indexOf(die) + 1)];
  }
  return true;
}

function sendAsSingleMoves(position: Position, dice: Dice, moves: readonly Move[]): Play {
  let turn = startTurn(position, dice);
  for (const move of moves) {
    assert.ok(legalMoves(turn).some((legal) => legal.from === move.from && legal.to === move.to), `${move.from}/${move.to} is offered`);
    turn = moveChecker(turn, move.from, move.to);
  }
  return confirmTurn(turn);
}

describe('engine properties over random games', () => {
  it('keeps 15 checkers a side and consistent pip counts through every turn', () => {
    fc.assert(
      fc.property(seeds, (seed) => {
        for (const turn of randomGame(seededRandom(seed))) {
          assertPosition(turn.position);
          if (!turn.play) continue;
          const after = turn.play.position;
          assertPosition(after);
          assert.equal(checkerCount(after.player), CHECKERS);
          assert.equal(checkerCount(after.opponent), CHECKERS);
          assert.equal(pipCount(turn.position.player) - pipCount(after.player), pipsMoved(turn.play.moves));
          assert.equal(pipCount(after.opponent) - pipCount(turn.position.opponent), pipsHit(turn.play.moves));
        }
      }),
      { numRuns: 60 },
    );
  });

  it('accepts every legal play sent as single moves in every order it can be made', function () {
    this.timeout(120_000);
    fc.assert(
      fc.property(seeds, fc.integer({ min: 0, max: 20 }), (seed, rollIndex) => {
        const turns = randomGame(seededRandom(seed));
        const { position } = turns[Math.floor(turns.length / 2)]!;
        const dice = ALL_ROLLS[rollIndex]!;
        for (const play of legalPlays(position, dice)) {
          for (const order of permutations(play.moves)) {
            if (!executable(position, order, dice)) continue;
            const confirmed = sendAsSingleMoves(position, dice, order);
            assert.ok(positionsEqual(confirmed.position, play.position));
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  it('offers exactly the single moves that begin some legal play, and undo returns to the start', () => {
    fc.assert(
      fc.property(seeds, fc.integer({ min: 0, max: 20 }), (seed, rollIndex) => {
        const turns = randomGame(seededRandom(seed));
        const { position } = turns[Math.floor(turns.length / 3)]!;
        const dice = ALL_ROLLS[rollIndex]!;
        const turn = startTurn(position, dice);
        const offered = legalMoves(turn).map((move) => `${move.from}/${move.to}`).sort();
        const expected = new Set(legalSequences(position, dice).map(({ moves }) => `${moves[0]!.from}/${moves[0]!.to}`));
        assert.deepEqual(offered, [...expected].sort());
        for (const move of legalMoves(turn)) {
          const undone = undoMove(moveChecker(turn, move.from, move.to));
          assert.ok(positionsEqual(undone.position, position));
          assert.deepEqual(undone.diceLeft, turn.diceLeft);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('round-trips every position of random games through its Position ID', () => {
    fc.assert(
      fc.property(seeds, (seed) => {
        const turns: GameTurn[] = randomGame(seededRandom(seed));
        for (const { position, play } of turns) {
          assert.ok(positionsEqual(positionFromId(positionId(position)), position));
          if (play) assert.ok(positionsEqual(positionFromId(positionId(play.position)), play.position));
        }
      }),
      { numRuns: 40 },
    );
  });
});

/** Picks random actions, legal or not, for whoever; the match must refuse the bad ones cleanly. */
function randomAction(state: MatchState, random: () => number): MatchAction {
  const seat = (random() < 0.8 ? (seatToAct(state) ?? 0) : random() < 0.5 ? 0 : 1) as Seat;
  const die = () => 1 + Math.floor(random() * 6);
  const pick = random();
  if (state.phase === 'opening') return { type: 'opening-roll', dice: [die(), die()] };
  if (state.phase === 'moving' && pick < 0.75) {
    const moves = legalMoves(state.turnInProgress!);
    if (moves.length === 0 || random() < 0.1) return { type: 'confirm', seat };
    if (random() < 0.05) return { type: 'undo', seat };
    if (random() < 0.05) return { type: 'move', seat, from: Math.floor(random() * 27) - 1, to: Math.floor(random() * 27) - 1 };
    const move = moves[Math.floor(random() * moves.length)]!;
    return { type: 'move', seat, from: move.from, to: move.to };
  }
  const others: MatchAction[] = [
    { type: 'roll', seat, dice: [die(), die()] },
    { type: 'roll', seat, dice: [die(), die()] },
    { type: 'roll', seat, dice: [die(), die()] },
    { type: 'double', seat },
    { type: 'take', seat },
    { type: 'drop', seat },
    { type: 'beaver', seat },
    { type: 'resign', seat, kind: random() < 0.5 ? 'single' : 'gammon' },
    { type: 'accept', seat },
    { type: 'reject', seat },
  ];
  return others[Math.floor(random() * others.length)]!;
}

function assertMatchInvariants(state: MatchState): void {
  for (const seat of [0, 1] as const) assertPosition(currentPosition(state, seat));
  assert.ok(state.cube.value >= 1 && state.cube.value <= 64);
  const ids = gnubgIds(state);
  const fields = decodeMatchId(ids.matchId);
  assert.deepEqual(fields.score, state.score);
  assert.equal(fields.cubeValue, state.cube.value);
  assert.ok(positionsEqual(positionFromId(ids.positionId), currentPosition(state)));
}

describe('a match under random actions', () => {
  it('refuses bad actions with engine errors and keeps every invariant', function () {
    this.timeout(120_000);
    fc.assert(
      fc.property(seeds, fc.constantFrom(0, 1, 3, 5), (seed, matchLength) => {
        const random = seededRandom(seed);
        let state = newMatch({ matchLength, beavers: matchLength === 0 });
        for (let step = 0; step < 600 && state.phase !== 'over'; step++) {
          const action = randomAction(state, random);
          try {
            state = applyAction(state, action);
          } catch (error) {
            if (!(error instanceof EngineError)) throw error;
          }
          assertMatchInvariants(state);
        }
      }),
      { numRuns: 40 },
    );
  });
});
