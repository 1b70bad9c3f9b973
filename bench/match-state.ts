/**
 * Times what the match room does to publish an action's state: writeMatchState, then the schema
 * encoding of the patch, over the states of seeded matches played move by move. Prints the CPU
 * time per publish (spread of the rounds) and the mean patch size. `--rooms N` publishes into N
 * states in turn, each a match of its own, as a server holding N rooms does (their states no
 * longer all fit in the CPU's caches).
 * Run: npm run bench:match-state [-- --actions 20000 --rounds 7 --rooms 1]
 */
import { parseArgs } from 'node:util';
import { Encoder } from '@colyseus/schema';
import { applyAction, legalMoves, newMatch, seatToAct, type Dice, type MatchAction, type MatchState } from '../src/engine/index.js';
import { Prng } from '../src/bots/prng.js';
import type { MatchStateSchema } from '../src/schema/match-state.js';
import { createMatchState, writeMatchState, type MatchView, type SeatHolder } from '../src/schema/write-match.js';
import { spreadOf } from './spread.js';

const { values } = parseArgs({
  options: {
    actions: { type: 'string', default: '20000' },
    rounds: { type: 'string', default: '7' },
    rooms: { type: 'string', default: '1' },
  },
});

/** Seeded dice: the same matches on every run. */
function seededDice(): () => Dice {
  const prng = Prng.fromSeed(1);
  return () => [prng.die(), prng.die()] as unknown as Dice;
}

/** The player's next action: roll, the first legal move, or confirm. */
function nextAction(match: MatchState, roll: () => Dice): MatchAction | null {
  if (match.phase === 'opening') return { type: 'opening-roll', dice: roll() };
  const seat = seatToAct(match);
  if (seat === null) return null;
  if (match.phase === 'rolling') return { type: 'roll', seat, dice: roll() };
  if (match.phase !== 'moving') return null;
  const moves = legalMoves(match.turnInProgress!);
  return moves.length > 0 ? { type: 'move', seat, from: moves[0]!.from, to: moves[0]!.to } : { type: 'confirm', seat };
}

function playedStates(count: number): MatchState[] {
  const roll = seededDice();
  const states: MatchState[] = [];
  let match = newMatch({ matchLength: 7 });
  while (states.length < count) {
    const action = nextAction(match, roll);
    match = action ? applyAction(match, action) : newMatch({ matchLength: 7 });
    states.push(match);
  }
  return states;
}

const PLAYER: SeatHolder = { name: 'player', rating: 1500, connected: true, bot: false, wantsRematch: false };

function view(match: MatchState, seq: number): MatchView {
  return { matchId: 'match', lastEventSeq: seq, match, waiting: false, seats: [PLAYER, PLAYER], spectators: 0, diceCommitment: 'commitment', lastResult: '', clock: null };
}

interface Published {
  readonly state: MatchStateSchema;
  readonly encoder: Encoder;
}

function roomsOf(count: number): Published[] {
  return Array.from({ length: count }, () => {
    const state = createMatchState();
    const encoder = new Encoder(state);
    encoder.encodeAll();
    encoder.discardChanges();
    return { state, encoder };
  });
}

/** Each room plays the whole sequence, starting at its own place in it; the rooms take turns, one publish each. */
function timeRound(states: readonly MatchState[], rooms: readonly Published[]): { microseconds: number; bytes: number } {
  let bytes = 0;
  const started = process.cpuUsage();
  states.forEach((_, index) => {
    const room = index % rooms.length;
    const { state, encoder } = rooms[room]!;
    const at = (Math.floor(index / rooms.length) + Math.floor((room * states.length) / rooms.length)) % states.length;
    writeMatchState(state, view(states[at]!, index));
    bytes += encoder.encode().length;
    encoder.discardChanges();
  });
  const cpu = process.cpuUsage(started);
  return { microseconds: (cpu.user + cpu.system) / states.length, bytes: bytes / states.length };
}

const states = playedStates(Number(values.actions));
const rooms = roomsOf(Number(values.rooms));
timeRound(states, rooms);
const rounds = Array.from({ length: Number(values.rounds) }, () => timeRound(states, rooms));
const times = spreadOf(rounds.map((round) => round.microseconds));
console.log(
  `${states.length} publishes into ${rooms.length} room(s), ${rounds.length} rounds: write + encode ${times.min.toFixed(2)} / ${times.median.toFixed(2)} / ${times.max.toFixed(2)} µs (min / median / max, CPU time), patch ${rounds[0]!.bytes.toFixed(1)} bytes on average`,
);
