import { diceToPlay, isDouble, type Dice } from './dice.js';
import { fail } from './errors.js';
import { legalPlays, playsWithDice, type Move, type Play } from './legal.js';
import { BAR, OFF, sidesEqual, type Position } from './position.js';

// Standard backgammon move notation, written the way GNU Backgammon writes it (FormatMove in
// gnubg's drawboard.c) and read the way people type it.
//
// Points are counted from the mover's own side; `bar` is 25 and `off` is 0. gnubg sorts the
// moves by from-point, highest first (then by to-point, highest first), joins the moves of one
// checker into a chain, writes an intermediate point of a chain only where the checker hit on
// it (`13/7*/5`; `24/13` otherwise), marks the first landing on each hit point with `*` and
// writes identical chains once with a count: `8/4(2)`.
//
// A roll with no legal play is written as the empty string, as gnubg's FormatMove writes it.

export function formatPlay(play: { readonly moves: readonly Move[] }): string {
  const hitPoints = hitPointsOf(play.moves);
  const starred = new Set<number>();
  return countRepeats(joinChains(play.moves, hitPoints))
    .map((chain) => formatChain(chain, hitPoints, starred))
    .join(' ');
}

/**
 * One move per die, as gnubg writes plays in .mat files (its FormatMovePlain): `25/22 13/8*`,
 * bar as 25 and off as 0, in gnubg's sorted order, `*` on the first move landing on a hit point.
 */
export function formatPlayPlain(moves: readonly Move[]): string {
  const hitPoints = hitPointsOf(moves);
  const landed = new Set<number>();
  return sortedAsGnubg(moves)
    .map(({ from, to }) => {
      const star = to !== OFF && hitPoints.has(to) && !landed.has(to) ? '*' : '';
      landed.add(to);
      return `${from}/${to}${star}`;
    })
    .join(' ');
}

function sortedAsGnubg(moves: readonly Move[]): Move[] {
  return [...moves].sort((a, b) => b.from - a.from || b.to - a.to);
}

/** The points where the play hit an opponent blot. */
function hitPointsOf(moves: readonly Move[]): Set<number> {
  return new Set(moves.filter((move) => move.hit).map((move) => move.to));
}

/** The points one checker is written to pass through, from start to end, and how many did. */
interface WrittenChain {
  readonly points: readonly number[];
  readonly count: number;
}

/** Joins each move with the later (lower) move that continues from where it ended. */
function joinChains(moves: readonly Move[], hitPoints: ReadonlySet<number>): number[][] {
  const chains: (number[] | undefined)[] = sortedAsGnubg(moves).map((move) => [move.from, move.to]);
  chains.forEach((chain, index) => {
    if (!chain) return;
    for (let next = index + 1; next < chains.length; next++) {
      const continuation = chains[next];
      if (!continuation || chain.at(-1) !== continuation[0]) continue;
      if (!hitPoints.has(continuation[0]!)) chain.pop();
      chain.push(continuation[1]!);
      chains[next] = undefined;
    }
  });
  return chains.filter((chain) => chain !== undefined);
}

function countRepeats(chains: readonly number[][]): WrittenChain[] {
  const counted: { points: number[]; count: number }[] = [];
  for (const points of chains) {
    const same = counted.find((chain) => chain.points.join('/') === points.join('/'));
    if (same) same.count++;
    else counted.push({ points, count: 1 });
  }
  return counted;
}

function formatChain(chain: WrittenChain, hitPoints: ReadonlySet<number>, starred: Set<number>): string {
  const from = chain.points[0]!;
  const to = chain.points.at(-1)!;
  let text = pointName(from);
  for (const hitOnTheWay of chain.points.slice(1, -1)) {
    text += `/${pointName(hitOnTheWay)}*`;
    starred.add(hitOnTheWay);
  }
  text += `/${pointName(to)}`;
  if (to !== OFF && hitPoints.has(to) && !starred.has(to)) {
    text += '*';
    starred.add(to);
  }
  return chain.count > 1 ? `${text}(${chain.count})` : text;
}

function pointName(point: number): string {
  if (point === BAR) return 'bar';
  if (point === OFF) return 'off';
  return String(point);
}

/* ------------------------------------------------------------------------------------------ */

/** A stretch a checker is written to move in one go: one die or several. */
interface Segment {
  readonly from: number;
  readonly to: number;
}

interface WrittenPlay {
  readonly segments: readonly Segment[];
  /** Every point a checker is written to land on, intermediate ones included; never off. */
  readonly landings: ReadonlySet<number>;
  /** Points written with `*`. */
  readonly starred: ReadonlySet<number>;
}

/**
 * The legal play that `text` denotes: one of `legalPlays(position, dice)`, the same object.
 * Accepts what formatPlay writes and the usual variants: the parts in any order, `*` left out
 * (hits follow from the board), `bar`/`25` and `off`/`0` in any case, `(n)` repeats, chains
 * such as `24/18/13`, one part spanning several dice (`24/13`), extra spaces, commas.
 * For a roll with no legal play the empty text denotes the pass: a play with no moves and the
 * position unchanged.
 * Throws INVALID_NOTATION for text it cannot read (or that fits more than one play), and
 * ILLEGAL_PLAY for a play the rules do not allow with this position and dice.
 */
export function parsePlay(text: string, position: Position, dice: Dice): Play {
  const written = readPlay(text.trim());
  const plays = legalPlays(position, dice);
  const quoted = JSON.stringify(text.trim());
  if (written.segments.length === 0) {
    if (plays.length > 0) fail('ILLEGAL_PLAY', `a play is required with ${diceName(dice)}: ${diceNeeded(plays)}`);
    return { moves: [], position };
  }
  if (plays.length === 0) {
    fail('ILLEGAL_PLAY', `${quoted} cannot be played: no checker can move with ${diceName(dice)}, the turn is a pass`);
  }
  checkWrittenPath(written, position, dice, quoted);
  const target = sideAfter(position.player, written.segments, quoted);
  const candidates = plays.filter((play) => sidesEqual(play.position.player, target));
  if (candidates.length === 0) explainIllegal(quoted, written, position, dice, target, plays);
  return pickByHits(candidates, written, position, quoted);
}

function readPlay(text: string): WrittenPlay {
  const parts = text
    .replace(/\s*\/\s*/g, '/')
    .replace(/\s+([*(])/g, '$1')
    .split(/[\s,]+/)
    .filter((part) => part !== '');
  const segments: Segment[] = [];
  const landings = new Set<number>();
  const starred = new Set<number>();
  for (const part of parts) {
    const { points, stars, count } = readPart(part, text);
    for (let repeat = 0; repeat < count; repeat++) {
      for (let index = 1; index < points.length; index++) {
        segments.push({ from: points[index - 1]!, to: points[index]! });
      }
    }
    for (const point of points.slice(1)) if (point !== OFF) landings.add(point);
    for (const point of stars) starred.add(point);
  }
  return { segments, landings, starred };
}

function readPart(part: string, text: string): { points: number[]; stars: number[]; count: number } {
  const unreadable = (why: string): never => fail('INVALID_NOTATION', `cannot read ${JSON.stringify(text)}: ${why}`);
  const repeat = /^(.*)\((\d+)\)$/.exec(part);
  const count = repeat ? Number(repeat[2]) : 1;
  if (count < 1 || count > 4) unreadable(`"${part}" repeats a move ${count} times`);
  const pieces = (repeat ? repeat[1]! : part).split('/');
  if (pieces.length < 2) unreadable(`"${part}" is not a move like 13/8`);
  const points: number[] = [];
  const stars: number[] = [];
  pieces.forEach((piece, index) => {
    const point = /^(\d{1,2}|bar|off)(\*?)$/i.exec(piece);
    if (!point) return unreadable(`"${piece}" in "${part}" is not a point`);
    const value = pointValue(point[1]!);
    if (value > BAR) unreadable(`there is no point ${value}`);
    if (index === 0 && (value === OFF || point[2])) unreadable(`"${part}" must start on a point or the bar`);
    if (index > 0 && value >= points[index - 1]!) unreadable(`"${part}" does not move towards home`);
    if (point[2]) stars.push(value);
    points.push(value);
  });
  return { points, stars, count };
}

function pointValue(name: string): number {
  const lower = name.toLowerCase();
  if (lower === 'bar') return BAR;
  if (lower === 'off') return OFF;
  return Number(name);
}

/** Rejects written steps no roll of these dice makes and stops on points the opponent holds. */
function checkWrittenPath(written: WrittenPlay, position: Position, dice: Dice, quoted: string): void {
  for (const point of written.landings) {
    if (position.opponent[25 - point]! >= 2) {
      fail('ILLEGAL_PLAY', `${quoted} lands on ${point}, which the opponent holds`);
    }
  }
  if (!segmentsFitDice(written.segments, diceToPlay(dice))) {
    fail('ILLEGAL_PLAY', `${quoted} does not match the dice ${diceName(dice)}`);
  }
}

/** Whether each segment can be given its own dice, each die used at most once. */
function segmentsFitDice(segments: readonly Segment[], dice: readonly number[]): boolean {
  if (segments.length === 0) return true;
  const [segment, ...rest] = segments;
  for (let subset = 1; subset < 1 << dice.length; subset++) {
    const chosen = dice.filter((_, index) => subset & (1 << index));
    const unused = dice.filter((_, index) => !(subset & (1 << index)));
    if (diceCover(segment!, chosen) && segmentsFitDice(rest, unused)) return true;
  }
  return false;
}

/** Bearing off, the last die may be larger than the distance left. */
function diceCover({ from, to }: Segment, dice: readonly number[]): boolean {
  const distance = from - to;
  const sum = dice.reduce((total, die) => total + die, 0);
  if (to !== OFF) return sum === distance;
  return sum >= distance && dice.some((die) => sum - die < distance);
}

function sideAfter(side: readonly number[], segments: readonly Segment[], quoted: string): number[] {
  const after = side.slice();
  for (const { from, to } of segments) {
    after[from]!--;
    after[to]!++;
  }
  const short = after.findIndex((count) => count < 0);
  if (short >= 0) {
    const there = side[short] === 0 ? 'there is no checker' : `there are only ${side[short]} checkers`;
    fail('ILLEGAL_PLAY', `${quoted} moves more checkers than there are: ${there} on ${pointName(short)}`);
  }
  return after;
}

function explainIllegal(
  quoted: string,
  written: WrittenPlay,
  position: Position,
  dice: Dice,
  target: readonly number[],
  plays: readonly Play[],
): never {
  const partial = partialPlayReaching(position, dice, target);
  if (partial && plays[0]!.moves.length === 1) {
    fail('ILLEGAL_PLAY', `${quoted} plays the smaller die: only one die can be played with ${diceName(dice)}, so it must be the larger one`);
  }
  if (partial) fail('ILLEGAL_PLAY', `${quoted} is incomplete: ${diceNeeded(plays)}`);
  if (target[BAR]! > 0 && written.segments.some((segment) => segment.from !== BAR)) {
    fail('ILLEGAL_PLAY', `${quoted} is not legal: every checker on the bar must enter first`);
  }
  fail('ILLEGAL_PLAY', `${quoted} is not a legal play for ${diceName(dice)} in this position`);
}

/** A play of fewer dice than the roll that reaches `target`, if there is one. */
function partialPlayReaching(position: Position, dice: Dice, target: readonly number[]): Play | undefined {
  const diceLists = isDouble(dice) ? [1, 2, 3].map((count) => diceToPlay(dice).slice(0, count)) : [[dice[0]], [dice[1]]];
  for (const someDice of diceLists) {
    const found = playsWithDice(position, someDice).find((play) => sidesEqual(play.position.player, target));
    if (found) return found;
  }
  return undefined;
}

function diceNeeded(plays: readonly Play[]): string {
  const needed = plays[0]!.moves.length;
  if (needed === 1) return 'one die can be played';
  if (needed === 2) return 'the play must use both dice';
  return `the play must use ${needed === 4 ? 'all four' : needed} dice`;
}

function diceName(dice: Dice): string {
  return `${dice[0]}-${dice[1]}`;
}

/**
 * Plays that reach the same board may differ in what they hit on the way. Stars must be hits;
 * beyond that prefer the play that hits on every written landing where a blot stood, then the
 * play that hits nowhere else.
 */
function pickByHits(candidates: readonly Play[], written: WrittenPlay, position: Position, quoted: string): Play {
  const withStars = candidates.filter((play) => isSubset(written.starred, hitPointsOf(play.moves)));
  if (withStars.length === 0) {
    const hitByAny = new Set(candidates.flatMap((play) => [...hitPointsOf(play.moves)]));
    const unhittable = [...written.starred].filter((point) => !hitByAny.has(point));
    const why = unhittable.length > 0 ? `there is no blot to hit on ${unhittable.join(', ')}` : 'no legal play makes all of them';
    fail('ILLEGAL_PLAY', `${quoted} marks hits that do not happen: ${why}`);
  }
  const blotLandings = new Set([...written.landings].filter((point) => position.opponent[25 - point] === 1));
  const hittingWritten = preferred(withStars, (play) => isSubset(blotLandings, hitPointsOf(play.moves)));
  const remaining = preferred(hittingWritten, (play) => isSubset(hitPointsOf(play.moves), written.landings));
  if (remaining.length > 1) {
    const choices = remaining.map((play) => `"${formatPlay(play)}"`).join(' or ');
    fail('INVALID_NOTATION', `${quoted} could mean ${choices}: write the point where the checker hits`);
  }
  return remaining[0]!;
}

function preferred(plays: readonly Play[], test: (play: Play) => boolean): readonly Play[] {
  const passing = plays.filter(test);
  return passing.length > 0 ? passing : plays;
}

function isSubset(subset: ReadonlySet<number>, set: ReadonlySet<number>): boolean {
  for (const item of subset) if (!set.has(item)) return false;
  return true;
}
