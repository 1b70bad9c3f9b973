import { ServerError } from '@colyseus/core';
import { TokenError, verifyAccessToken, type AccessClaims } from '../auth/tokens.js';
import { User } from '../db/entities.js';
import type { Database } from '../db/orm.js';

/**
 * The access-token check of every room that needs a player: run during the matchmaking request,
 * before a room is created or a seat reserved. The SDK rejects the join with a MatchMakeError
 * whose code is 401 and whose message starts with the reason's code (TOKEN_MISSING,
 * TOKEN_INVALID, TOKEN_EXPIRED, TOKEN_REVOKED).
 */
export async function authenticateJoin(database: Database, token: string | undefined): Promise<AccessClaims> {
  let claims: AccessClaims;
  try {
    claims = await verifyAccessToken(database.em(), token);
  } catch (error) {
    if (error instanceof TokenError) throw new ServerError(401, `${error.code}: ${error.message}`);
    throw error;
  }
  return withCurrentRating(database, claims);
}

/**
 * The token tells the rating at log-in, up to 30 minutes old; quick match pairs and seats show
 * the account's rating now. (An account gone from the database has no valid token left: only
 * guests idle for 30 days are deleted, and tokens last 30 minutes.)
 */
async function withCurrentRating(database: Database, claims: AccessClaims): Promise<AccessClaims> {
  const user = await database.em().findOne(User, claims.sub, { fields: ['rating'] });
  return user ? { ...claims, rating: Number(user.rating) } : claims;
}

/** The claims Colyseus keeps on a client that passed `authenticateJoin`. */
export function claimsOf(client: { auth?: unknown }): AccessClaims {
  return client.auth as AccessClaims;
}
