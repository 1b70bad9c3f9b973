/**
 * GNU Backgammon's own move generator, timed on the same positions as legalPlays: built from
 * gnubg's source by bench/gnubg-generator/build.sh (gcc, glib's headers and gnubg's source
 * package needed) into a small C program that reads the positions and prints its rate.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { BAR } from '../src/engine/position.js';
import type { BenchPosition } from './positions.js';

const BUILD_SCRIPT = new URL('./gnubg-generator/build.sh', import.meta.url).pathname;
const BUILD_DIR = join(process.cwd(), 'node_modules', '.cache', 'tavla-gnubg-generator');

const timingSchema = z.object({ positions: z.number(), plays: z.number(), positionRollsPerCpuSecond: z.number() });
export type GnubgTiming = z.infer<typeof timingSchema>;

export class GnubgGeneratorUnavailable extends Error {}

/** Builds the timing program (once; later calls reuse it) and returns its path. */
export function buildGnubgGenerator(): string {
  mkdirSync(BUILD_DIR, { recursive: true });
  try {
    const output = execFileSync('sh', [BUILD_SCRIPT, BUILD_DIR], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return output.trim().split('\n').at(-1)!;
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim() ?? String(error);
    throw new GnubgGeneratorUnavailable(
      `could not build GNU Backgammon's move generator (needs gcc, libglib2.0-dev and gnubg's source: GNUBG_SOURCE=folder, or a deb-src line for apt-get source):\n${stderr.split('\n').slice(-5).join('\n')}`,
    );
  }
}

/** Writes the positions in the program's input format; returns the file to time it on. */
export function writeGnubgPositions(positions: readonly BenchPosition[], name: string): string {
  const file = join(BUILD_DIR, `${name}.txt`);
  writeFileSync(file, positions.map(({ position }) => gnubgBoardLine(position.player, position.opponent)).join('\n') + '\n');
  return file;
}

/** gnubg's rate on the positions of `file`: the median of `rounds` rounds, in CPU time. */
export function timeGnubgGenerator(program: string, file: string, rounds: number): GnubgTiming {
  const output = execFileSync('sh', ['-c', '"$0" "$1" < "$2"', program, String(rounds), file], { encoding: 'utf8' });
  return timingSchema.parse(JSON.parse(output));
}

/** gnubg's layout: the opponent's points 1-24 and bar, then the player's (borne-off checkers are not listed). */
function gnubgBoardLine(player: readonly number[], opponent: readonly number[]): string {
  return [...opponent.slice(1, BAR + 1), ...player.slice(1, BAR + 1)].join(' ');
}
