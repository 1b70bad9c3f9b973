import { assertDice, type Dice } from './dice.js';
import { fail } from './errors.js';
import { assertPosition, BAR, emptySide, OFF, sidesEqual, SLOTS, type Position } from './position.js';

/** One checker moving with one die: `from` 25 is the bar, `to` 0 is borne off. */
export interface Move {
  readonly from: number;
  readonly to: number;
  readonly hit: boolean;
}

/** A whole turn's play: its checker moves, and the board after them, still seen by the mover. */
export interface Play {
  readonly moves: readonly Move[];
  readonly position: Position;
}

const MOVE_TABLE: readonly Move[] = buildMoveTable();

function buildMoveTable(): Move[] {
  const table: Move[] = [];
  for (let from = 0; from < SLOTS; from++) {
    for (let to = 0; to < SLOTS; to++) {
      table.push(Object.freeze({ from, to, hit: false }), Object.freeze({ from, to, hit: true }));
    }
  }
  return table;
}

/** Moves are shared frozen values, so plays allocate no move objects. */
export function moveOf(from: number, to: number, hit: boolean): Move {
  return MOVE_TABLE[(from * SLOTS + to) * 2 + (hit ? 1 : 0)]!;
}

/**
 * Every distinct legal play for the player on roll. The rules as GNU Backgammon plays them:
 * as many dice as possible; when only one die of a non-double can be played, the larger face
 * if it can be; move orders that reach the same board (hits included) are one play.
 * No legal play gives an empty list.
 */
export function legalPlays(position: Position, dice: Dice): Play[] {
  assertPosition(position);
  assertDice(dice);
  return generatePlays(position, dice);
}

/** legalPlays without input checks, for callers that hold validated values. */
export function generatePlays(position: Position, dice: Dice): Play[] {
  return generator.run(position, dice[0], dice[1], dice[0] === dice[1] ? 4 : 2);
}

/** What a roll allows, without building its plays: how many distinct plays, and how many dice each uses. */
export interface PlayCount {
  readonly count: number;
  readonly moves: number;
}

/** legalPlays' length and the number of moves of its plays, for validated values, allocating no plays. */
export function countPlays(position: Position, dice: Dice): PlayCount {
  return generator.count(position, dice[0], dice[1], dice[0] === dice[1] ? 4 : 2);
}

/**
 * The legal play that reaches `target` (the board and the opponent's checkers hit, as the mover
 * sees them), or null when none does: `generatePlays(position, dice).find(...)` by position,
 * the same play, without building the others. For validated values.
 */
export function findPlay(position: Position, dice: Dice, target: Position): Play | null {
  return generator.find(position, dice[0], dice[1], dice[0] === dice[1] ? 4 : 2, target);
}

/**
 * The plays for any list of dice still to play (all equal, or two different faces), e.g. the
 * dice left in a turn in progress. Same rules and result shape as legalPlays.
 */
export function playsWithDice(position: Position, dice: readonly number[]): Play[] {
  if (dice.length === 0) return [];
  const first = dice[0]!;
  const second = dice[1] ?? first;
  const equal = dice.every((die) => die === first);
  if (!equal && dice.length !== 2) fail('INVALID_DICE', 'dice left to play are all equal or two different faces');
  return generator.run(position, first, second, dice.length);
}

/** The single checker moves one die allows, as plays; with `from`, only the move of a checker there (none for a slot off the board). */
export function movesWithDie(position: Position, die: number, from?: number): Play[] {
  if (from === undefined) return generator.run(position, die, die, 1);
  if (!Number.isInteger(from) || from < 0 || from > BAR) return [];
  return generator.startingFrom(from, () => generator.run(position, die, die, 1));
}

// Random weights per slot and per hit point: a board's key is the sum over its checkers and hits,
// kept up to date move by move. Equal boards give equal keys, so comparing keys filters the
// candidate duplicates before the exact board comparison.
const SLOT_WEIGHTS = randomWeights(SLOTS, 0x9e3779b9);
const HIT_WEIGHTS = randomWeights(SLOTS, 0x85ebca6b);

function randomWeights(size: number, seed: number): Int32Array {
  const table = new Int32Array(size);
  let state = seed | 0;
  for (let i = 0; i < size; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    table[i] = state;
  }
  return table;
}

/** Whether `count` moves can be played from the position with the dice left (all equal, or two faces). */
export function canPlayMoves(position: Position, dice: readonly number[], count: number): boolean {
  if (count <= 0) return true;
  if (count > dice.length) return false;
  const first = dice[0]!;
  return generator.reaches(position, first, dice[1] ?? first, dice.length, count);
}

/** Scratch state for one generation at a time; reused so a call allocates only its plays. */
class PlayGenerator {
  private start: Position = { player: [], opponent: [] };
  private readonly board = emptySide();
  private outsideHome = 0;
  /** Bit set of the slots 1..25 holding the player's checkers. */
  private occupied = 0;
  /** Bit set of the player's points the opponent holds with two or more checkers. Hits never change it. */
  private blocked = 0;
  private key = 0;
  /** Bit set of the player's points holding a single opponent checker at the start. */
  private blots = 0;
  /** Bit set of the player's points where an opponent blot was hit. */
  private hits = 0;
  private dice: number[] = [];
  /** Reused dice lists: equal dice by how many are left, and both orders of two faces. */
  private readonly sameDice = [[], [0], [0, 0], [0, 0, 0], [0, 0, 0, 0]];
  private readonly largerFirst = [0, 0];
  private readonly smallerFirst = [0, 0];
  private equalDice = false;
  /** The moves of the line being searched, by depth. */
  private readonly movesMade: Move[] = [moveOf(0, 0, false), moveOf(0, 0, false), moveOf(0, 0, false), moveOf(0, 0, false)];
  private mostMoves = 0;
  private plays: Play[] = [];
  /** Plays found at the most moves so far; with `counting`, only their boards are kept (in `boards`). */
  private playCount = 0;
  private counting = false;
  private boards = new Int8Array(64 * SLOTS);
  /** Per play of a non-double, by index: its board's key, its hits and the die it began with. */
  private playKeys = new Int32Array(64);
  private playHits = new Int32Array(64);
  private playFirstDie = new Int8Array(64);
  /** Open-addressing table from play keys to play indexes; a new stamp empties it. */
  private readonly keyTableStamps = new Int32Array(KEY_TABLE_MASK + 1);
  private readonly keyTablePlays = new Int32Array(KEY_TABLE_MASK + 1);
  private keyTableStamp = 0;
  /** Bit set of the points the larger die can move from on the unplayed board (non-doubles). */
  private openingMoves = 0;
  private largerFirstDone = false;
  /** When set, the search only asks whether this many moves can be played, and stops once they can. */
  private goal = Infinity;
  private goalReached = false;
  /** Bit set of the slots a play's first move may start from. */
  private firstMoveFrom = ALL_SLOTS;
  /** When set, the search looks for the play reaching this position (with `counting`'s bookkeeping) and keeps it in `found`. */
  private wanted: Position | null = null;
  private found: Play | null = null;
  private foundIndex = -1;

  /** Whether `goal` moves can be played with these dice: a search that stops at the first such sequence. */
  reaches(start: Position, first: number, second: number, count: number, goal: number): boolean {
    this.goal = goal;
    try {
      this.run(start, first, second, count);
      return this.goalReached;
    } finally {
      this.goal = Infinity;
    }
  }

  /** The play that reaches `target`, or null: see findPlay. */
  find(start: Position, first: number, second: number, count: number, target: Position): Play | null {
    this.wanted = target;
    try {
      this.count(start, first, second, count);
      return this.found;
    } finally {
      this.wanted = null;
      this.found = null;
    }
  }

  /** Runs `search` with the first move restricted to checkers on `from`. */
  startingFrom<T>(from: number, search: () => T): T {
    this.firstMoveFrom = 1 << from;
    try {
      return search();
    } finally {
      this.firstMoveFrom = ALL_SLOTS;
    }
  }

  count(start: Position, first: number, second: number, count: number): PlayCount {
    this.counting = true;
    try {
      this.run(start, first, second, count);
    } finally {
      this.counting = false;
    }
    return { count: this.playCount, moves: this.playCount > 0 ? this.mostMoves : 0 };
  }

  run(start: Position, first: number, second: number, count: number): Play[] {
    this.reset(start);
    this.equalDice = first === second;
    if (this.equalDice) {
      this.dice = this.sameDice[count]!;
      this.dice.fill(first);
      this.search(0, BAR);
      return this.plays;
    }
    const larger = Math.max(first, second);
    const smaller = Math.min(first, second);
    this.dice = this.largerFirst;
    this.dice[0] = larger;
    this.dice[1] = smaller;
    this.search(0, BAR);
    if (this.goalReached) return this.plays;
    this.largerFirstDone = true;
    this.dice = this.smallerFirst;
    this.dice[0] = smaller;
    this.dice[1] = larger;
    this.search(0, BAR);
    return this.mostMoves === 1 ? this.keepLargerDie(larger) : this.plays;
  }

  private reset(start: Position): void {
    this.start = start;
    const { player, opponent } = start;
    let outsideHome = 0;
    let occupied = 0;
    let blocked = 0;
    let blots = 0;
    for (let slot = 0; slot < SLOTS; slot++) {
      const count = player[slot]!;
      this.board[slot] = count;
      if (slot >= 7) outsideHome += count;
      if (count > 0) occupied |= 1 << slot;
    }
    for (let point = 1; point <= 24; point++) {
      const opposing = opponent[point]!;
      if (opposing >= 2) blocked |= 1 << (25 - point);
      else if (opposing === 1) blots |= 1 << (25 - point);
    }
    this.outsideHome = outsideHome;
    // Borne-off checkers are not on a slot that can move.
    this.occupied = occupied & ~1;
    this.blocked = blocked;
    this.blots = blots;
    this.key = 0;
    this.hits = 0;
    this.mostMoves = 0;
    this.plays = [];
    this.playCount = 0;
    this.openingMoves = 0;
    this.largerFirstDone = false;
    this.keyTableStamp++;
    this.goalReached = false;
    this.found = null;
    this.foundIndex = -1;
  }

  /**
   * Depth-first over checker moves. With equal dice each move starts no higher than the one
   * before: any legal order of a double's moves can be sorted that way and stay legal, so
   * this visits every distinct play exactly once.
   */
  private search(depth: number, highestFrom: number): void {
    const die = this.dice[depth]!;
    let moved = false;
    // Checkers on the bar must enter before any other checker moves.
    let candidates = this.board[BAR]! > 0 ? 1 << BAR : this.occupied & ((2 << highestFrom) - 1);
    candidates &= ~(this.blocked << die);
    // Smaller die first, then a larger-die move that was open from the start: the other order
    // is legal too and reaches the same board, so the larger-first search already found it.
    if (depth === 1 && this.largerFirstDone) candidates &= ~this.openingMoves;
    if (depth === 0) candidates &= this.firstMoveFrom;
    const last = depth + 1 === this.dice.length;
    // Each move below changes these; they are put back rather than undone step by step.
    const { key, hits, occupied, outsideHome } = this;
    while (candidates !== 0) {
      const from = 31 - Math.clz32(candidates);
      candidates ^= 1 << from;
      const to = this.target(from, die);
      if (to < 0) continue;
      moved = true;
      if (depth === 0 && !this.largerFirstDone) this.openingMoves |= 1 << from;
      this.movesMade[depth] = this.shift(from, to);
      if (last) {
        this.record(depth + 1);
      } else {
        this.trackShift(from, to);
        this.search(depth + 1, this.equalDice ? from : BAR);
        this.occupied = occupied;
        this.outsideHome = outsideHome;
      }
      this.board[from]!++;
      this.board[to]!--;
      this.key = key;
      this.hits = hits;
      if (this.goalReached) return;
    }
    if (!moved) this.record(depth);
  }

  /** Where a checker on `from` lands with `die`, or -1 when it cannot move. */
  private target(from: number, die: number): number {
    const to = from - die;
    if (to > 0) return to;
    if (this.outsideHome > 0) return -1;
    // Bearing off with a larger die than needed only from the highest occupied point.
    if (to < 0 && (this.occupied & HOME_BOARD & ~((2 << from) - 1)) !== 0) return -1;
    return OFF;
  }

  /** Moves one checker on the scratch board, hitting a blot where it lands, and keeps the key. */
  private shift(from: number, to: number): Move {
    this.board[from]!--;
    this.board[to]!++;
    this.key = (this.key - SLOT_WEIGHTS[from]! + SLOT_WEIGHTS[to]!) | 0;
    const hit = (this.blots & ~this.hits & (1 << to)) !== 0;
    if (hit) {
      this.key = (this.key + HIT_WEIGHTS[to]!) | 0;
      this.hits |= 1 << to;
    }
    return moveOf(from, to, hit);
  }

  /** Brings the occupied points and the count outside home up to date after a shift, for the moves after it. */
  private trackShift(from: number, to: number): void {
    if (this.board[from] === 0) this.occupied ^= 1 << from;
    if (to !== OFF) this.occupied |= 1 << to;
    if (from > 6 && to <= 6) this.outsideHome--;
  }

  private record(depth: number): void {
    if (depth >= this.goal) {
      this.goalReached = true;
      return;
    }
    if (depth < this.mostMoves || depth === 0) return;
    if (depth > this.mostMoves) {
      this.mostMoves = depth;
      this.keyTableStamp++;
      this.plays = [];
      this.playCount = 0;
      this.found = null;
    }
    if (!this.equalDice) {
      if (this.isDuplicate()) return;
      this.keepPlayKey(this.playCount);
    }
    this.playCount++;
    if (this.counting) {
      if (this.wanted !== null && this.found === null) this.keepIfTarget(depth);
      return;
    }
    this.plays.push(this.playOf(depth));
  }

  /** The play of the line searched, as far as `depth`. */
  private playOf(depth: number): Play {
    const opponent = this.hits !== 0 ? this.opponentAfterHits() : this.start.opponent;
    return { moves: this.movesSoFar(depth), position: { player: this.board.slice(), opponent } };
  }

  private keepIfTarget(depth: number): void {
    const target = this.wanted!;
    if (!sidesEqual(this.board, target.player)) return;
    const play = this.playOf(depth);
    if (!sidesEqual(play.position.opponent, target.opponent)) return;
    this.found = play;
    this.foundIndex = this.playCount - 1;
  }

  private keepPlayKey(index: number): void {
    if (index === this.playKeys.length) {
      this.playKeys = grown(this.playKeys, new Int32Array(index * 2));
      this.playHits = grown(this.playHits, new Int32Array(index * 2));
      this.playFirstDie = grown(this.playFirstDie, new Int8Array(index * 2));
      this.boards = grown(this.boards, new Int8Array(index * 2 * SLOTS));
    }
    if (this.counting) this.boards.set(this.board, index * SLOTS);
    this.playKeys[index] = this.key;
    this.playHits[index] = this.hits;
    this.playFirstDie[index] = this.dice[0]!;
  }

  private opponentAfterHits(): number[] {
    const opponent = this.start.opponent.slice();
    for (let hits = this.hits; hits !== 0; hits &= hits - 1) {
      const point = 31 - Math.clz32(hits & -hits);
      opponent[25 - point] = 0;
      opponent[BAR]!++;
    }
    return opponent;
  }

  private movesSoFar(depth: number): Move[] {
    const made = this.movesMade;
    if (depth === 1) return [made[0]!];
    if (depth === 2) return [made[0]!, made[1]!];
    if (depth === 3) return [made[0]!, made[1]!, made[2]!];
    return [made[0]!, made[1]!, made[2]!, made[3]!];
  }

  /** Whether an equal board (hits included) is already among the plays. */
  private isDuplicate(): boolean {
    let slot = this.key & KEY_TABLE_MASK;
    while (this.keyTableStamps[slot] === this.keyTableStamp) {
      const index = this.keyTablePlays[slot]!;
      if (this.playKeys[index] === this.key && this.playHits[index] === this.hits && this.boardEquals(index)) return true;
      slot = (slot + 1) & KEY_TABLE_MASK;
    }
    this.keyTableStamps[slot] = this.keyTableStamp;
    this.keyTablePlays[slot] = this.playCount;
    return false;
  }

  /** Whether the scratch board is the board of the play at `index`. */
  private boardEquals(index: number): boolean {
    if (!this.counting) return sidesEqual(this.board, this.plays[index]!.position.player);
    const offset = index * SLOTS;
    for (let slot = 0; slot < SLOTS; slot++) if (this.boards[offset + slot] !== this.board[slot]) return false;
    return true;
  }

  /** With only one die playable, the larger face must be played when it can be (the count follows, for `count`). */
  private keepLargerDie(larger: number): Play[] {
    let withLarger = 0;
    for (let i = 0; i < this.playCount; i++) if (this.playFirstDie[i] === larger) withLarger++;
    if (withLarger === 0) return this.plays;
    this.playCount = withLarger;
    if (this.found !== null && this.playFirstDie[this.foundIndex] !== larger) this.found = null;
    return this.plays.filter((_, i) => this.playFirstDie[i] === larger);
  }
}

/** A typed array twice as long holding the same values first. */
function grown<T extends Int32Array | Int8Array>(values: T, larger: T): T {
  larger.set(values);
  return larger;
}

/** Bits of every slot, 0..25. */
const ALL_SLOTS = (1 << SLOTS) - 1;
/** Bits of points 1..6. */
const HOME_BOARD = 0b1111110;
/** Non-doubles have at most a few dozen distinct plays; the table stays sparse. */
const KEY_TABLE_MASK = 255;
const generator = new PlayGenerator();
