import {
  applyAction,
  createFairDice,
  endedGame,
  legalMoves,
  newMatch,
  seatToAct,
  whyNoDouble,
  type MatchAction,
  type MatchSettings,
  type MatchState,
  type Seat,
} from '../../src/engine/index.js';
import type { JournalEntry } from '../../src/db/journal.js';
import { MatchRecorder, type Journal } from '../../src/rooms/match-recorder.js';

export interface PlayedMatch {
  readonly matchId: string;
  readonly final: MatchState;
  /** Every journal entry of the match, in order. */
  readonly entries: JournalEntry[];
  /** The gnubg Position ID each game ended on, as the live match saw it. */
  readonly finalPositionIds: string[];
}

/**
 * Plays a match of random decisions (doubles, takes and drops, resignations, undos, random legal
 * moves one checker at a time) and records it as a match room does. One action per `step()`, so
 * a test can interleave many matches.
 */
export class RandomRecordedMatch {
  private match: MatchState;
  readonly fairDice = createFairDice();
  private readonly recorder: MatchRecorder;
  readonly entries: JournalEntry[] = [];
  readonly finalPositionIds: string[] = [];

  constructor(
    journal: Journal,
    private readonly random: () => number,
    settings: Partial<MatchSettings> = {},
  ) {
    this.match = newMatch(settings);
    const tap: Journal = { append: (entry) => (this.entries.push(entry), journal.append(entry)) };
    this.recorder = new MatchRecorder(tap, {
      roomId: 'test-room',
      match: this.match,
      players: [
        { userId: null, name: 'White', rating: 1500 },
        { userId: null, name: 'Black', rating: 1500 },
      ],
      rated: false,
      fairDice: this.fairDice,
    });
  }

  get over(): boolean {
    return this.match.phase === 'over';
  }

  /** Plays to the end. */
  playOut(): PlayedMatch {
    while (!this.over) this.step();
    return this.result();
  }

  result(): PlayedMatch {
    return { matchId: this.recorder.matchId, final: this.match, entries: this.entries, finalPositionIds: this.finalPositionIds };
  }

  step(): void {
    if (this.over) return;
    const before = this.match;
    const action = this.nextAction();
    this.match = applyAction(before, action);
    this.recorder.applied(before, action, this.match);
    if (endedGame(before, this.match)) this.finalPositionIds.push(lastGameEndPosition(this.entries));
    if (this.over) this.recorder.matchEnded(this.match, this.fairDice.reveal());
  }

  private nextAction(): MatchAction {
    const match = this.match;
    if (match.phase === 'opening') return { type: 'opening-roll', dice: this.fairDice.roll().dice };
    const seat = seatToAct(match)!;
    switch (match.phase) {
      case 'rolling':
        if (this.chance(0.06) && whyNoDouble(match, seat) === null) return { type: 'double', seat };
        if (this.chance(0.004)) return { type: 'resign', seat, kind: this.pick(['single', 'gammon', 'backgammon'] as const) };
        return { type: 'roll', seat, dice: this.fairDice.roll().dice };
      case 'doubled':
        return { type: this.chance(0.3) ? 'drop' : 'take', seat };
      case 'resigning':
        return { type: this.chance(0.5) ? 'accept' : 'reject', seat };
      default:
        return this.moveAction(seat);
    }
  }

  private moveAction(seat: Seat): MatchAction {
    const turn = this.match.turnInProgress!;
    if (turn.steps.length > 0 && this.chance(0.05)) return { type: 'undo', seat };
    const moves = legalMoves(turn);
    if (moves.length === 0) return { type: 'confirm', seat };
    const move = this.pick(moves);
    return { type: 'move', seat, from: move.from, to: move.to };
  }

  private chance(probability: number): boolean {
    return this.random() < probability;
  }

  private pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)]!;
  }
}

function lastGameEndPosition(entries: readonly JournalEntry[]): string {
  for (let index = entries.length - 1; index >= 0; index--) {
    const entry = entries[index]!;
    if (entry.kind === 'game-finished') return entry.finalPositionId;
  }
  throw new Error('no game-finished entry');
}
