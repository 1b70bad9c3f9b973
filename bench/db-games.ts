/**
 * Finished matches for the database benchmark, recorded exactly as a live match room records
 * them: a MatchRecorder fed every action the engine accepted, with fair dice and their roll
 * indexes, writing into an array instead of the write-behind queue.
 */
import { randomBytes } from 'node:crypto';
import type { JournalEntry } from '../src/db/journal.js';
import {
  applyAction,
  createFairDice,
  endedGame,
  legalMoves,
  newMatch,
  seatToAct,
  type FairRoll,
  type LoggedPlayer,
  type MatchAction,
  type MatchState,
} from '../src/engine/index.js';
import { MatchRecorder } from '../src/rooms/match-recorder.js';

export interface Account {
  readonly id: string;
  readonly name: string;
}

export interface RecordedMatch {
  readonly matchId: string;
  readonly games: number;
  readonly entries: readonly JournalEntry[];
}

export interface GenerateOptions {
  readonly matches: number;
  readonly matchLength: number;
  /** Players are drawn from these accounts; the matches are rated between two of them. */
  readonly accounts: readonly Account[];
  readonly random: () => number;
  /**
   * Games end by a resignation, accepted, once they hold about this many events (the player on
   * roll gives up at the start of a turn); unlimited: random games play out, some 390 events each.
   */
  readonly eventsPerGame?: number;
}

/** Plays `matches` matches of random legal plays (cube unused, as random players never double). */
export function generateMatches(options: GenerateOptions): RecordedMatch[] {
  const { random, accounts } = options;
  const pick = () => Math.floor(random() * accounts.length);
  const recorded: RecordedMatch[] = [];
  for (let n = 0; n < options.matches; n++) {
    const a = pick();
    let b = pick();
    while (b === a) b = pick();
    const players = [player(accounts[a]!), player(accounts[b]!)] as const;
    recorded.push(playMatch(options.matchLength, players, random, options.eventsPerGame ?? Infinity));
  }
  return recorded;
}

function player(account: Account): LoggedPlayer {
  return { userId: account.id, name: account.name, rating: 1500 };
}

function playMatch(matchLength: number, players: readonly [LoggedPlayer, LoggedPlayer], random: () => number, eventsPerGame: number): RecordedMatch {
  const entries: JournalEntry[] = [];
  const fairDice = createFairDice({ serverSeed: randomBytes(32).toString('hex') });
  let match = newMatch({ matchLength });
  const recorder = new MatchRecorder(
    { append: (entry) => entries.push(entry) },
    { roomId: `bench-${recorderCount++}`, match, players, rated: true, fairDice },
  );
  let games = 0;
  let gameStartsAt = entries.length;
  while (match.phase !== 'over') {
    const longEnough = entries.length - gameStartsAt >= eventsPerGame;
    const action = match.phase === 'resigning' || (longEnough && match.phase === 'rolling') ? giveUp(match) : nextAction(match, fairDice.roll.bind(fairDice), random);
    const before = match;
    match = applyAction(match, action);
    recorder.applied(before, action, match);
    if (endedGame(before, match)) {
      games += 1;
      gameStartsAt = entries.length;
    }
  }
  recorder.matchEnded(match, fairDice.reveal());
  return { matchId: recorder.matchId, games, entries };
}

let recorderCount = 0;

/** Before rolling, the player on roll resigns a single game; the other accepts. */
function giveUp(match: MatchState): MatchAction {
  const seat = seatToAct(match)!;
  if (match.phase === 'resigning') return { type: 'accept', seat };
  return { type: 'resign', seat, kind: 'single' };
}

function nextAction(match: MatchState, roll: () => FairRoll, random: () => number): MatchAction {
  if (match.phase === 'opening') return { type: 'opening-roll', dice: roll().dice };
  const seat = seatToAct(match)!;
  if (match.phase === 'rolling') return { type: 'roll', seat, dice: roll().dice };
  if (match.phase === 'moving') {
    const moves = legalMoves(match.turnInProgress!);
    if (moves.length === 0) return { type: 'confirm', seat };
    const move = moves[Math.floor(random() * moves.length)]!;
    return { type: 'move', seat, from: move.from, to: move.to };
  }
  throw new Error(`unexpected phase ${match.phase} in a random game`);
}
