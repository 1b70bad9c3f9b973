import { ServerError } from '@colyseus/core';
import { TokenError, verifyAccessToken, type AccessClaims } from '../auth/tokens.js';
import type { Database } from '../db/orm.js';

/**
 * The access-token check of every room that needs a player: run during the matchmaking request,
 * before a room is created or a seat reserved. The SDK rejects the join with a MatchMakeError
 * whose code is 401 and whose message starts with the reason's code (TOKEN_MISSING,
 * TOKEN_INVALID, TOKEN_EXPIRED, TOKEN_REVOKED).
 */
export async function authenticateJoin(database: Database, token: string | undefined): Promise<AccessClaims> {
  try {
    return await verifyAccessToken(database.em(), token);
  } catch (error) {
    if (error instanceof TokenError) throw new ServerError(401, `${error.code}: ${error.message}`);
    throw error;
  }
}

/** The claims Colyseus keeps on a client that passed `authenticateJoin`. */
export function claimsOf(client: { auth?: unknown }): AccessClaims {
  return client.auth as AccessClaims;
}
