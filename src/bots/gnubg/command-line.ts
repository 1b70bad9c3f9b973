import { execFileSync } from 'node:child_process';
import { GNUBG_EXECUTABLE } from './external.js';

/**
 * Runs GNU Backgammon's command line once over `commands` (both players human, so it never
 * moves by itself) and returns everything it printed. Each evaluation here costs gnubg at
 * least 10 ms of waiting: for many positions use GnubgExternal.
 */
export function runGnubgCommands(commands: readonly string[], executable = GNUBG_EXECUTABLE): string {
  const script = ['set player 0 human', 'set player 1 human', ...commands, ''].join('\n');
  return execFileSync(executable, ['-t', '-q', '-r'], { input: script, maxBuffer: 1 << 28, timeout: 300_000 }).toString();
}

/** The plays of one `hint` answer, best first, in gnubg's notation ("13/8 6/5*"). */
export function hintedPlays(block: string): string[] {
  return [...block.matchAll(/^\s+\d+\. Cube(?:ful|less) \d-ply\s+(.+?)\s+Eq\.:/gm)].map((match) => match[1]!.trim());
}
