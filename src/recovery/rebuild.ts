import {
  endedGame,
  restoreFairDice,
  replaySteps,
  seatToAct,
  type FairDice,
  type LoggedPlayer,
  type MatchLogEntry,
  type MatchNote,
  type MatchState,
} from '../engine/index.js';
import type { StoredEvent } from '../db/records.js';
import { MatchClock } from '../rooms/match-clock.js';
import { MatchRoomOptions, parseOptions } from '../rooms/match-options.js';
import type { KeptDice } from './seed-vault.js';

/** A match in progress as its log and its kept dice rebuild it, ready for a room to continue it. */
export interface RebuiltMatch {
  readonly matchId: string;
  readonly roomOptions: MatchRoomOptions;
  readonly inviteCode: string | null;
  readonly players: readonly [LoggedPlayer, LoggedPlayer];
  readonly match: MatchState;
  /** The committed dice, continuing at the roll after the last one logged. */
  readonly fairDice: FairDice;
  readonly clientSeeds: readonly [string, string];
  /** Which of them the server drew, as the log says ([false, false] in logs from before it said). */
  readonly seedsDrawnByServer: readonly [boolean, boolean];
  /** The clock as the log's times leave it, stopped at the last event; null for a match without clocks. */
  readonly clock: MatchClock | null;
  /** The number of the last event logged: the next is one more. */
  readonly lastSeq: number;
  /** When the game in progress started. */
  readonly gameStartedAt: Date;
}

export class RebuildError extends Error {
  override readonly name = 'RebuildError';
}

type MatchCreated = Extract<MatchNote, { type: 'match-created' }>;

/**
 * Rebuilds a match from its stored log: position, dice, cube, score and clocks as they were after
 * its last event. Throws a RebuildError when the log cannot be continued (a gap, a match already
 * over) and an EngineError when the rules refuse one of its actions.
 */
export function rebuildMatch(matchId: string, events: readonly StoredEvent[], kept: KeptDice): RebuiltMatch {
  const created = events[0]?.entry;
  if (created?.type !== 'match-created') throw new RebuildError('the log does not start with its match-created event');
  events.forEach((event, index) => {
    if (event.seq !== index + 1) throw new RebuildError(`the log has a gap: event ${index + 1} is missing`);
  });
  if (events.some((event) => event.entry.type === 'match-end')) throw new RebuildError('the match is over');
  const roomOptions = parseOptions(MatchRoomOptions, kept.roomOptions, 'kept room options');
  const entries = events.map((event) => event.entry);
  const { match, clock } = replayWithClock(entries, events.map((event) => event.at.getTime()), roomOptions);
  if (match.phase === 'over') throw new RebuildError('the match is over');
  const fairDice = restoreFairDice({ serverSeed: kept.serverSeed, clientSeeds: created.diceClientSeeds ?? [], nextIndex: nextRollIndex(entries) });
  if (fairDice.commitment !== created.diceCommitment) throw new RebuildError('the kept dice seed is not the one the match committed to');
  const gameStart = events.findLast((event) => event.entry.type === 'game-start') ?? events[0]!;
  return {
    matchId,
    roomOptions,
    inviteCode: kept.inviteCode,
    players: created.players,
    match,
    fairDice,
    clientSeeds: seedPair(created),
    seedsDrawnByServer: created.diceSeedsDrawnByServer ?? [false, false],
    clock,
    lastSeq: events.length,
    gameStartedAt: gameStart.at,
  };
}

/** Replays the log, moving a clock along at each event's time as the room moved it; the clock is stopped at the end. */
function replayWithClock(entries: readonly MatchLogEntry[], times: readonly number[], options: MatchRoomOptions): { match: MatchState; clock: MatchClock | null } {
  const clock = options.clock === false ? null : new MatchClock(options.matchLength, options.clock);
  let before: MatchState | null = null;
  let index = 0;
  for (const after of replaySteps(entries)) {
    const at = times[index++]!;
    if (before && endedGame(before, after)) clock?.nextGame(at);
    const running = after.phase !== 'over' && after.phase !== 'opening' ? seatToAct(after) : null;
    clock?.follow(running, at);
    before = after;
  }
  clock?.follow(null, times.at(-1)!);
  return { match: before!, clock };
}

/** Both players' seeds, for telling clients; logs from before players sent seeds have none. */
function seedPair(created: MatchCreated): [string, string] {
  const [white = '', black = ''] = created.diceClientSeeds ?? [];
  return [white, black];
}

/** The index of the next roll: one after the highest logged, 0 before the first. */
function nextRollIndex(entries: readonly MatchLogEntry[]): number {
  let next = 0;
  for (const entry of entries) {
    if ('rollIndex' in entry && typeof entry.rollIndex === 'number') next = Math.max(next, entry.rollIndex + 1);
  }
  return next;
}
