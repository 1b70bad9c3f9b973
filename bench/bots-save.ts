/**
 * A bench:bots run kept in a file (`--save PATH`): the pairs played so far, the players' timing
 * and the time spent, so a long run stopped (or killed) goes on where it left off. A pair's
 * games depend only on the seed and the pair's number, so a run played in several parts gives
 * the same figures as one played at once.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { z } from 'zod';

const SAVE_FORMAT = 'tavla-bench-bots-1';

/** What must match for a saved run to go on: the same players, games, seed and weights. */
export interface RunIdentity {
  readonly players: readonly [string, string];
  readonly games: number;
  readonly seed: number;
  /** SHA-256 of the weights file the nets play with; null when neither player uses a net. */
  readonly weightsSha256: string | null;
}

const timingSchema = z.object({
  decisions: z.number().int().min(0),
  wallMs: z.number().min(0),
  cpuMs: z.number().min(0),
  gnubgCpuMs: z.number().min(0),
});

const savedRunSchema = z.object({
  format: z.literal(SAVE_FORMAT),
  players: z.tuple([z.string(), z.string()]),
  games: z.number().int().min(2),
  seed: z.number().int().min(0),
  weightsSha256: z.string().nullable(),
  elapsedMs: z.number().min(0),
  timing: z.tuple([timingSchema, timingSchema]),
  /** [pair, the first player's points per game, games the first player won]. */
  played: z.array(z.tuple([z.number().int().min(0), z.number().min(-3).max(3), z.number().int().min(0).max(2)])),
});

export type SavedRun = z.infer<typeof savedRunSchema>;

/** The run saved at `path` if it is this one; null when there is no file yet. */
export function readSavedRun(path: string, identity: RunIdentity): SavedRun | null {
  if (!existsSync(path)) return null;
  let saved: SavedRun;
  try {
    saved = savedRunSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
  } catch (error) {
    const reason = error instanceof z.ZodError ? z.prettifyError(error) : error instanceof Error ? error.message : String(error);
    throw new SavedRunMismatch(`${path} is not a saved bench:bots run: ${reason}`);
  }
  const mismatch = mismatchOf(saved, identity);
  if (mismatch) throw new SavedRunMismatch(`${path} holds another run (${mismatch}): give the same settings or another file`);
  const pairs = Math.floor(identity.games / 2);
  const outside = saved.played.find(([pair]) => pair >= pairs);
  if (outside) throw new SavedRunMismatch(`${path} holds pair ${outside[0]}, past the run's ${pairs} pairs`);
  return saved;
}

function mismatchOf(saved: SavedRun, identity: RunIdentity): string | null {
  const differences = [
    saved.players.join(' vs ') !== identity.players.join(' vs ') ? `players ${saved.players.join(' vs ')}` : null,
    saved.games !== identity.games ? `${saved.games} games` : null,
    saved.seed !== identity.seed ? `seed ${saved.seed}` : null,
    saved.weightsSha256 !== identity.weightsSha256 ? 'other weights' : null,
  ].filter((difference) => difference !== null);
  return differences.length > 0 ? differences.join(', ') : null;
}

/** Writes the run whole or not at all: a kill while saving leaves the previous save. */
export function writeSavedRun(path: string, run: Omit<SavedRun, 'format'>): void {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify({ format: SAVE_FORMAT, ...run }));
  renameSync(temporary, path);
}

export function sha256OfFile(path: string | URL): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

export class SavedRunMismatch extends Error {}
