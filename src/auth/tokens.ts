import { createHash, createSecretKey, randomBytes, randomUUID } from 'node:crypto';
import { JWT } from '@colyseus/auth';
import type { EntityManager } from '@mikro-orm/sql';
import { RefreshToken, User } from '../db/entities.js';

export const ACCESS_TOKEN_SECONDS = 30 * 60;
export const REFRESH_TOKEN_SECONDS = 7 * 24 * 60 * 60;

/** What an access token says about its holder. */
export interface AccessClaims {
  /** The user id. */
  readonly sub: string;
  readonly name: string;
  readonly guest: boolean;
  readonly rating: number;
  /** The log-in (refresh-token family) it belongs to; logging out revokes it. */
  readonly sid: string;
}

export interface TokenPair {
  readonly token: string;
  readonly refreshToken: string;
  readonly expiresIn: number;
}

export class TokenError extends Error {
  override readonly name = 'TokenError';
  constructor(
    readonly code: 'TOKEN_MISSING' | 'TOKEN_INVALID' | 'TOKEN_EXPIRED' | 'TOKEN_REVOKED' | 'TOKEN_REUSED',
    message: string,
  ) {
    super(message);
  }
}

/** Signs tokens with `secret` (the same for every process of a deployment). */
export function useTokenSecret(secret: string): void {
  // A key object: given a string, jsonwebtoken first tries (and fails) to read it as a PEM key on every call.
  JWT.settings.secret = createSecretKey(Buffer.from(secret));
  JWT.settings.verify = { algorithms: ['HS256'] };
}

/** A new log-in: an access token and the first refresh token of a new family. */
export async function startSession(em: EntityManager, user: User): Promise<TokenPair> {
  return issue(em, user, randomUUID());
}

/**
 * Trades a refresh token for a new pair. Each refresh token works once: presenting a used one
 * means it was stolen or replayed, so the whole family (that log-in) is revoked.
 */
export async function refreshSession(em: EntityManager, presented: string): Promise<TokenPair> {
  const stored = await em.findOne(RefreshToken, { tokenHash: hashOf(presented) });
  if (!stored) throw new TokenError('TOKEN_INVALID', 'unknown refresh token');
  if (stored.revokedAt) throw new TokenError('TOKEN_REVOKED', 'this session has ended: log in again');
  if (stored.usedAt) return reused(em, stored.family);
  if (stored.expiresAt.getTime() <= Date.now()) throw new TokenError('TOKEN_EXPIRED', 'the refresh token has expired: log in again');
  const user = await em.findOne(User, stored.userId);
  if (!user) throw new TokenError('TOKEN_REVOKED', 'this account no longer exists');
  // Claimed in one statement, so two requests racing with the same token cannot both win.
  const claimed = await em.nativeUpdate(RefreshToken, { id: stored.id, usedAt: null, revokedAt: null }, { usedAt: new Date() });
  if (claimed === 0) return reused(em, stored.family);
  return issue(em, user, stored.family);
}

/** Ends the log-in the refresh token belongs to; its access tokens are refused from then on. */
export async function endSession(em: EntityManager, presented: string): Promise<void> {
  const stored = await em.findOne(RefreshToken, { tokenHash: hashOf(presented) });
  if (!stored) throw new TokenError('TOKEN_INVALID', 'unknown refresh token');
  await revokeFamily(em, stored.family);
}

/** Ends every log-in of the account: all its refresh tokens and access tokens are refused from then on. */
export async function endAllSessions(em: EntityManager, userId: string): Promise<void> {
  await em.nativeUpdate(RefreshToken, { userId, revokedAt: null }, { revokedAt: new Date() });
}

/** Checks signature, expiry and that the log-in has not ended; returns the claims. */
export async function verifyAccessToken(em: EntityManager, token: string | undefined | null): Promise<AccessClaims> {
  if (!token) throw new TokenError('TOKEN_MISSING', 'an access token is required: log in or play as a guest');
  const claims = await decodeAccessToken(token);
  const revoked = await em.count(RefreshToken, { family: claims.sid, revokedAt: { $ne: null } });
  if (revoked > 0) throw new TokenError('TOKEN_REVOKED', 'this session has ended: log in again');
  return claims;
}

async function decodeAccessToken(token: string): Promise<AccessClaims> {
  let payload: unknown;
  try {
    payload = await JWT.verify(token);
  } catch (error) {
    const expired = error instanceof Error && error.name === 'TokenExpiredError';
    throw expired
      ? new TokenError('TOKEN_EXPIRED', 'the access token has expired: refresh it')
      : new TokenError('TOKEN_INVALID', 'the access token is not valid');
  }
  if (!isAccessClaims(payload)) throw new TokenError('TOKEN_INVALID', 'the access token is not valid');
  return payload;
}

async function issue(em: EntityManager, user: User, family: string): Promise<TokenPair> {
  const claims: AccessClaims = { sub: user.id, name: user.name, guest: user.guest, rating: Number(user.rating), sid: family };
  const token = await JWT.sign({ ...claims }, { expiresIn: `${ACCESS_TOKEN_SECONDS}s` });
  const refreshToken = randomBytes(32).toString('base64url');
  const now = new Date();
  em.create(RefreshToken, {
    id: randomUUID(),
    userId: user.id,
    family,
    tokenHash: hashOf(refreshToken),
    createdAt: now,
    expiresAt: new Date(now.getTime() + REFRESH_TOKEN_SECONDS * 1000),
    usedAt: null,
    revokedAt: null,
  });
  await em.flush();
  return { token, refreshToken, expiresIn: ACCESS_TOKEN_SECONDS };
}

async function reused(em: EntityManager, family: string): Promise<never> {
  await revokeFamily(em, family);
  throw new TokenError('TOKEN_REUSED', 'this refresh token was already used: the session is ended, log in again');
}

async function revokeFamily(em: EntityManager, family: string): Promise<void> {
  await em.nativeUpdate(RefreshToken, { family, revokedAt: null }, { revokedAt: new Date() });
}

/** Refresh tokens are stored as SHA-256: a stolen table cannot be replayed. */
function hashOf(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function isAccessClaims(payload: unknown): payload is AccessClaims {
  if (typeof payload !== 'object' || payload === null) return false;
  const claims = payload as Record<string, unknown>;
  return (
    typeof claims.sub === 'string' &&
    typeof claims.name === 'string' &&
    typeof claims.guest === 'boolean' &&
    typeof claims.rating === 'number' &&
    typeof claims.sid === 'string'
  );
}
