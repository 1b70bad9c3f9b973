import assert from 'node:assert/strict';
import { Decoder, Encoder } from '@colyseus/schema';
import { applyAction, EngineError, legalMoves, newMatch, seatToAct, whyNoDouble, type Dice, type MatchAction, type MatchState } from '../../src/engine/index.js';
import { Prng } from '../../src/bots/prng.js';
import { MatchStateSchema } from '../../src/schema/match-state.js';
import { createMatchState, writeMatchState, type MatchView, type SeatHolder } from '../../src/schema/write-match.js';

const PLAYERS: readonly [SeatHolder, SeatHolder] = [
  { name: 'white', rating: 1500, connected: true, bot: false, wantsRematch: false },
  { name: 'black', rating: 1600, connected: true, bot: false, wantsRematch: false },
];

function viewOf(match: MatchState, seq: number): MatchView {
  return { matchId: `match-${match.settings.matchLength}`, lastEventSeq: seq, match, waiting: false, seats: PLAYERS, spectators: seq % 3, diceCommitment: 'c', lastResult: '', clock: null };
}

/** A seeded player that also undoes, doubles, takes and drops, so that every list grows and shrinks. */
function nextAction(match: MatchState, prng: Prng): MatchAction | null {
  const dice = (): Dice => [prng.die(), prng.die()] as unknown as Dice;
  if (match.phase === 'opening') return { type: 'opening-roll', dice: dice() };
  const seat = seatToAct(match);
  if (seat === null) return null;
  const chance = prng.next();
  if (match.phase === 'rolling') return whyNoDouble(match, seat) === null && chance < 0.1 ? { type: 'double', seat } : { type: 'roll', seat, dice: dice() };
  if (match.phase === 'doubled') return chance < 0.8 ? { type: 'take', seat } : { type: 'drop', seat };
  if (match.phase === 'resigning') return { type: 'accept', seat };
  const turn = match.turnInProgress!;
  if (turn.steps.length > 0 && chance < 0.2) return { type: 'undo', seat };
  const moves = legalMoves(turn);
  if (moves.length === 0) return { type: 'confirm', seat };
  const move = moves[Math.floor(prng.next() * moves.length)]!;
  return { type: 'move', seat, from: move.from, to: move.to };
}

describe('writeMatchState', () => {
  it('written after any run of actions, the decoded state is the state written at once from the same view', () => {
    const prng = Prng.fromSeed(7);
    const state = createMatchState();
    const encoder = new Encoder(state);
    const decoded = new MatchStateSchema();
    const decoder = new Decoder(decoded);
    let match = newMatch({ matchLength: 3 });
    let matches = 1;
    for (let step = 1; step <= 4_000; step++) {
      const action = nextAction(match, prng);
      if (!action) {
        match = newMatch({ matchLength: 3 + (matches++ % 2) * 2 });
      } else {
        try {
          match = applyAction(match, action);
        } catch (error) {
          if (!(error instanceof EngineError)) throw error;
        }
      }
      // Some states are never published: a room publishes once after several actions too.
      if (prng.next() < 0.4) continue;
      writeMatchState(state, viewOf(match, step));
      decoder.decode(encoder.encode());
      encoder.discardChanges();
      const fresh = createMatchState();
      writeMatchState(fresh, viewOf(match, step));
      fresh.version = decoded.version;
      assert.deepEqual(decoded.toJSON(), fresh.toJSON(), `after step ${step} (${action?.type ?? 'new match'})`);
    }
    assert.ok(matches > 3, `several matches were played (${matches})`);
  });
});
