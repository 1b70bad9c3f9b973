/**
 * Times what the match room does to publish an action's state: writeMatchState, then the schema
 * encoding of the patch, over the states of seeded matches played move by move. Prints the CPU
 * time per publish (spread of the rounds) and the mean patch size.
 * Run: npm run bench:match-state [-- --actions 20000 --rounds 7]
 */
import { parseArgs } from 'node:util';
import { Encoder } from '@colyseus/schema';
import { applyAction, legalMoves, newMatch, seatToAct, type Dice, type MatchAction, type MatchState } from '../src/engine/index.js';
import { Prng } from '../src/bots/prng.js';
import { createMatchState, writeMatchState, type MatchView, type SeatHolder } from '../src/schema/write-match.js';

const { values } = parseArgs({
  options: {
    actions: { type: 'string', default: '20000' },
    rounds: { type: 'string', default: '7' },
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

function timeRound(states: readonly MatchState[]): { microseconds: number; bytes: number } {
  const state = createMatchState();
  const encoder = new Encoder(state);
  encoder.encodeAll();
  encoder.discardChanges();
  let bytes = 0;
  const started = process.cpuUsage();
  states.forEach((match, index) => {
    writeMatchState(state, view(match, index));
    bytes += encoder.encode().length;
    encoder.discardChanges();
  });
  const cpu = process.cpuUsage(started);
  return { microseconds: (cpu.user + cpu.system) / states.length, bytes: bytes / states.length };
}

const states = playedStates(Number(values.actions));
timeRound(states);
const rounds = Array.from({ length: Number(values.rounds) }, () => timeRound(states));
const times = rounds.map((round) => round.microseconds).sort((a, b) => a - b);
console.log(
  `${states.length} publishes, ${rounds.length} rounds: write + encode ${times[0]!.toFixed(2)} / ${times[Math.floor(times.length / 2)]!.toFixed(2)} / ${times[times.length - 1]!.toFixed(2)} µs (min / median / max, CPU time), patch ${rounds[0]!.bytes.toFixed(1)} bytes on average`,
);
