import type { Dice } from './dice.js';
import { EngineError, fail } from './errors.js';
import type { Move } from './legal.js';
import { formatPlayPlain, parsePlay } from './notation.js';
import { CHECKERS, OFF, startPosition, turnAround, type Position } from './position.js';
import type {
  GameEvent,
  GameOutcome,
  GameRecord,
  MatchRecord,
  ResignationKind,
  Seat,
  WinKind,
} from './record.js';

// The Jellyfish .mat text, laid out exactly as GNU Backgammon's exporter (ExportGameJF in
// gnubg's export.c) writes it, so gnubg and other programs import it. Seat 0 is the left-hand
// column. Each numbered line holds two entries, filled strictly in turn: left, right, left ...
// A play is `52: 13/8 13/11 ` (one move per die, from the mover's own side, bar 25, off 0,
// followed by a space when it has fewer than four moves); cube actions are ` Doubles => 2`,
// ` Beavers => 4`, ` Takes` and ` Drops`. After a beaver the doubler simply rolls on, as in the
// match engine's records (gnubg also lets the doubler drop a beaver; the reader accepts that). The winner's `Wins N point(s)` goes in the winner's
// column. Money sessions are headed ` 0 point match`. gnubg starts the text with its optional
// `; [Event ...]` lines and an empty line; with no such lines the text starts with the empty
// line. Like gnubg, the exporter never adds "and the match"; the reader accepts it.

const NAME_COLUMN_WIDTH = 31;
const LEFT_ENTRY_WIDTH = 27;
/** A left-hand entry takes "nnn) " + 27 characters + " "; the right-hand column starts after it. */
const RIGHT_COLUMN = 5 + LEFT_ENTRY_WIDTH + 1;
/** gnubg writes `Wins` one character into the column, after the space that leads cube entries. */
const WINS_IN_LEFT_COLUMN = ' '.repeat(6);
const WINS_IN_RIGHT_COLUMN = ' '.repeat(RIGHT_COLUMN + 1);
/** A left-hand " Drops" starts after "nnn) "; this many spaces bring its `Wins` to the right-hand column. */
const DROPS_TO_RIGHT_COLUMN = ' '.repeat(WINS_IN_RIGHT_COLUMN.length - 5 - ' Drops'.length);

const MULTIPLE: Readonly<Record<WinKind, number>> = { single: 1, gammon: 2, backgammon: 3 };

/**
 * The match as gnubg would export it. Names are written with ':' as '_' and runs of white
 * space as one space, which the score line needs. Offers of resignation that were rejected
 * do not appear (the format has no place for them); an unfinished game's last line is ended.
 */
export function exportMat(record: MatchRecord): string {
  const names = record.players.map(matName);
  let text = `\n ${record.matchLength} point match\n\n`;
  record.games.forEach((game, index) => {
    text += ` Game ${index + 1}\n`;
    text += ` ${`${names[0]} : ${game.score[0]}`.padEnd(NAME_COLUMN_WIDTH)}${names[1]} : ${game.score[1]}\n`;
    text += gameLines(game);
  });
  return text;
}

/** The score line ends a name at ':' and cannot hold a line break. */
function matName(name: string): string {
  return name.trim().replace(/:/g, '_').replace(/\s+/g, ' ');
}

function gameLines(game: GameRecord): string {
  const writer = new ColumnWriter();
  let pendingBeaver = false;
  let pendingResignation: { seat: Seat; kind: ResignationKind } | undefined;
  let cube = 1;
  let offeredCube = 1;
  for (const event of game.events) {
    switch (event.type) {
      case 'play':
        if (writer.isEmpty && event.seat === 1) writer.entry('');
        writer.entry(playEntry(event.dice, event.moves));
        pendingBeaver = false;
        break;
      case 'double':
        offeredCube = event.cube;
        pendingBeaver = false;
        writer.entry(` Doubles => ${event.cube}`);
        break;
      case 'beaver':
        offeredCube = event.cube;
        pendingBeaver = true;
        writer.entry(` Beavers => ${event.cube}`);
        break;
      case 'take':
        // A beaver needs no take; gnubg writes none.
        if (!pendingBeaver) writer.entry(' Takes');
        pendingBeaver = false;
        cube = offeredCube;
        break;
      case 'drop':
        writer.drop(game.outcome?.points ?? offeredCube / 2);
        break;
      case 'resign':
        pendingResignation = { seat: event.seat, kind: event.kind };
        break;
      case 'reject':
        pendingResignation = undefined;
        break;
      case 'accept':
        if (pendingResignation) {
          const points = game.outcome?.points ?? MULTIPLE[pendingResignation.kind] * cube;
          writer.resignation(pendingResignation.seat, points);
        }
        break;
    }
  }
  if (game.outcome?.by === 'bearoff') writer.bearOffWin(game.outcome.points);
  return writer.finish();
}

function playEntry(dice: Dice, moves: readonly Move[]): string {
  // gnubg's FormatMovePlain leaves a space after each of the first three moves.
  const trailingSpace = moves.length > 0 && moves.length < 4 ? ' ' : '';
  return `${dice[0]}${dice[1]}: ${formatPlayPlain(moves)}${trailingSpace}`;
}

function winsText(points: number): string {
  return `Wins ${points} point${points === 1 ? '' : 's'}`;
}

/** gnubg's layout: entries alternate between the columns, whoever made them. */
class ColumnWriter {
  private text = '';
  /** Entries written so far: even means the next one goes in the left-hand column. */
  private slot = 0;

  get isEmpty(): boolean {
    return this.slot === 0;
  }

  private get inRightColumn(): boolean {
    return this.slot % 2 === 1;
  }

  entry(content: string): void {
    if (this.inRightColumn) this.text += `${content}\n`;
    else this.text += `${String(this.slot / 2 + 1).padStart(3)}) ${content.padEnd(LEFT_ENTRY_WIDTH)} `;
    this.slot++;
  }

  drop(points: number): void {
    const droppedOnLeft = !this.inRightColumn;
    const toWinnersColumn = droppedOnLeft ? DROPS_TO_RIGHT_COLUMN : `\n${WINS_IN_LEFT_COLUMN}`;
    this.entry(` Drops${toWinnersColumn}${winsText(points)}`);
    this.text += droppedOnLeft ? '\n\n' : '\n';
  }

  resignation(resigner: Seat, points: number): void {
    if (resigner === 1) this.text += `${this.inRightColumn ? '\n' : ''}${WINS_IN_LEFT_COLUMN}`;
    else this.text += this.inRightColumn ? ' ' : WINS_IN_RIGHT_COLUMN;
    this.text += `${winsText(points)}\n\n`;
    this.slot++;
  }

  /** After the last play: its column is the winner's. */
  bearOffWin(points: number): void {
    const wonOnLeft = this.inRightColumn;
    this.text += `${wonOnLeft ? `\n${WINS_IN_LEFT_COLUMN}` : WINS_IN_RIGHT_COLUMN}${winsText(points)}\n\n`;
  }

  /** gnubg leaves an unfinished game's last line open; this ends it so the next game starts cleanly. */
  finish(): string {
    return this.text.endsWith('\n') || this.text === '' ? this.text : `${this.text}\n`;
  }
}

/* ------------------------------------------------------------------------------------------ */

interface Line {
  /** 1-based, for messages. */
  readonly number: number;
  readonly text: string;
}

type Entry =
  | { readonly kind: 'roll'; readonly dice: Dice; readonly moves: string }
  | { readonly kind: 'double' | 'beaver'; readonly cube: number | undefined }
  | { readonly kind: 'take' | 'drop' }
  | { readonly kind: 'wins'; readonly points: number };

/** A single entry starting left of this column is in the left-hand column. */
const RIGHT_COLUMN_FROM = 20;
const MATCH_HEADER = /^\s*(\d+)\s+point\s+match\s*$/i;
const GAME_HEADER = /^\s*game\s+(\d+)\s*$/i;
const SCORE_LINE = /^\s*(.+?)\s*:\s*(\d+)\s+(.+?)\s*:\s*(\d+)\s*$/;

/**
 * Reads .mat text back into a match record. Every game is replayed from the starting position:
 * each play must be legal for its roll (its Move values, hit flags included, come from the
 * engine), turns must alternate, cube actions must fit the cube, the scores must follow from
 * the previous games (in matches), and a result must agree with the board or the cube.
 * The Crawford game is the first game in which exactly one player is one point from winning,
 * as gnubg assumes. Throws INVALID_MAT naming the offending line.
 */
export function parseMat(text: string): MatchRecord {
  const lines = meaningfulLines(text);
  const header = lines[0];
  const length = header && MATCH_HEADER.exec(header.text);
  if (!length) failAt(header, 'a .mat file starts with a line such as " 7 point match"');
  const matchLength = Number(length[1]);
  const match = new MatchReader(matchLength);
  let index = 1;
  while (index < lines.length) {
    const next = lines.slice(index + 2).findIndex((line) => GAME_HEADER.test(line.text));
    const end = next < 0 ? lines.length : index + 2 + next;
    match.readGame(lines[index]!, lines[index + 1], lines.slice(index + 2, end));
    index = end;
  }
  return match.record();
}

function meaningfulLines(text: string): Line[] {
  return text
    .split(/\r\n|\r|\n/)
    .map((line, index) => ({ number: index + 1, text: line }))
    .filter((line) => line.text.trim() !== '' && !/^\s*[;#]/.test(line.text));
}

function failAt(line: Line | undefined, message: string): never {
  const where = line ? `line ${line.number} ${JSON.stringify(line.text.trim())}` : 'end of text';
  fail('INVALID_MAT', `${where}: ${message}`);
}

/** Runs `action`, turning any engine error into INVALID_MAT about `line`. */
function atLine<T>(line: Line, action: () => T): T {
  try {
    return action();
  } catch (error) {
    if (error instanceof EngineError) failAt(line, error.message);
    throw error;
  }
}

class MatchReader {
  private players: readonly [string, string] | undefined;
  private readonly games: GameRecord[] = [];
  private crawfordPlayed = false;

  constructor(private readonly matchLength: number) {}

  readGame(header: Line, scoreLine: Line | undefined, entryLines: readonly Line[]): void {
    const number = GAME_HEADER.exec(header.text);
    if (!number) failAt(header, 'expected a game header such as " Game 1"');
    if (Number(number[1]) !== this.games.length + 1) failAt(header, `expected game ${this.games.length + 1}`);
    const scores = scoreLine && SCORE_LINE.exec(scoreLine.text);
    if (!scores) failAt(scoreLine, 'expected the players and scores, such as " alice : 0      bob : 0"');
    const score: [number, number] = [Number(scores[2]), Number(scores[4])];
    atLine(scoreLine!, () => {
      this.checkPlayers(scores[1]!, scores[3]!);
      this.checkScore(score);
    });
    const game = new GameReader(this.players!, this.matchLength, this.isCrawford(score));
    for (const line of entryLines) {
      for (const { seat, entry } of atLine(line, () => entriesOf(line.text))) atLine(line, () => game.read(seat, entry));
    }
    this.games.push(game.record(score));
  }

  record(): MatchRecord {
    if (!this.players) fail('INVALID_MAT', 'the text holds no game');
    return { players: this.players, matchLength: this.matchLength, games: this.games };
  }

  private checkPlayers(left: string, right: string): void {
    this.players ??= [left, right];
    if (this.players[0] !== left || this.players[1] !== right) {
      fail('INVALID_MAT', `the players were ${this.players.join(' and ')} in game 1`);
    }
  }

  private checkScore(score: readonly [number, number]): void {
    if (this.matchLength === 0) return;
    if (score.some((points) => points >= this.matchLength)) fail('INVALID_MAT', 'the match was already won');
    const previous = this.games.at(-1);
    if (!previous) return;
    const expected = scoreAfter(previous);
    if (score[0] !== expected[0] || score[1] !== expected[1]) {
      fail('INVALID_MAT', `the previous game leaves the score at ${expected[0]}-${expected[1]}`);
    }
  }

  private isCrawford([left, right]: readonly [number, number]): boolean {
    const crawford =
      this.matchLength > 0 && !this.crawfordPlayed && (left === this.matchLength - 1) !== (right === this.matchLength - 1);
    if (crawford) this.crawfordPlayed = true;
    return crawford;
  }
}

function scoreAfter(game: GameRecord): [number, number] {
  const score: [number, number] = [game.score[0], game.score[1]];
  if (game.outcome) score[game.outcome.winner] += game.outcome.points;
  return score;
}

/** The entries of one line and their columns. */
function entriesOf(line: string): { seat: Seat; entry: Entry }[] {
  // Blank out the line number so that token positions still tell the columns apart.
  const unnumbered = line.replace(/^\s*\d+\)/, (number) => ' '.repeat(number.length));
  const groups = groupTokens(unnumbered);
  if (groups.length > 2) fail('INVALID_MAT', 'a line holds at most two entries');
  const firstSeat: Seat = groups.length === 1 && groups[0]!.start >= RIGHT_COLUMN_FROM ? 1 : 0;
  if (groups.length === 2 && groups[0]!.start >= RIGHT_COLUMN_FROM) fail('INVALID_MAT', 'the left-hand column is empty');
  return groups.map((group, index) => ({ seat: (firstSeat + index) as Seat, entry: entryFrom(group.tokens) }));
}

interface TokenGroup {
  readonly start: number;
  readonly tokens: string[];
}

const ENTRY_START = /^([1-6][1-6]:|doubles?$|beavers?$|takes?$|drops?$|wins?$)/i;

function groupTokens(text: string): TokenGroup[] {
  const groups: TokenGroup[] = [];
  for (const token of text.matchAll(/\S+/g)) {
    if (ENTRY_START.test(token[0])) groups.push({ start: token.index, tokens: [token[0]] });
    else if (groups.length > 0) groups.at(-1)!.tokens.push(token[0]);
    else fail('INVALID_MAT', `"${token[0]}" is not a roll, a cube action or a result`);
  }
  return groups;
}

function entryFrom(tokens: readonly string[]): Entry {
  const [first, ...rest] = tokens as [string, ...string[]];
  const roll = /^([1-6])([1-6]):(.*)$/.exec(first);
  if (roll) return { kind: 'roll', dice: [Number(roll[1]), Number(roll[2])], moves: [roll[3], ...rest].join(' ').trim() };
  const word = first.toLowerCase();
  if (word.startsWith('double') || word.startsWith('beaver')) {
    return { kind: word.startsWith('double') ? 'double' : 'beaver', cube: cubeValue(first, rest) };
  }
  if (word.startsWith('win')) return { kind: 'wins', points: pointsWon(tokens) };
  if (rest.length > 0) fail('INVALID_MAT', `unexpected "${rest.join(' ')}" after "${first}"`);
  return { kind: word.startsWith('take') ? 'take' : 'drop' };
}

function cubeValue(action: string, rest: readonly string[]): number | undefined {
  if (rest.length === 0) return undefined;
  if (rest.length === 2 && rest[0] === '=>' && /^\d+$/.test(rest[1]!)) return Number(rest[1]);
  return fail('INVALID_MAT', `expected "${action} => n", not "${[action, ...rest].join(' ')}"`);
}

function pointsWon(tokens: readonly string[]): number {
  const text = tokens.join(' ');
  const wins = /^wins? (\d+) points?( and the match)?$/i.exec(text);
  if (!wins || Number(wins[1]) < 1) fail('INVALID_MAT', `expected "Wins n point(s)", not "${text}"`);
  return Number(wins[1]);
}

interface CubeOffer {
  readonly by: Seat;
  readonly cube: number;
  readonly beaver: boolean;
}

/** Replays one game entry by entry and checks each against the rules. */
class GameReader {
  private position: Position = startPosition();
  private onRoll: Seat | undefined;
  private cube = 1;
  private cubeOwner: Seat | undefined;
  private offer: CubeOffer | undefined;
  private readonly events: GameEvent[] = [];
  private outcome: GameOutcome | undefined;
  private resultWritten = false;

  constructor(
    private readonly players: readonly [string, string],
    private readonly matchLength: number,
    private readonly crawford: boolean,
  ) {}

  read(seat: Seat, entry: Entry): void {
    if (entry.kind === 'wins') return this.wins(seat, entry.points);
    if (this.outcome) fail('INVALID_MAT', 'the game is already over');
    switch (entry.kind) {
      case 'roll':
        return this.roll(seat, entry.dice, entry.moves);
      case 'double':
        return this.double(seat, entry.cube);
      case 'beaver':
        return this.beaver(seat, entry.cube);
      case 'take':
        return this.take(seat);
      case 'drop':
        return this.drop(seat);
    }
  }

  record(score: readonly [number, number]): GameRecord {
    return { score: [score[0], score[1]], crawford: this.crawford, events: this.events, outcome: this.outcome ?? null };
  }

  private roll(seat: Seat, dice: Dice, moves: string): void {
    if (this.offer?.beaver && this.offer.by !== seat) this.settleBeaver(this.offer);
    if (this.offer) fail('INVALID_MAT', `${this.players[seat]} rolls while a double waits for an answer`);
    if (this.onRoll !== undefined && seat !== this.onRoll) fail('INVALID_MAT', `it is ${this.players[this.onRoll]}'s turn`);
    const play = parsePlay(moves, this.position, dice);
    this.events.push({ type: 'play', seat, dice, moves: play.moves });
    if (play.position.player[OFF] === CHECKERS) this.outcome = bearOffOutcome(seat, play.position, this.cube);
    this.position = turnAround(play.position);
    this.onRoll = otherSeat(seat);
  }

  private double(seat: Seat, cube: number | undefined): void {
    if (this.offer) fail('INVALID_MAT', 'a double already waits for an answer');
    if (seat !== this.onRoll) fail('INVALID_MAT', `only the player about to roll may double, not ${this.players[seat]}`);
    if (this.crawford) fail('INVALID_MAT', 'there is no doubling in the Crawford game');
    if (this.cubeOwner !== undefined && this.cubeOwner !== seat) fail('INVALID_MAT', `${this.players[seat]} does not own the cube`);
    this.offer = { by: seat, cube: this.doubledCube(this.cube, cube), beaver: false };
    this.events.push({ type: 'double', seat, cube: this.offer.cube });
  }

  private beaver(seat: Seat, cube: number | undefined): void {
    const offer = this.offer;
    if (!offer || offer.beaver || offer.by === seat) fail('INVALID_MAT', 'a beaver answers the opponent\'s double');
    if (this.matchLength > 0) fail('INVALID_MAT', 'beavers belong to money play');
    this.offer = { by: seat, cube: this.doubledCube(offer.cube, cube), beaver: true };
    this.events.push({ type: 'beaver', seat, cube: this.offer.cube });
  }

  private doubledCube(from: number, written: number | undefined): number {
    if (written !== undefined && written !== from * 2) fail('INVALID_MAT', `the cube is at ${from}, so it goes to ${from * 2}, not ${written}`);
    return from * 2;
  }

  private take(seat: Seat): void {
    const offer = this.answeredOffer(seat);
    this.events.push({ type: 'take', seat });
    this.cube = offer.cube;
    // Whoever beavers keeps the cube.
    this.cubeOwner = offer.beaver ? offer.by : seat;
  }

  /** The doubler rolls on after a beaver: the beaver stands, with no event of its own. */
  private settleBeaver(offer: CubeOffer): void {
    this.offer = undefined;
    this.cube = offer.cube;
    this.cubeOwner = offer.by;
  }

  private drop(seat: Seat): void {
    const offer = this.answeredOffer(seat);
    this.events.push({ type: 'drop', seat });
    this.outcome = { winner: offer.by, points: offer.cube / 2, kind: 'single', by: 'drop' };
  }

  private answeredOffer(seat: Seat): CubeOffer {
    const offer = this.offer;
    if (!offer || offer.by === seat) fail('INVALID_MAT', `there is no double for ${this.players[seat]} to answer`);
    this.offer = undefined;
    return offer;
  }

  /** A result after a drop or the last checker borne off confirms it; otherwise the loser resigned. */
  private wins(seat: Seat, points: number): void {
    if (this.resultWritten) fail('INVALID_MAT', 'the result is already written');
    this.resultWritten = true;
    if (this.outcome) return this.confirmResult(seat, points);
    const kind = resignationKind(points, this.cube);
    this.events.push({ type: 'resign', seat: otherSeat(seat), kind }, { type: 'accept', seat });
    this.outcome = { winner: seat, points, kind, by: 'resignation' };
  }

  private confirmResult(seat: Seat, points: number): void {
    const outcome = this.outcome!;
    if (seat !== outcome.winner) fail('INVALID_MAT', `${this.players[outcome.winner]} won this game, not ${this.players[seat]}`);
    // Under the Jacoby rule a gammon or backgammon with the cube centred scores single.
    const allowed = outcome.by === 'bearoff' && points % this.cube === 0 && points / this.cube <= MULTIPLE[outcome.kind];
    if (points !== outcome.points && !allowed) fail('INVALID_MAT', `the game was worth ${outcome.points}, not ${points}`);
    this.outcome = { ...outcome, points };
  }
}

function otherSeat(seat: Seat): Seat {
  return seat === 0 ? 1 : 0;
}

function bearOffOutcome(winner: Seat, after: Position, cube: number): GameOutcome {
  const kind = winKind(after.opponent);
  return { winner, points: MULTIPLE[kind] * cube, kind, by: 'bearoff' };
}

/** Gammon: the loser bore off nothing; backgammon: and still has a checker on the bar or in the winner's home. */
function winKind(loser: readonly number[]): WinKind {
  if (loser[OFF]! > 0) return 'single';
  return loser.slice(19).some((count) => count > 0) ? 'backgammon' : 'gammon';
}

function resignationKind(points: number, cube: number): ResignationKind {
  const kind = (['single', 'gammon', 'backgammon'] as const).find((candidate) => MULTIPLE[candidate] * cube === points);
  if (!kind) fail('INVALID_MAT', `a resignation wins 1, 2 or 3 times the cube of ${cube}, not ${points}`);
  return kind;
}
