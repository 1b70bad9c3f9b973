import { performance } from 'node:perf_hooks';
import type { Room } from '@colyseus/sdk';
import { legalPlays, playsWithDice, type Dice, type Move, type Seat } from '../src/engine/index.js';
import type { Table } from './generator.js';
import { SeatedPlayer } from './seated-player.js';

/** The fields of the room's wire state the players read (see src/schema/match-state.ts). */
interface WireState {
  version?: number;
  phase: string;
  toAct: number;
  checkers0: ArrayLike<number> & Iterable<number>;
  checkers1: ArrayLike<number> & Iterable<number>;
  dice: ArrayLike<number> & Iterable<number>;
  diceLeft: Iterable<number>;
  moves: ArrayLike<unknown>;
  players: ArrayLike<{ wantsRematch: boolean }>;
}

type MatchRoom = Room<any, WireState>;
type ActionKind = 'roll' | 'move' | 'confirm' | 'take' | 'reject' | 'undo' | 'rematch';

/** An action sent and not yet reflected in the state. */
interface Pending {
  kind: ActionKind;
  /** State version when it was sent: only a later patch can answer it. */
  version: number;
  /** Moves of the turn when it was sent. */
  moves: number;
  sentAt: number;
  /** The first later patch, when it did not show the action's effect. */
  firstPatchAt: number | null;
  /** A `sync` request went out to learn whether that patch was the answer (rolls only). */
  syncing: boolean;
}

/** One client in one seat of a match: acts on every state change when it is its turn to act. */
export class MatchPlayer extends SeatedPlayer<WireState> {
  seat: Seat | null = null;
  private pending: Pending | null = null;
  private plan: readonly Move[] | null = null;
  private planIndex = 0;
  /** After a refused action: undo the turn's moves and plan again. */
  private recovering = false;
  private refusals = 0;
  private syncsOutstanding = 0;
  private rematchAsked = false;

  constructor(table: Table, room: MatchRoom) {
    super(table, room);
    const { counters } = table.generator;
    room.onStateChange(() => this.onState());
    room.onMessage('seat', (message: { seat: Seat | null }) => {
      counters.messagesReceived += 1;
      this.seat = message.seat;
      this.next();
    });
    room.onMessage('error', (message: { type: string; code: string; message: string }) => {
      counters.messagesReceived += 1;
      this.onRefused(message);
    });
    room.onMessage('sync', () => {
      counters.messagesReceived += 1;
      this.onSyncReply();
    });
    room.onMessage('game-over', () => {
      counters.messagesReceived += 1;
      if (this.seat === 0) counters.gamesFinished += 1;
    });
    room.onMessage('match-over', () => {
      counters.messagesReceived += 1;
      if (this.seat === 0) counters.matchesFinished += 1;
    });
    room.onMessage('*', () => {
      counters.messagesReceived += 1;
    });
  }

  get isReady(): boolean {
    return this.seat !== null && this.room.state.version !== undefined;
  }

  waitingSince(now: number): number {
    return this.pending ? now - this.pending.sentAt : 0;
  }

  describePending(): string {
    return `${this.pending?.kind ?? 'nothing'} (room ${this.room.roomId}, seat ${this.seat}, phase ${this.room.state.phase})`;
  }

  protected describeSeat(): string {
    return `seat ${this.seat}`;
  }

  private onState(): void {
    const state = this.room.state;
    if (state.version === undefined) return;
    this.table.generator.counters.patchesReceived += 1;
    const now = performance.now();
    this.table.progressed(now);
    const pending = this.pending;
    if (pending && state.version > pending.version) {
      if (this.shows(pending, state)) {
        this.resolve(pending, now);
      } else {
        pending.firstPatchAt ??= now;
        if (pending.kind === 'roll' && !pending.syncing) {
          pending.syncing = true;
          this.syncsOutstanding += 1;
          this.sendCounted('sync', { version: state.version });
        }
      }
    }
    if (state.phase !== 'over') this.rematchAsked = false;
    if (state.toAct !== this.seat) this.plan = null;
    this.next();
  }

  /** Acts on the current state, after the think time if there is one, unless an action is in flight. */
  next(): void {
    const state = this.room.state;
    if (this.seat === null || state.version === undefined || this.done) return;
    this.table.ready();
    if (this.pending) return;
    this.afterThinking(
      () => this.act(this.room.state),
      () => !this.pending && this.hasSomethingToDo(this.room.state),
    );
  }

  private hasSomethingToDo(state: WireState): boolean {
    if (state.phase === 'over') return !this.rematchAsked;
    return state.toAct === this.seat && ['rolling', 'doubled', 'resigning', 'moving'].includes(state.phase);
  }

  /**
   * Whether the state shows the effect of the pending action. The room publishes once per
   * message it handles, but also on its own (twice when the second player joins, once per
   * rematch request), so the next patch is not always the answer: the action's effect in the
   * state is what counts (a move adds to `moves`, a confirm ends the turn, ...). One case shows
   * nothing: a roll that cannot be played, followed by automatic rolls that cannot be played
   * either, comes back to the same state. When a patch after a roll shows no effect, the player
   * sends `sync`: the room handles a client's messages in order, so every patch the roll caused
   * arrives before the reply (see onSyncReply).
   */
  private shows(pending: Pending, state: WireState): boolean {
    const turnOver = state.toAct !== this.seat;
    switch (pending.kind) {
      case 'move':
        return state.moves.length > pending.moves || turnOver || state.phase !== 'moving';
      case 'undo':
        return state.moves.length < pending.moves || turnOver || state.phase !== 'moving';
      case 'confirm':
        return state.moves.length === 0 || turnOver || state.phase !== 'moving';
      case 'roll':
        return state.phase !== 'rolling' || turnOver || state.dice.length > 0;
      case 'take':
        return state.phase !== 'doubled' || turnOver;
      case 'reject':
        return state.phase !== 'resigning' || turnOver;
      case 'rematch':
        return state.phase !== 'over' || state.players[this.seat!]?.wantsRematch === true;
    }
  }

  /** Replies come in order: the last one answers the pending roll, whose patches all came before it. */
  private onSyncReply(): void {
    this.syncsOutstanding = Math.max(0, this.syncsOutstanding - 1);
    const pending = this.pending;
    if (!pending?.syncing || this.syncsOutstanding > 0) return;
    this.resolve(pending, pending.firstPatchAt ?? performance.now());
    this.next();
  }

  private resolve(pending: Pending, answeredAt: number): void {
    const { generator } = this.table;
    const elapsed = answeredAt - pending.sentAt;
    if (pending.kind === 'move') generator.moveLatency.record(elapsed);
    if (pending.kind !== 'rematch') generator.actionLatency.record(elapsed);
    this.pending = null;
    this.refusals = 0;
  }

  private act(state: WireState): void {
    if (state.phase === 'over') {
      this.plan = null;
      if (this.rematchAsked) return;
      this.rematchAsked = true;
      if (this.seat === 0) this.table.matchOver();
      if (this.table.generator.options.onMatchEnd === 'rematch') this.send('rematch', state);
      return;
    }
    if (state.toAct !== this.seat) return;
    switch (state.phase) {
      case 'rolling':
        return this.send('roll', state);
      case 'doubled':
        return this.send('take', state);
      case 'resigning':
        return this.send('reject', state);
      case 'moving':
        return this.playOn(state);
      default:
        return;
    }
  }

  /** Sends the next move of a random legal play, then the confirm. */
  private playOn(state: WireState): void {
    if (this.recovering) {
      if (state.moves.length > 0) return this.send('undo', state);
      this.recovering = false;
      this.plan = null;
    }
    if (!this.plan) {
      this.plan = this.choosePlay(state);
      this.planIndex = 0;
    }
    const move = this.plan[this.planIndex];
    if (move) {
      this.planIndex += 1;
      return this.send('move', state, { from: move.from, to: move.to });
    }
    this.plan = null;
    this.send('confirm', state);
  }

  private choosePlay(state: WireState): readonly Move[] {
    const own = this.seat === 0 ? state.checkers0 : state.checkers1;
    const other = this.seat === 0 ? state.checkers1 : state.checkers0;
    const position = { player: [...own], opponent: [...other] };
    const plays =
      state.moves.length === 0
        ? legalPlays(position, [...state.dice] as unknown as Dice)
        : playsWithDice(position, [...state.diceLeft]);
    if (plays.length === 0) return [];
    return plays[Math.floor(Math.random() * plays.length)]!.moves;
  }

  private send(kind: ActionKind, state: WireState, payload?: unknown): void {
    this.pending = { kind, version: state.version!, moves: state.moves.length, sentAt: performance.now(), firstPatchAt: null, syncing: false };
    this.sendCounted(kind, payload);
  }

  /** The room refused an action: count it, undo the turn's moves and play again; give up after a few. */
  private onRefused(message: { type: string; code: string; message: string }): void {
    const { generator } = this.table;
    if (this.done) return;
    generator.noteError('errorReplies', `${message.type}: ${message.code} ${message.message}`);
    this.pending = null;
    this.plan = null;
    this.recovering = true;
    this.refusals += 1;
    if (this.refusals >= 3) return this.table.fail();
    this.next();
  }
}
