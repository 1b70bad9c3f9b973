import { Prng } from '../../src/bots/prng.js';
import type { SeatPlayer } from '../../src/bots/seat-player.js';
import type { LoggedEntry } from '../../src/bots/analysis/game.js';
import type { JournalEntry } from '../../src/db/journal.js';
import {
  applyAction,
  createFairDice,
  legalPlays,
  newMatch,
  seatToAct,
  type MatchAction,
  type MatchLogEntry,
  type MatchSettings,
  type MatchState,
  type Play,
  type Seat,
} from '../../src/engine/index.js';
import { MatchRecorder, type Journal } from '../../src/rooms/match-recorder.js';
import { toAction } from '../bots/play-match.js';

/** Chooses a play among the legal ones (an index into `plays`); `turn` counts the match's plays from 1. */
export type PlayPicker = (match: MatchState, seat: Seat, plays: readonly Play[], turn: number) => number;

export interface MatchScript {
  readonly players: readonly [SeatPlayer, SeatPlayer];
  readonly settings: Partial<MatchSettings>;
  /** Seeds the dice. */
  readonly seed: number;
  /** Overrides the players' checker plays; returning -1 leaves the turn to the player. */
  readonly pickPlay?: PlayPicker;
  readonly names?: readonly [string, string];
  readonly userIds?: readonly [string | null, string | null];
  /** Played by invitation. */
  readonly private?: boolean;
}

export interface LoggedMatch {
  readonly matchId: string;
  readonly final: MatchState;
  /** The match log as the database returns it. */
  readonly log: LoggedEntry[];
  /** Every journal entry, in order (to write the match to a database). */
  readonly journal: JournalEntry[];
}

/** Plays a match to its end through the engine and records it as a match room does. */
export function playLoggedMatch(script: MatchScript, journal: Journal = { append: () => undefined }): LoggedMatch {
  const dice = Prng.fromSeed(script.seed);
  const entries: JournalEntry[] = [];
  const tap: Journal = { append: (entry) => (entries.push(entry), journal.append(entry)) };
  let match = newMatch(script.settings);
  const [name0, name1] = script.names ?? ['White', 'Black'];
  const [user0, user1] = script.userIds ?? [null, null];
  const fairDice = createFairDice();
  const recorder = new MatchRecorder(tap, {
    roomId: 'logged-match',
    match,
    players: [
      { userId: user0, name: name0, rating: 1500 },
      { userId: user1, name: name1, rating: 1500 },
    ],
    rated: false,
    private: script.private ?? false,
    fairDice,
  });
  const apply = (action: MatchAction) => {
    const before = match;
    match = applyAction(before, action);
    recorder.applied(before, action, match);
  };
  let turn = 0;
  for (let step = 0; match.phase !== 'over'; step++) {
    if (step > 50_000) throw new Error('the match did not end');
    if (match.phase === 'opening') {
      apply({ type: 'opening-roll', dice: [dice.die(), dice.die()] });
      continue;
    }
    const seat = seatToAct(match)!;
    if (match.phase === 'moving' && match.turnInProgress!.steps.length === 0) {
      turn += 1;
      const plays = legalPlays(match.turnInProgress!.start, match.turnInProgress!.dice);
      const picked = script.pickPlay?.(match, seat, plays, turn) ?? -1;
      if (picked >= 0) {
        for (const move of plays[picked]!.moves) apply({ type: 'move', seat, from: move.from, to: move.to });
        apply({ type: 'confirm', seat });
        continue;
      }
    }
    const intent = script.players[seat].decide(match, seat);
    if (!intent) throw new Error(`seat ${seat} did not act in phase ${match.phase}`);
    apply(toAction(intent, seat, dice));
  }
  recorder.matchEnded(match, fairDice.reveal());
  return { matchId: recorder.matchId, final: match, log: logOf(entries), journal: entries };
}

/** The events among journal entries, as eventsOf reads them back. */
function logOf(entries: readonly JournalEntry[]): LoggedEntry[] {
  return entries.flatMap((entry) => {
    if (entry.kind !== 'event') return [];
    const { seq, type, data } = JSON.parse(entry.json) as { seq: number; type: string; data: Record<string, unknown> };
    return [{ seq, entry: { ...data, type } as MatchLogEntry }];
  });
}
