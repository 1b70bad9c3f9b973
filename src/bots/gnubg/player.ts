import { BAR, OFF, positionsEqual, type Dice, type Play, type Position } from '../../engine/index.js';
import { GnubgExternal, type GnubgExternalOptions } from './external.js';

/** gnubg's own 0-ply evaluation choosing cubeless money plays, gammons counting. */
const ZERO_PLY_CUBELESS = [
  'set threads 1',
  'set jacoby off',
  'set evaluation chequerplay evaluation plies 0',
  'set evaluation chequerplay evaluation cubeful off',
  'set evaluation chequerplay evaluation prune off',
  'set evaluation chequerplay evaluation deterministic on',
  'set evaluation chequerplay evaluation noise 0',
];

/**
 * GNU Backgammon at 0-ply as a player: for a position and roll it names gnubg's play, as the
 * index of the same play among ours. One gnubg process per player, kept for its whole life.
 */
export class GnubgPlayer {
  private constructor(private readonly external: GnubgExternal) {}

  /** Throws GnubgUnavailable when gnubg is not installed or does not start. */
  static start(options: GnubgExternalOptions = {}): GnubgPlayer {
    return new GnubgPlayer(GnubgExternal.start(ZERO_PLY_CUBELESS, options));
  }

  /** gnubg's play for the side on roll, as an index into `plays` (this position's legal plays for `dice`); -1 when there are none. */
  choose(position: Position, plays: readonly Play[], dice: Dice): number {
    if (plays.length <= 1) return plays.length - 1;
    const answer = this.external.ask(fibsBoard(position, dice));
    const after = positionAfterSteps(position, gnubgSteps(answer));
    const index = plays.findIndex((play) => positionsEqual(play.position, after));
    if (index < 0) throw new Error(`gnubg played "${answer.trim()}" with ${dice.join('-')}, which is none of our ${plays.length} legal plays`);
    return index;
  }

  /** CPU time gnubg's process has used, in milliseconds. */
  cpuMs(): number {
    return this.external.cpuMs();
  }

  close(): void {
    this.external.close();
  }
}

/**
 * The position in FIBS's board format, which gnubg's external interface reads: the side on
 * roll is "You", plays X (positive counts) from its 24-point towards its 1-point, and has
 * rolled `dice`; money play (match length 9999), centred cube.
 */
export function fibsBoard(position: Position, dice: Dice): string {
  const { player, opponent } = position;
  const points = [-opponent[BAR]!];
  for (let point = 1; point <= 24; point++) points.push(player[point]! - opponent[25 - point]!);
  points.push(player[BAR]!);
  const state = [1, dice[0], dice[1], 0, 0, 1, 1, 1, 0, 1, -1, 0, 25, player[OFF]!, opponent[OFF]!, player[BAR]!, opponent[BAR]!, 0, 0, 0, 0];
  return ['board', 'You', 'Gnubg', 9999, 0, 0, ...points, ...state].join(':');
}

/** gnubg's plain move text ("bar/22 13/11", 25 and 0 for the bar and off) as single-die steps. */
export function gnubgSteps(answer: string): Array<readonly [number, number]> {
  const text = answer.trim();
  if (!/^(\d+\/\d+\*?\s*)+$/.test(text)) throw new Error(`gnubg answered "${text}", not a play`);
  return text.split(/\s+/).map((step) => {
    const [from, to] = step.replace('*', '').split('/').map(Number) as [number, number];
    return [from, to] as const;
  });
}

/** The board after moving checkers step by step, hitting blots landed on. */
export function positionAfterSteps(position: Position, steps: ReadonlyArray<readonly [number, number]>): Position {
  const player = position.player.slice();
  const opponent = position.opponent.slice();
  for (const [from, to] of steps) {
    if (!(player[from]! > 0)) throw new Error(`no checker to move from ${from}`);
    player[from]!--;
    player[to]!++;
    if (to !== OFF && opponent[25 - to] === 1) {
      opponent[25 - to] = 0;
      opponent[BAR]!++;
    }
  }
  return { player, opponent };
}
