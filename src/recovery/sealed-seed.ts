import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { serverSeedCommitment } from '../engine/index.js';

/**
 * A fair-dice server seed sealed with AES-256-GCM under the deployment's dice key, so that a
 * match in progress can be resumed by another process (or after a restart) while the stored
 * seed tells nothing to whoever reads the database without the key. The commitment is the
 * additional authenticated data: a sealed seed moved to another match does not open.
 *
 * Format: `v1.<iv>.<ciphertext>.<tag>`, each part base64url (12-byte IV, 16-byte tag).
 */
const VERSION = 'v1';
const IV_BYTES = 12;
const KEY_BYTES = 32;

export class SealedSeedError extends Error {
  override readonly name = 'SealedSeedError';
}

export function sealServerSeed(key: Buffer, serverSeed: string, commitment: string): string {
  assertKey(key);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv).setAAD(Buffer.from(commitment, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(serverSeed, 'utf8'), cipher.final()]);
  return [VERSION, iv, ciphertext, cipher.getAuthTag()].map((part) => (typeof part === 'string' ? part : part.toString('base64url'))).join('.');
}

/**
 * The server seed sealed for the match committed to `commitment`. Throws a SealedSeedError when
 * the key is not the one it was sealed with (or the stored text was altered): resuming with any
 * other seed would roll dice the players were never committed to.
 */
export function unsealServerSeed(key: Buffer, sealed: string, commitment: string): string {
  assertKey(key);
  const [version, iv, ciphertext, tag, extra] = sealed.split('.');
  if (version !== VERSION || !iv || !ciphertext || !tag || extra !== undefined) throw new SealedSeedError('the stored dice seed is not in a format this server reads');
  let seed: string;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url')).setAAD(Buffer.from(commitment, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    seed = Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    throw new SealedSeedError('DICE_KEY is not the key this match\'s dice seed was sealed with (or the stored seed was altered): the match cannot be resumed with the dice it committed to');
  }
  if (serverSeedCommitment(seed) !== commitment) throw new SealedSeedError('the unsealed dice seed does not match the commitment published to the players');
  return seed;
}

function assertKey(key: Buffer): void {
  if (key.length !== KEY_BYTES) throw new SealedSeedError(`the dice key must be ${KEY_BYTES} bytes, not ${key.length}`);
}
