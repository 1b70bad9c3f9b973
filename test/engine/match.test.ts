import assert from 'node:assert/strict';
import type { Dice } from '../../src/engine/dice.js';
import { EngineError, type EngineErrorCode } from '../../src/engine/errors.js';
import {
  applyAction,
  currentPosition,
  endedGame,
  gnubgIds,
  isPostCrawford,
  newMatch,
  whyNoDouble,
  type MatchAction,
  type MatchSettings,
  type MatchState,
} from '../../src/engine/match.js';
import { decodeMatchId } from '../../src/engine/match-id.js';
import { turnPlays } from '../../src/engine/turn.js';
import { positionFromId } from '../../src/engine/gnubg-id.js';
import { positionFrom, positionsEqual } from '../../src/engine/position.js';
import type { Seat } from '../../src/engine/record.js';

function act(state: MatchState, ...actions: MatchAction[]): MatchState {
  return actions.reduce(applyAction, state);
}

function assertRefused(state: MatchState, action: MatchAction, code: EngineErrorCode, pattern: RegExp): void {
  const before = JSON.stringify(state);
  assert.throws(() => applyAction(state, action), (error: unknown) => {
    return error instanceof EngineError && error.code === code && pattern.test(error.message);
  });
  assert.equal(JSON.stringify(state), before, 'a refused action changes nothing');
}

/** Rolls (unless the opening roll already did), plays the first legal play one checker at a time, confirms. */
function playRoll(state: MatchState, seat: Seat, dice: Dice): MatchState {
  let next = state.phase === 'rolling' ? applyAction(state, { type: 'roll', seat, dice }) : state;
  if (next.phase !== 'moving') return next;
  for (const move of turnPlays(next.turnInProgress!)[0]!.moves) next = applyAction(next, { type: 'move', seat, from: move.from, to: move.to });
  return applyAction(next, { type: 'confirm', seat });
}

/** A game about to end: seat 0 bears off its last checker with any roll. */
function lastCheckerPosition(settings: Partial<MatchSettings>, loser: Record<number, number>): MatchState {
  const board = positionFrom({ 1: 1 }, loser);
  const started = act(newMatch(settings), { type: 'opening-roll', dice: [6, 1] });
  return { ...started, phase: 'rolling', turn: 0, sides: [board.player, board.opponent], dice: null, turnInProgress: null };
}

describe('a match', () => {
  it('starts with an opening roll: ties roll again, the higher die plays both dice', () => {
    const fresh = newMatch({ matchLength: 3 });
    assert.equal(fresh.phase, 'opening');
    const tie = applyAction(fresh, { type: 'opening-roll', dice: [4, 4] });
    assert.equal(tie.phase, 'opening');
    const started = applyAction(tie, { type: 'opening-roll', dice: [2, 5] });
    assert.equal(started.phase, 'moving');
    assert.equal(started.turn, 1);
    assert.deepEqual(started.dice, [5, 2]);
  });

  it('moves, undoes and confirms a play one checker at a time', () => {
    let state = act(newMatch(), { type: 'opening-roll', dice: [3, 1] });
    state = applyAction(state, { type: 'move', seat: 0, from: 8, to: 5 });
    assertRefused(state, { type: 'confirm', seat: 0 }, 'PLAY_INCOMPLETE', /2 dice; 1 played/);
    state = applyAction(state, { type: 'undo', seat: 0 });
    assert.equal(state.turnInProgress!.steps.length, 0);
    state = act(state, { type: 'move', seat: 0, from: 6, to: 5 }, { type: 'move', seat: 0, from: 8, to: 5 }, { type: 'confirm', seat: 0 });
    assert.equal(state.phase, 'rolling');
    assert.equal(state.turn, 1);
    assert.equal(currentPosition(state, 0).player[5], 2);
    const event = state.games[0]!.events[0]!;
    assert.ok(event.type === 'play' && event.seat === 0);
    assert.deepEqual(event.dice, [3, 1]);
    assert.deepEqual(event.moves.map((move) => `${move.from}/${move.to}`).sort(), ['6/5', '8/5']);
  });

  it('refuses actions out of turn, by the wrong seat, or against the rules, changing nothing', () => {
    const state = act(newMatch(), { type: 'opening-roll', dice: [6, 5] });
    assertRefused(state, { type: 'move', seat: 1, from: 24, to: 18 }, 'INVALID_ACTION', /cannot move now/);
    assertRefused(state, { type: 'move', seat: 0, from: 24, to: 20 }, 'ILLEGAL_MOVE', /not legal/);
    assertRefused(state, { type: 'move', seat: 0, from: 6, to: 0 }, 'ILLEGAL_MOVE', /not legal/);
    assertRefused(state, { type: 'roll', seat: 0, dice: [1, 2] }, 'INVALID_ACTION', /cannot roll now/);
    assertRefused(state, { type: 'double', seat: 0 }, 'INVALID_ACTION', /before rolling/);
    assertRefused(state, { type: 'undo', seat: 0 }, 'NOTHING_TO_UNDO', /no move/);
    assertRefused(state, { type: 'take', seat: 1 }, 'INVALID_ACTION', /cannot take now/);
    assertRefused(state, { type: 'move', seat: 2 as Seat, from: 24, to: 18 }, 'INVALID_ACTION', /seat must be 0 or 1/);
    assertRefused(state, { type: 'opening-roll', dice: [1, 2] }, 'INVALID_ACTION', /no opening roll/);
    const rolling = playRoll(state, 0, [6, 5]);
    assertRefused(rolling, { type: 'roll', seat: 1, dice: [7, 1] }, 'INVALID_DICE', /1 to 6/);
  });

  it('moves a checker on through both dice in one move, and passes when no play is possible', () => {
    let state = act(newMatch(), { type: 'opening-roll', dice: [6, 5] });
    state = act(state, { type: 'move', seat: 0, from: 24, to: 13 });
    assert.equal(state.turnInProgress!.steps[0]!.moves.length, 2);
    state = applyAction(state, { type: 'confirm', seat: 0 });
    const closed = positionFrom({ 25: 1, 13: 14 }, { 1: 2, 2: 2, 3: 2, 4: 2, 5: 2, 6: 2, 24: 3 });
    const blocked: MatchState = { ...state, turn: 1, sides: [closed.opponent, closed.player] };
    const passed = applyAction(blocked, { type: 'roll', seat: 1, dice: [4, 2] });
    assert.equal(passed.phase, 'rolling');
    assert.equal(passed.turn, 0);
    assert.deepEqual(passed.games[0]!.events.at(-1), { type: 'play', seat: 1, dice: [4, 2], moves: [] });
  });

  it('turns the cube: double, take, ownership, and the owner alone redoubles', () => {
    let state = playRoll(act(newMatch({ matchLength: 7 }), { type: 'opening-roll', dice: [3, 1] }), 0, [3, 1]);
    assertRefused(state, { type: 'double', seat: 0 }, 'INVALID_ACTION', /player on roll/);
    state = act(state, { type: 'double', seat: 1 });
    assert.equal(state.phase, 'doubled');
    assertRefused(state, { type: 'take', seat: 1 }, 'INVALID_ACTION', /cannot take now/);
    assertRefused(state, { type: 'beaver', seat: 0 }, 'INVALID_ACTION', /beavers are not allowed/);
    state = act(state, { type: 'take', seat: 0 });
    assert.deepEqual(state.cube, { value: 2, owner: 0 });
    assert.equal(state.phase, 'rolling');
    assert.equal(state.turn, 1);
    state = playRoll(state, 1, [4, 2]);
    state = act(state, { type: 'double', seat: 0 }, { type: 'take', seat: 1 });
    assert.deepEqual(state.cube, { value: 4, owner: 1 });
    state = playRoll(state, 0, [5, 2]);
    assert.equal(whyNoDouble(state, 1), null);
    state = playRoll(state, 1, [6, 4]);
    assert.match(whyNoDouble(state, 0)!, /opponent owns the cube/);
  });

  it('ends the game on a drop, the doubler scoring the cube before the double', () => {
    let state = playRoll(act(newMatch({ matchLength: 7 }), { type: 'opening-roll', dice: [3, 1] }), 0, [3, 1]);
    state = act(state, { type: 'double', seat: 1 }, { type: 'take', seat: 0 });
    state = playRoll(state, 1, [2, 1]);
    state = act(state, { type: 'double', seat: 0 }, { type: 'drop', seat: 1 });
    assert.deepEqual(state.score, [2, 0]);
    assert.deepEqual(state.games[0]!.outcome, { winner: 0, kind: 'single', points: 2, by: 'drop' });
    assert.equal(state.gameNumber, 2);
    assert.equal(state.phase, 'opening');
    assert.deepEqual(state.cube, { value: 1, owner: null });
  });

  it('names the game an action ended, and only that action', () => {
    let state = playRoll(act(newMatch({ matchLength: 1 }), { type: 'opening-roll', dice: [3, 1] }), 0, [3, 1]);
    const offered = applyAction(state, { type: 'resign', seat: 1, kind: 'single' });
    assert.equal(endedGame(state, offered), null);
    state = applyAction(offered, { type: 'accept', seat: 0 });
    assert.deepEqual(endedGame(offered, state), { number: 1, outcome: { winner: 0, kind: 'single', points: 1, by: 'resignation' } });
    assert.equal(state.phase, 'over');
  });

  it('caps the cube at 64', () => {
    const state = playRoll(act(newMatch({ matchLength: 0 }), { type: 'opening-roll', dice: [3, 1] }), 0, [3, 1]);
    const at64: MatchState = { ...state, cube: { value: 64, owner: 1 } };
    assertRefused(at64, { type: 'double', seat: 1 }, 'INVALID_ACTION', /already at 64/);
    const at32: MatchState = { ...state, cube: { value: 32, owner: 1 } };
    assert.deepEqual(act(at32, { type: 'double', seat: 1 }, { type: 'take', seat: 0 }).cube, { value: 64, owner: 0 });
  });

  it('scores single, gammon and backgammon times the cube', () => {
    const single = act(lastCheckerPosition({ matchLength: 0, jacoby: false }, { 0: 1, 1: 14 }), { type: 'roll', seat: 0, dice: [6, 5] });
    assert.equal(single.phase, 'moving');
    const singleDone = act(single, { type: 'move', seat: 0, from: 1, to: 0 }, { type: 'confirm', seat: 0 });
    assert.deepEqual(singleDone.games[0]!.outcome, { winner: 0, kind: 'single', points: 1, by: 'bearoff' });

    const gammon = { ...lastCheckerPosition({ matchLength: 0, jacoby: false }, { 1: 15 }), cube: { value: 2, owner: 1 as Seat } };
    const gammonDone = act(gammon, { type: 'roll', seat: 0, dice: [2, 1] }, { type: 'move', seat: 0, from: 1, to: 0 }, { type: 'confirm', seat: 0 });
    assert.deepEqual(gammonDone.games[0]!.outcome, { winner: 0, kind: 'gammon', points: 4, by: 'bearoff' });
    assert.deepEqual(gammonDone.score, [4, 0]);

    for (const loser of [{ 25: 1, 1: 14 }, { 20: 1, 1: 14 }] as Record<number, number>[]) {
      const backgammon = lastCheckerPosition({ matchLength: 5 }, loser);
      const done = act(backgammon, { type: 'roll', seat: 0, dice: [2, 1] }, { type: 'move', seat: 0, from: 1, to: 0 }, { type: 'confirm', seat: 0 });
      assert.deepEqual(done.games[0]!.outcome, { winner: 0, kind: 'backgammon', points: 3, by: 'bearoff' });
    }
  });

  it('applies the Jacoby rule in money play: gammons count only once the cube was turned', () => {
    const centred = lastCheckerPosition({ matchLength: 0, jacoby: true }, { 1: 15 });
    const finish: MatchAction[] = [{ type: 'roll', seat: 0, dice: [2, 1] }, { type: 'move', seat: 0, from: 1, to: 0 }, { type: 'confirm', seat: 0 }];
    assert.equal(act(centred, ...finish).games[0]!.outcome!.points, 1);
    const turned = { ...centred, cube: { value: 2, owner: 0 as Seat } };
    assert.equal(act(turned, ...finish).games[0]!.outcome!.points, 4);
    assert.equal(newMatch({ matchLength: 0 }).settings.jacoby, true, 'money play uses Jacoby unless told otherwise');
    assert.throws(() => newMatch({ matchLength: 5, jacoby: true }), (error: unknown) => error instanceof EngineError && error.code === 'INVALID_SETTINGS');
  });

  it('allows beavers in money play when enabled: the taker redoubles and keeps the cube', () => {
    let state = playRoll(act(newMatch({ matchLength: 0, beavers: true }), { type: 'opening-roll', dice: [3, 1] }), 0, [3, 1]);
    state = act(state, { type: 'double', seat: 1 }, { type: 'beaver', seat: 0 });
    assert.deepEqual(state.cube, { value: 4, owner: 0 });
    assert.equal(state.turn, 1);
    assert.equal(state.phase, 'rolling');
    assert.deepEqual(state.games[0]!.events.slice(-2), [{ type: 'double', seat: 1, cube: 2 }, { type: 'beaver', seat: 0, cube: 4 }]);
    const high = act({ ...state, cube: { value: 32, owner: 1 } }, { type: 'double', seat: 1 });
    assertRefused(high, { type: 'beaver', seat: 0 }, 'INVALID_ACTION', /past 64/);
    assert.throws(() => newMatch({ matchLength: 3, beavers: true }), (error: unknown) => error instanceof EngineError && error.code === 'INVALID_SETTINGS');
  });

  it('plays the Crawford game without doubling, then allows doubling after it', () => {
    let state = playRoll(act(newMatch({ matchLength: 3 }), { type: 'opening-roll', dice: [3, 1] }), 0, [3, 1]);
    state = act(state, { type: 'double', seat: 1 }, { type: 'drop', seat: 0 });
    assert.deepEqual(state.score, [0, 1]);
    assert.equal(state.crawford, false);
    state = playRoll(act(state, { type: 'opening-roll', dice: [3, 1] }), 0, [3, 1]);
    state = act(state, { type: 'double', seat: 1 }, { type: 'drop', seat: 0 });
    assert.deepEqual(state.score, [0, 2]);
    assert.equal(state.crawford, true, 'the game after reaching match point minus one is the Crawford game');
    state = playRoll(act(state, { type: 'opening-roll', dice: [3, 1] }), 0, [3, 1]);
    assertRefused(state, { type: 'double', seat: 1 }, 'INVALID_ACTION', /Crawford/);
    state = act(state, { type: 'resign', seat: 1, kind: 'single' }, { type: 'accept', seat: 0 });
    assert.deepEqual(state.score, [1, 2]);
    assert.equal(state.crawford, false);
    assert.equal(isPostCrawford(state), true);
    state = playRoll(act(state, { type: 'opening-roll', dice: [3, 1] }), 0, [3, 1]);
    assert.equal(whyNoDouble(state, 1), null, 'post-Crawford, doubling is allowed again');
    state = act(state, { type: 'double', seat: 1 }, { type: 'take', seat: 0 }, { type: 'resign', seat: 0, kind: 'single' }, { type: 'accept', seat: 1 });
    assert.deepEqual(state.score, [1, 4]);
    assert.equal(state.phase, 'over');
    assert.equal(state.winner, 1);
    assertRefused(state, { type: 'opening-roll', dice: [3, 1] }, 'INVALID_ACTION', /no opening roll/);
    assertRefused(state, { type: 'roll', seat: 0, dice: [3, 1] }, 'INVALID_ACTION', /match is over/);
  });

  it('handles resignations of each size, and a rejected one resumes play', () => {
    const base = playRoll(act(newMatch({ matchLength: 0, jacoby: false }), { type: 'opening-roll', dice: [3, 1] }), 0, [3, 1]);
    const doubled = act(base, { type: 'double', seat: 1 }, { type: 'take', seat: 0 });
    for (const [kind, points] of [['single', 2], ['gammon', 4], ['backgammon', 6]] as const) {
      const offered = applyAction(doubled, { type: 'resign', seat: 1, kind });
      assert.equal(offered.phase, 'resigning');
      assertRefused(offered, { type: 'accept', seat: 1 }, 'INVALID_ACTION', /cannot accept/);
      assertRefused(offered, { type: 'roll', seat: 1, dice: [1, 2] }, 'INVALID_ACTION', /accept or reject/);
      const accepted = applyAction(offered, { type: 'accept', seat: 0 });
      assert.deepEqual(accepted.games[0]!.outcome, { winner: 0, kind, points, by: 'resignation' });
      const rejected = applyAction(offered, { type: 'reject', seat: 0 });
      assert.equal(rejected.phase, 'rolling');
      assert.equal(rejected.resignation, null);
    }
    const jacoby = act(newMatch({ matchLength: 0 }), { type: 'opening-roll', dice: [3, 1] }, { type: 'resign', seat: 1, kind: 'gammon' }, { type: 'accept', seat: 0 });
    assert.equal(jacoby.games[0]!.outcome!.points, 1, 'with Jacoby and a centred cube a gammon counts one');
    assertRefused(base, { type: 'resign', seat: 1, kind: 'double' as never }, 'INVALID_ACTION', /single, gammon or backgammon/);
  });

  it('ends the match when a side forfeits', () => {
    const state = act(newMatch({ matchLength: 5 }), { type: 'opening-roll', dice: [3, 1] }, { type: 'forfeit', seat: 0 });
    assert.equal(state.phase, 'over');
    assert.equal(state.winner, 1);
    assert.equal(state.forfeitedBy, 0);
  });

  it('describes the match state with gnubg IDs', () => {
    let state = playRoll(act(newMatch({ matchLength: 9 }), { type: 'opening-roll', dice: [3, 1] }), 0, [3, 1]);
    state = act(state, { type: 'double', seat: 1 }, { type: 'take', seat: 0 }, { type: 'roll', seat: 1, dice: [5, 2] });
    const { matchId, positionId } = gnubgIds(state);
    const fields = decodeMatchId(matchId);
    assert.equal(fields.matchLength, 9);
    assert.equal(fields.cubeValue, 2);
    assert.equal(fields.cubeOwner, 0);
    assert.equal(fields.diceOwner, 1);
    assert.deepEqual(fields.dice, [5, 2]);
    assert.ok(positionsEqual(positionFromId(positionId), currentPosition(state, 1)), 'the Position ID is seen from the seat on roll');
    assert.notEqual(positionId, '4HPwATDgc/ABMA');
  });
});
