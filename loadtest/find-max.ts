import type { RoomKind } from './generator.js';
import type { Options } from './options.js';
import { mostMatchesThatFit, openFilesProblem } from './open-files.js';
import { openFileLimit } from '../src/open-files.js';
import { Phase, type LoadedServers, type PhaseResult, type StopSignal } from './phase.js';

/**
 * The match counts find-max measures: from `start` (or `cap`, if lower), doubling while steps
 * hold and the next stays within `cap`, or halving while they break until one holds; then
 * `refine` steps that halve the gap between the most held and the fewest broken (when doubling
 * stopped at the cap with nothing broken, the first of them is the cap itself).
 */
export class MatchSearch {
  private held: number | null = null;
  private broke: number | null = null;
  private refinesLeft: number;

  constructor(
    private readonly start: number,
    private readonly cap: number,
    refine: number,
  ) {
    this.refinesLeft = refine;
  }

  /** The next count to measure, or null when the search is done. */
  next(): number | null {
    if (this.held === null && this.broke === null) return this.cap >= 1 ? Math.min(this.start, this.cap) : null;
    if (this.held === null) return this.broke! > 1 ? Math.floor(this.broke! / 2) : null;
    if (this.broke === null && this.held * 2 <= this.cap) return this.held * 2;
    if (this.refinesLeft === 0) return null;
    const upper = this.broke ?? this.cap + 1;
    const next = this.broke === null ? this.cap : Math.round((this.held + upper) / 2);
    return next > this.held && next < upper ? next : null;
  }

  record(matches: number, held: boolean): void {
    if (this.refining()) this.refinesLeft--;
    if (held) this.held = matches;
    else this.broke = matches;
  }

  private refining(): boolean {
    return this.held !== null && (this.broke !== null || this.held * 2 > this.cap);
  }
}

/**
 * Measures the counts of a MatchSearch from --matches, with --refine steps, capped by
 * --max-matches and by the sockets that fit under the open-file limit, against the same servers.
 * Held: every match ran, no error, and the p99 within the limit. Returns the step that held with
 * the most matches and the step that broke with the fewest.
 */
export async function findMax(options: Options, room: RoomKind, servers: LoadedServers, stop: StopSignal): Promise<{ result: PhaseResult | null; broke: PhaseResult | null }> {
  const cap = capOf(options, servers);
  const search = new MatchSearch(options.matches, cap, options.refine);
  let held: PhaseResult | null = null;
  let broke: PhaseResult | null = null;
  for (let matches = search.next(); matches !== null && !stop.reason; matches = search.next()) {
    console.log('');
    console.log(`--- find-max: ${matches} matches ---`);
    const result = await new Phase(options, room, matches, servers).run(stop);
    search.record(matches, result.held);
    if (result.held) held = result;
    else broke = result;
  }
  return { result: held, broke };
}

function capOf(options: Options, servers: LoadedServers): number {
  const serverProcesses = options.spawnServer ? servers.processes : null;
  const limit = openFileLimit();
  const fit = limit === null ? Number.POSITIVE_INFINITY : mostMatchesThatFit(limit, options.workers, serverProcesses);
  if (fit < options.maxMatches) {
    console.log(`find-max goes up to ${fit} matches: ${openFilesProblem(fit + 1, options.workers, serverProcesses, limit)}`);
  }
  return Math.min(options.maxMatches, fit);
}
