import { checkersOutsideHome, MAX_CUBE, pipCount, type MatchIdFields, type MatchState, type Position, type Seat } from '../engine/index.js';
import { matchEquity } from './met.js';
import { flipOutcome, isContact, LOSE_BACKGAMMON, LOSE_GAMMON, newOutcome, WIN, WIN_BACKGAMMON, WIN_GAMMON, type Outcome } from './outcome.js';

/**
 * Cube decisions from cubeless probabilities, after Rick Janowski: a cubeful equity is the
 * mix x * (equity with a perfectly live cube) + (1 - x) * (equity with a dead cube), where the
 * cube efficiency x says how close to perfectly live the cube is in this kind of position.
 * Money play uses Janowski's formulas in points (as GNU Backgammon's 0-ply cube does); match
 * play the same construction in match-winning chances from the match equity table.
 */

/** The cube as the side on roll sees it. */
export interface CubeSituation {
  /** 0 for money play. */
  readonly matchLength: number;
  /** Points each side still needs (match play). */
  readonly away: number;
  readonly opponentAway: number;
  /** The Crawford game has been played or is being played: 1-away scores are post-Crawford. */
  readonly postCrawford: boolean;
  /** No doubling at all this game: the Crawford game, or a match without the cube. */
  readonly cubeDead: boolean;
  readonly value: number;
  readonly owner: 'centred' | 'player' | 'opponent';
  readonly jacoby: boolean;
}

/**
 * The side on roll's cubeful prospects for each choice: money play in points per unit of the
 * current cube, match play in match-winning chances.
 */
export interface CubeEquities {
  readonly noDouble: number;
  readonly doubleTake: number;
  readonly doublePass: number;
}

export function cubeSituation(match: MatchState, seat: Seat): CubeSituation {
  const { matchLength, cube: cubeEnabled, jacoby } = match.settings;
  const other: Seat = seat === 0 ? 1 : 0;
  const owner = match.cube.owner === null ? 'centred' : match.cube.owner === seat ? 'player' : 'opponent';
  return {
    matchLength,
    away: matchLength - match.score[seat],
    opponentAway: matchLength - match.score[other],
    postCrawford: match.crawfordReached,
    cubeDead: !cubeEnabled || match.crawford,
    value: match.cube.value,
    owner,
    jacoby: jacoby && matchLength === 0,
  };
}

/** The cube as the side on roll (the Match ID's dice owner) sees it in a gnubg Match ID: the cube is in use. */
export function cubeSituationOfMatchId(fields: MatchIdFields): CubeSituation {
  const { matchLength, score, crawford, cubeValue, cubeOwner, diceOwner: seat } = fields;
  const other = seat === 0 ? 1 : 0;
  return {
    matchLength,
    away: matchLength - score[seat],
    opponentAway: matchLength - score[other],
    // The Crawford game comes once somebody is 1-away: from then on 1-away scores are post-Crawford.
    postCrawford: matchLength > 0 && (crawford || score.some((points) => points === matchLength - 1)),
    cubeDead: crawford,
    value: cubeValue,
    owner: cubeOwner === null ? 'centred' : cubeOwner === seat ? 'player' : 'opponent',
    jacoby: fields.jacoby && matchLength === 0,
  };
}

/**
 * How live the cube is: GNU Backgammon's defaults (0.68 in contact; 0.6 once both sides bear
 * off, its bear-off database positions; other races 0.6 to 0.7 by the pip count).
 */
export function cubeEfficiency(position: Position): number {
  if (isContact(position)) return 0.68;
  if (checkersOutsideHome(position.player) === 0 && checkersOutsideHome(position.opponent) === 0) return 0.6;
  return Math.min(0.7, Math.max(0.6, 0.55 + 0.00125 * pipCount(position.player)));
}

export function cubeEquities(outcome: Outcome, situation: CubeSituation, efficiency: number): CubeEquities {
  return situation.matchLength === 0 ? moneyEquities(outcome, situation, efficiency) : matchEquities(outcome, situation, efficiency);
}

/** Double when both answers leave the doubler better off than not doubling (so not when too good). */
export function shouldDouble(equities: CubeEquities): boolean {
  return Math.min(equities.doubleTake, equities.doublePass) > equities.noDouble;
}

/** The opponent takes when taking costs it less than dropping. */
export function shouldTake(equities: CubeEquities): boolean {
  return equities.doubleTake <= equities.doublePass;
}

/** Money play: a beaver pays when the taker is the favourite after taking (the doubler's equity below zero). */
export function shouldBeaver(equities: CubeEquities): boolean {
  return equities.doubleTake < 0;
}

// ---- money play ----

function moneyEquities(outcome: Outcome, situation: CubeSituation, x: number): CubeEquities {
  const gammonless = situation.jacoby && situation.owner === 'centred' ? withoutGammons(outcome) : outcome;
  return {
    noDouble: janowskiMoney(gammonless, situation.owner, x),
    doubleTake: 2 * janowskiMoney(outcome, 'opponent', x),
    doublePass: 1,
  };
}

function withoutGammons(outcome: Outcome): Outcome {
  return Float64Array.of(outcome[WIN]!, 0, 0, 0, 0);
}

/** Janowski's cubeful money equity for the side on roll, per unit of the cube. */
function janowskiMoney(outcome: Outcome, owner: CubeSituation['owner'], x: number): number {
  const p = outcome[WIN]!;
  const { win, loss } = averageResults(outcome);
  const dead = p * (win + loss) - loss;
  const takePoint = (loss - 0.5) / (win + loss + 0.5);
  const cashPoint = (loss + 1) / (win + loss + 0.5);
  const points: Array<readonly [number, number]> = [[0, -loss]];
  if (owner !== 'player') points.push([takePoint, -1]);
  if (owner !== 'opponent') points.push([cashPoint, 1]);
  points.push([1, win]);
  return x * interpolate(points, p) + (1 - x) * dead;
}

/** The average size of a win and of a loss in single games (1 to 3). */
function averageResults(outcome: Outcome): { win: number; loss: number } {
  const p = outcome[WIN]!;
  const win = p > 1e-7 ? 1 + (outcome[WIN_GAMMON]! + outcome[WIN_BACKGAMMON]!) / p : 1;
  const loss = p < 1 - 1e-7 ? 1 + (outcome[LOSE_GAMMON]! + outcome[LOSE_BACKGAMMON]!) / (1 - p) : 1;
  return { win, loss };
}

// ---- match play ----

function matchEquities(outcome: Outcome, situation: CubeSituation, x: number): CubeEquities {
  const { value, away, opponentAway, postCrawford } = situation;
  return {
    noDouble: matchCubeful(outcome, situation, value, situation.owner, x),
    doubleTake: matchCubeful(outcome, situation, 2 * value, 'opponent', x),
    doublePass: matchEquity(away - value, opponentAway, postCrawford),
  };
}

/** The side on roll's match-winning chances if nobody doubled again: each result at the cube's value. */
export function deadCubeMatchEquity(outcome: Outcome, situation: CubeSituation): number {
  const p = outcome[WIN]!;
  const results = matchResults(outcome, situation, situation.value);
  return p * results.win + (1 - p) * results.loss;
}

/** The match-winning chances of the side on roll with the cube at `value`, Janowski-style. */
function matchCubeful(outcome: Outcome, situation: CubeSituation, value: number, owner: CubeSituation['owner'], x: number): number {
  const p = outcome[WIN]!;
  const results = matchResults(outcome, situation, value);
  const dead = p * results.win + (1 - p) * results.loss;
  // At 2-away/2-away GNU Backgammon values the undoubled game cubeless: the first double is
  // due at once (the taker's win ends the match at once too), so waiting gains nothing.
  if (situation.away === 2 && situation.opponentAway === 2) return dead;
  const points: Array<readonly [number, number]> = [[0, results.loss]];
  const { away, opponentAway, postCrawford } = situation;
  if (owner !== 'player' && canUseCube(situation, opponentAway, value)) {
    const opponentCashes = 1 - matchCashPoint(flipOutcome(outcome, newOutcome()), opponentsView(situation), value);
    points.push([opponentCashes, matchEquity(away, opponentAway - value, postCrawford)]);
  }
  if (owner !== 'opponent' && canUseCube(situation, away, value)) {
    points.push([matchCashPoint(outcome, situation, value), matchEquity(away - value, opponentAway, postCrawford)]);
  }
  points.push([1, results.win]);
  return x * interpolate(points, p) + (1 - x) * dead;
}

/**
 * The side on roll's cash point when it doubles the cube from `value`: the winning chance above
 * which the taker should pass, as GNU Backgammon places it in match play. The taker's answer
 * counts its own redouble: while both sides still need more than twice `value`, taking gives
 * the taker a live cube, whose cash point one level up (worked out the same way, recursively)
 * bounds what the doubler keeps after the take; once either side's win at twice `value` ends the
 * match the cube after the take is dead (worth four times `value` when the taker, still needing
 * more than that, redoubles at once because the doubler's win ends the match anyway).
 */
export function matchCashPoint(outcome: Outcome, situation: CubeSituation, value: number): number {
  const { away, opponentAway, postCrawford } = situation;
  const doubled = 2 * value;
  const passed = matchEquity(away - value, opponentAway, postCrawford);
  const takerCanRedouble = opponentAway > doubled && 2 * doubled <= MAX_CUBE;
  if (!takerCanRedouble || away <= doubled) {
    const cube = takerCanRedouble ? 2 * doubled : doubled;
    const taken = matchResults(outcome, situation, cube);
    return pointOnLine(taken.loss, taken.win, passed);
  }
  const takerCashes = matchCashPoint(flipOutcome(outcome, newOutcome()), opponentsView(situation), doubled);
  const won = matchResults(outcome, situation, doubled).win;
  const passedRedouble = matchEquity(away, opponentAway - doubled, postCrawford);
  // The doubler's chances after the take run from passing the redouble, where the taker would cash, up to winning at twice `value`.
  return 1 - takerCashes * (1 - pointOnLine(passedRedouble, won, passed));
}

/** Where on the line from (0, from) to (1, to) the height is `at`, within [0, 1]. */
function pointOnLine(from: number, to: number, at: number): number {
  return to > from ? Math.min(1, Math.max(0, (at - from) / (to - from))) : 1;
}

/** The same cube situation seen by the other side. */
function opponentsView(situation: CubeSituation): CubeSituation {
  const owner = situation.owner === 'player' ? 'opponent' : situation.owner === 'opponent' ? 'player' : 'centred';
  return { ...situation, away: situation.opponentAway, opponentAway: situation.away, owner };
}

/** A side may double usefully when doubling is allowed and the current cube's win would not already end the match. */
function canUseCube(situation: CubeSituation, away: number, value: number): boolean {
  return !situation.cubeDead && away > value && 2 * value <= MAX_CUBE;
}

/** The average match-winning chances after a win and after a loss at this cube value. */
function matchResults(outcome: Outcome, situation: CubeSituation, value: number): { win: number; loss: number } {
  const { away, opponentAway, postCrawford } = situation;
  const mwc = (mine: number, theirs: number): number => matchEquity(away - mine, opponentAway - theirs, postCrawford);
  const p = outcome[WIN]!;
  const winGammon = outcome[WIN_GAMMON]!;
  const winBackgammon = outcome[WIN_BACKGAMMON]!;
  const loseGammon = outcome[LOSE_GAMMON]!;
  const loseBackgammon = outcome[LOSE_BACKGAMMON]!;
  const win =
    p > 1e-7
      ? ((p - winGammon) * mwc(value, 0) + (winGammon - winBackgammon) * mwc(2 * value, 0) + winBackgammon * mwc(3 * value, 0)) / p
      : mwc(value, 0);
  const q = 1 - p;
  const loss =
    q > 1e-7
      ? ((q - loseGammon) * mwc(0, value) + (loseGammon - loseBackgammon) * mwc(0, 2 * value) + loseBackgammon * mwc(0, 3 * value)) / q
      : mwc(0, value);
  return { win, loss };
}

/** The piecewise-linear function through `points` (sorted by their first coordinate, from 0 to 1) at p. */
function interpolate(points: ReadonlyArray<readonly [number, number]>, p: number): number {
  const kept = points.filter(([at], index) => index === 0 || index === points.length - 1 || (at > 0 && at < 1));
  kept.sort((a, b) => a[0] - b[0]);
  for (let i = 1; i < kept.length; i++) {
    const [x0, y0] = kept[i - 1]!;
    const [x1, y1] = kept[i]!;
    if (p <= x1) return x1 === x0 ? y1 : y0 + ((y1 - y0) * (p - x0)) / (x1 - x0);
  }
  return kept[kept.length - 1]![1];
}
