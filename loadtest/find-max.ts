import type { RoomKind } from './generator.js';
import type { Options } from './options.js';
import { openFilesProblem } from './open-files.js';
import { Phase, type LoadedServers, type PhaseResult, type StopSignal } from './phase.js';

/**
 * Doubles the matches from --matches up to --max-matches, a measurement each, against the same
 * servers, until one is not held (an error, the p99 above the limit, or not every match
 * running), or until the next step's sockets would not fit under the open-file limit. Returns
 * the last step that was held and the one that broke.
 */
export async function findMax(options: Options, room: RoomKind, servers: LoadedServers, stop: StopSignal): Promise<{ result: PhaseResult | null; broke: PhaseResult | null }> {
  let held: PhaseResult | null = null;
  for (let matches = options.matches; matches <= options.maxMatches && !stop.reason; matches *= 2) {
    const problem = openFilesProblem(matches, options.workers, options.spawnServer ? servers.processes : null);
    if (problem) {
      console.log(`find-max stops before ${matches} matches: ${problem}`);
      break;
    }
    console.log('');
    console.log(`--- find-max: ${matches} matches ---`);
    const result = await new Phase(options, room, matches, servers).run(stop);
    if (!result.held) return { result: held, broke: result };
    held = result;
  }
  return { result: held, broke: null };
}
