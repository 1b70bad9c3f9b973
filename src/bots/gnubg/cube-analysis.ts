import { CHECKERS, checkersOutsideHome, encodeMatchId, OFF, positionId, type Position } from '../../engine/index.js';
import type { CubeEquities, CubeSituation } from '../cube-decisions.js';
import { newOutcome, type Outcome } from '../outcome.js';
import { runGnubgCommands } from './command-line.js';

/** A cube decision for the side on roll, before it rolls, where it may double. */
export interface CubeCase {
  /** Seen from the side on roll. */
  readonly position: Position;
  /** 0 for money play. */
  readonly matchLength: number;
  /** The side on roll's score first. */
  readonly score: readonly [number, number];
  readonly cube: number;
  readonly owner: 'centred' | 'player';
}

/**
 * Cube situations worth comparing: money; common scores of short matches (2-away/2-away,
 * 3-away/3-away, a leader doubling a trailer who redoubles at once, and the reverse); longer
 * matches where the recube stays live for several levels; post-Crawford; cubes already owned.
 */
export const COMPARED_SITUATIONS: ReadonlyArray<Omit<CubeCase, 'position'>> = [
  { matchLength: 0, score: [0, 0], cube: 1, owner: 'centred' },
  { matchLength: 0, score: [0, 0], cube: 2, owner: 'player' },
  { matchLength: 5, score: [3, 3], cube: 1, owner: 'centred' },
  { matchLength: 5, score: [2, 2], cube: 1, owner: 'centred' },
  { matchLength: 5, score: [3, 1], cube: 1, owner: 'centred' },
  { matchLength: 5, score: [1, 3], cube: 1, owner: 'centred' },
  { matchLength: 7, score: [0, 0], cube: 1, owner: 'centred' },
  { matchLength: 7, score: [2, 2], cube: 2, owner: 'player' },
  { matchLength: 9, score: [4, 0], cube: 1, owner: 'centred' },
  { matchLength: 15, score: [0, 0], cube: 1, owner: 'centred' },
  { matchLength: 15, score: [3, 5], cube: 4, owner: 'player' },
  { matchLength: 5, score: [2, 4], cube: 1, owner: 'centred' },
  { matchLength: 5, score: [1, 4], cube: 1, owner: 'centred' },
];

/**
 * Whether gnubg has the position in its two-sided bear-off database (both sides with at most six
 * checkers left, all home), where its cube uses exact cubeful equities rather than Janowski's
 * model, and its match cube an efficiency derived from them: there Tavla, which has no such
 * database, cannot give gnubg's figures.
 */
export function inGnubgTwoSidedBearoff(position: Position): boolean {
  const small = (side: readonly number[]) => checkersOutsideHome(side) === 0 && CHECKERS - side[OFF]! <= 6;
  return small(position.player) && small(position.opponent);
}

/** Every compared situation for each position. */
export function comparedCases(positions: readonly Position[]): CubeCase[] {
  return positions.flatMap((position) => COMPARED_SITUATIONS.map((situation) => ({ position, ...situation })));
}

/** GNU Backgammon's 0-ply cube analysis of a case. */
export interface GnubgCubeAnalysis {
  /** Its cubeless probabilities for the side on roll. */
  readonly outcome: Outcome;
  /** Match-winning chances in match play, points per unit of the cube in money play. */
  readonly equities: CubeEquities;
}

/**
 * The cube as Tavla's bots see it in a case: money without the Jacoby rule; in a match a
 * side at 1-away means the Crawford game is over (the cases leave the Crawford game out).
 */
export function caseSituation(cubeCase: CubeCase): CubeSituation {
  const { matchLength, score, cube, owner } = cubeCase;
  const away = matchLength - score[0];
  const opponentAway = matchLength - score[1];
  return { matchLength, away, opponentAway, postCrawford: matchLength > 0 && Math.min(away, opponentAway) === 1, cubeDead: false, value: cube, owner, jacoby: false };
}

/** gnubg's 0-ply cube analyses of the cases, through its command line, in one run. */
export function gnubgCubeAnalyses(cases: readonly CubeCase[]): GnubgCubeAnalysis[] {
  const commands = ['set evaluation cubedecision evaluation plies 0', 'set output mwc on', 'set output digits 6', 'set jacoby off'];
  for (const cubeCase of cases) commands.push(...caseCommands(cubeCase));
  const output = runGnubgCommands(commands);
  const blocks = output.split(/^Cube analysis$/m).slice(1);
  if (blocks.length !== cases.length) throw new Error(`gnubg analysed ${blocks.length} of ${cases.length} cube decisions:\n${output.slice(-2000)}`);
  return blocks.map(readAnalysis);
}

function caseCommands({ position, matchLength, score, cube, owner }: CubeCase): string[] {
  const matchId = encodeMatchId({
    cubeValue: cube,
    cubeOwner: owner === 'player' ? 0 : null,
    diceOwner: 0,
    crawford: false,
    gameState: 'playing',
    turn: 0,
    doubleOffered: false,
    resignation: 'none',
    dice: null,
    matchLength,
    score,
    jacoby: false,
  });
  return [matchLength === 0 ? 'new session' : `new match ${matchLength}`, `set matchid ${matchId}`, `set board ${positionId(position)}`, 'hint'];
}

const NUMBER = String.raw`([+-]?\d+\.\d+)`;

function readAnalysis(block: string): GnubgCubeAnalysis {
  const probabilities = new RegExp(String.raw`^\s+${NUMBER} ${NUMBER} ${NUMBER} - ${NUMBER} ${NUMBER} ${NUMBER}$`, 'm').exec(block);
  if (!probabilities) throw new Error(`no probabilities in gnubg's cube analysis:\n${block}`);
  const outcome = newOutcome();
  [1, 2, 3, 5, 6].forEach((group, index) => (outcome[index] = Number(probabilities[group])));
  const equity = (label: string): number => {
    const line = new RegExp(String.raw`^\d\. ${label}\s+${NUMBER}(%?)`, 'm').exec(block);
    if (!line) throw new Error(`no "${label}" in gnubg's cube analysis:\n${block}`);
    return line[2] === '%' ? Number(line[1]) / 100 : Number(line[1]);
  };
  return { outcome, equities: { noDouble: equity('No (?:re)?double'), doubleTake: equity('(?:Re)?[Dd]ouble, take'), doublePass: equity('(?:Re)?[Dd]ouble, pass') } };
}
