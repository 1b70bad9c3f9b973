import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config.js';
import { IN_MEMORY } from '../db/orm.js';

/** The secrets a deployment's processes share, each given in the environment or kept in the data folder. */
export interface DeploymentSecrets {
  /** Signs access tokens. */
  readonly jwtSecret: string;
  /** Seals the fair-dice seeds of matches in progress (32 bytes, AES-256-GCM). */
  readonly diceKey: Buffer;
  /** Where the secrets the environment did not give live: outliving restarts in the data folder, or this process only. */
  readonly kept: 'environment' | 'data folder' | 'this process';
}

/** The files in the embedded database's data folder that keep generated secrets. */
export const SECRET_FILES = { jwtSecret: 'tavla-jwt-secret', diceKey: 'tavla-dice-key' } as const;

const SECRET_BYTES = 32;

/**
 * JWT_SECRET and DICE_KEY as configured; where one is not (outside production), the one kept in
 * the embedded database's data folder, generated there on first start, so that tokens and
 * matches in progress outlive a restart. With PostgreSQL or an in-memory database there is no
 * such folder: a missing secret is random for this process, as it dies with it anyway.
 */
export function loadDeploymentSecrets(config: Pick<Config, 'jwtSecret' | 'diceKey' | 'database'>): DeploymentSecrets {
  const folder = config.database.kind === 'pglite' && config.database.dataDir !== IN_MEMORY ? config.database.dataDir : null;
  const keep = (file: string) => (folder ? keptSecret(folder, file) : randomBytes(SECRET_BYTES).toString('hex'));
  const jwtSecret = config.jwtSecret ?? keep(SECRET_FILES.jwtSecret);
  const diceKey = Buffer.from(config.diceKey ?? keep(SECRET_FILES.diceKey), 'hex');
  const fromEnvironment = config.jwtSecret !== null && config.diceKey !== null;
  return { jwtSecret, diceKey, kept: fromEnvironment ? 'environment' : folder ? 'data folder' : 'this process' };
}

/** The secret in `folder/file`, made (readable by this user only) when there is none. */
function keptSecret(folder: string, file: string): string {
  const path = join(folder, file);
  const existing = readIfPresent(path);
  if (existing !== null) {
    if (!/^[0-9a-f]{64}$/.test(existing)) throw new Error(`${path} does not hold a secret of 64 hexadecimal digits: restore it, or delete it to generate a new one`);
    return existing;
  }
  mkdirSync(folder, { recursive: true });
  const secret = randomBytes(SECRET_BYTES).toString('hex');
  // 'wx': two processes starting at once on one folder cannot both write one.
  try {
    writeFileSync(path, `${secret}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return keptSecret(folder, file);
    throw error;
  }
  return secret;
}

function readIfPresent(path: string): string | null {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}
