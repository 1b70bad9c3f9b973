import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { User } from '../db/entities.js';
import type { Database } from '../db/orm.js';
import { bearer } from './auth-routes.js';
import { HttpFailure } from './errors.js';

/** What a refused visitor is told to authenticate with. */
const CHALLENGE = 'Basic realm="Tavla administration", charset="UTF-8"';

/**
 * Lets through administrators only: HTTP basic authentication with ADMIN_PASSWORD (any user name),
 * or the access token of an account marked admin. Anyone else gets 401 (no credentials, or
 * wrong ones) or 403 (a valid account that is not an administrator).
 */
export function adminOnly(database: Database, adminPassword: string | null): RequestHandler {
  return async (request, response, next) => {
    const header = request.headers.authorization ?? '';
    if (/^Basic /i.test(header)) {
      if (adminPassword !== null && sameSecret(basicPassword(header), adminPassword)) return next();
      response.set('www-authenticate', CHALLENGE);
      throw new HttpFailure(401, 'NOT_AUTHENTICATED', 'wrong administrator password');
    }
    if (!/^Bearer /i.test(header)) {
      response.set('www-authenticate', CHALLENGE);
      throw new HttpFailure(401, 'NOT_AUTHENTICATED', 'administrators only: sign in with the administrator password or an administrator account');
    }
    const claims = await bearer(database, request);
    const user = await database.em().findOne(User, claims.sub);
    if (!user?.admin) throw new HttpFailure(403, 'NOT_AN_ADMINISTRATOR', 'this account is not an administrator');
    next();
  };
}

function basicPassword(header: string): string {
  const decoded = Buffer.from(header.slice('Basic '.length).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? '' : decoded.slice(colon + 1);
}

// Compared as digests so that neither the length nor the content leaks through timing.
function sameSecret(given: string, expected: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(given), digest(expected));
}
