/**
 * A client written from the README alone: two guests sign up over HTTP, one creates a 1-point
 * match, the other joins it, and both play random legal plays until the match is over.
 *
 *   npm start                      # in one terminal
 *   npx tsx examples/readme-client.ts [http://localhost:2567]
 */
import { Client, type Room } from '@colyseus/sdk';
import { legalPlays, type Dice, type Position } from '../src/engine/index.js';

/** The fields of the state this client reads (docs/PROTOCOL.md lists them all). */
export interface MatchState {
  matchId: string;
  version: number;
  /** The number of the last event of the match's log this state shows. */
  lastEventSeq: number;
  phase: string;
  toAct: number;
  checkers0: number[];
  checkers1: number[];
  dice: number[];
  moves: unknown[];
  players: { name: string; lastDice: number[]; lastDiceBlocked: boolean }[];
}

interface MatchOver {
  winner: 0 | 1 | null;
  score: number[];
}

export interface PlayedMatch extends MatchOver {
  matchId: string;
  /** Every message either client received, in order, as [type, payload]. */
  received: [string, unknown][];
}

/** Signs up a guest and returns an SDK client that joins with its access token. */
export async function guestClient(httpUrl: string): Promise<Client> {
  const response = await fetch(`${httpUrl}/auth/guest`, { method: 'POST' });
  if (!response.ok) throw new Error(`guest sign-up failed: ${response.status} ${await response.text()}`);
  const { token } = (await response.json()) as { token: string };
  const client = new Client(httpUrl.replace(/^http/, 'ws'));
  client.auth.token = token;
  return client;
}

/** Plays for one seat: rolls, and plays a random legal play of each roll, whenever the match waits for it. */
export function playSeat(room: Room<unknown, MatchState>, seat: 0 | 1, random: () => number): void {
  let actedOn = '';
  const act = (state: MatchState) => {
    // Once per decision, not once per patch: the state also changes for other reasons (a
    // connection, a spectator), and the patches showing this client's moves come after it sent them.
    // lastEventSeq tells one decision from the next: both players' rolls can pass unplayed and
    // bring back the same board, phase and seat to act, with a new event for each roll.
    const decision = [state.lastEventSeq, state.phase, state.toAct, state.moves.length].join('|');
    if (state.toAct !== seat || decision === actedOn) return;
    actedOn = decision;
    if (state.phase === 'rolling') room.send('roll');
    else if (state.phase === 'moving' && state.moves.length === 0) playRandomly(room, state, seat, random);
    else if (state.phase === 'doubled') room.send('take');
    else if (state.phase === 'resigning') room.send('accept');
  };
  room.onStateChange(act);
  // The match may already wait for this seat: the opening roll comes as the second player sits down.
  act(room.state);
}

function playRandomly(room: Room<unknown, MatchState>, state: MatchState, seat: 0 | 1, random: () => number): void {
  const position: Position = seat === 0 ? { player: [...state.checkers0], opponent: [...state.checkers1] } : { player: [...state.checkers1], opponent: [...state.checkers0] };
  const plays = legalPlays(position, [state.dice[0]!, state.dice[1]!] as Dice);
  const play = plays[Math.floor(random() * plays.length)];
  for (const move of play?.moves ?? []) room.send('move', { from: move.from, to: move.to });
  room.send('confirm');
}

/** Plays a whole 1-point match between two guests on the server at `httpUrl`; `log` hears of rolls that could not be played. */
export async function playReadmeMatch(httpUrl: string, log: (line: string) => void = () => undefined, random: () => number = Math.random): Promise<PlayedMatch> {
  const [alice, bob] = await Promise.all([guestClient(httpUrl), guestClient(httpUrl)]);
  const received: [string, unknown][] = [];
  // Handlers go on right after joining: the SDK drops messages of types without one.
  const first = await alice.create<MatchState>('match', { matchLength: 1 });
  const firstSeat = seatOf(first, received, log);
  const second = await bob.joinById<MatchState>(first.roomId);
  const rooms = [first, second];
  const seats = await Promise.all([firstSeat, seatOf(second, received, () => undefined)]);
  const over = new Promise<MatchOver>((resolve) => first.onMessage('match-over', resolve));
  rooms.forEach((room, index) => playSeat(room, seats[index]!.seat, random));
  const result = await over;
  await Promise.all(rooms.map((room) => room.leave()));
  return { ...result, matchId: seats[0]!.matchId, received };
}

/** Records the room's messages and resolves with the `seat` message. */
function seatOf(room: Room<unknown, MatchState>, received: [string, unknown][], log: (line: string) => void): Promise<{ seat: 0 | 1; matchId: string }> {
  return new Promise((resolve) => {
    room.onMessage('*', (type, message) => {
      received.push([String(type), message]);
      if (type === 'seat') resolve(message as { seat: 0 | 1; matchId: string });
      if (type === 'no-move') {
        const { seat, dice } = message as { seat: number; dice: number[] };
        log(`seat ${seat} rolled ${dice.join('-')} and could not move`);
      }
    });
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const url = process.argv[2] ?? 'http://localhost:2567';
  const { winner, score, matchId } = await playReadmeMatch(url, console.log);
  console.log(`seat ${winner} won ${score.join('-')}; the record: ${url}/matches/${matchId}`);
}
