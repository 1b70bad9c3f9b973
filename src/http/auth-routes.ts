import { Router, type Request, type Response } from 'express';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { authenticate, convertGuest, registerGuest, registerUser } from '../auth/accounts.js';
import { limiterFactory } from '../auth/attempt-limiter.js';
import { endSession, refreshSession, startSession, verifyAccessToken, type AccessClaims } from '../auth/tokens.js';
import { User } from '../db/entities.js';
import type { Database } from '../db/orm.js';
import { addressKey } from './client-address.js';
import { HttpFailure, validated } from './errors.js';
import { jsonRoute } from './json-route.js';
import { PEER_ADDRESS_HEADER } from './request-guard.js';

// Text that reaches the database or other players: no control characters (NUL above all, which
// PostgreSQL refuses mid-statement).
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/u;
const printable = <S extends z.ZodType<string>>(schema: S) => schema.refine((text) => !CONTROL_CHARACTERS.test(text), 'may not contain control characters');
const email = printable(z.email('must be an email address').max(254, 'is at most 254 characters'));
const anyPassword = z.string().max(200, 'is at most 200 characters');
const password = anyPassword.refine((text) => text.length >= 8, 'must be at least 8 characters');
const name = z
  .string()
  .trim()
  .min(2, 'must be at least 2 characters')
  .max(32, 'is at most 32 characters')
  .regex(/^[\p{L}\p{N}_.-]+( [\p{L}\p{N}_.-]+)*$/u, 'may hold letters, digits, _ . - and single spaces');
const credentials = z.object({ email, password, name }).strict();
const login = z.object({ email: printable(z.string().max(254, 'is at most 254 characters')), password: anyPassword }).strict();
const refresh = z.object({ refreshToken: printable(z.string().min(1, 'is required').max(200, 'is at most 200 characters')) }).strict();
const noBody = z.union([z.undefined(), z.object({}).strict()], 'takes no body (or {})');

/** Log-in attempts: 5 failures per email and 30 attempts per address in 15 minutes. */
const LOGIN_WINDOW_MS = 15 * 60 * 1000;
const HOUR_MS = 60 * 60 * 1000;

export interface AuthLimits {
  /** New accounts, guests or registered, one address may create in an hour; 0: no limit. */
  readonly accountsPerAddressPerHour: number;
}

/** Where the limits are counted: Redis, shared by every process, or this process alone when null. */
export type LimitStore = Redis | null;

/** The account as its owner sees it. */
export interface AccountView {
  id: string;
  name: string;
  email: string | null;
  guest: boolean;
  rating: number;
}

/** Registration, log-in, guests, token refresh and log-out under /auth. */
export function createAuthRoutes(database: Database, limits: AuthLimits, store: LimitStore) {
  const limiter = limiterFactory(store);
  const failedLogins = limiter({ name: 'failed-logins', limit: 5, windowMs: LOGIN_WINDOW_MS });
  const loginsFromAddress = limiter({ name: 'logins-from-address', limit: 30, windowMs: LOGIN_WINDOW_MS });
  const newAccountsFromAddress =
    limits.accountsPerAddressPerHour > 0 ? limiter({ name: 'new-accounts', limit: limits.accountsPerAddressPerHour, windowMs: HOUR_MS }) : null;

  /** Counts an attempt to create an account, or refuses it when the address has made too many. */
  async function limitNewAccounts(request: Request, response: Response): Promise<void> {
    if (!newAccountsFromAddress) return;
    const address = peerAddress(request);
    const wait = await newAccountsFromAddress.attempt(address);
    if (wait > 0) {
      response.set('retry-after', String(wait));
      throw new HttpFailure(429, 'TOO_MANY_ACCOUNTS', `too many new accounts from this address: try again in ${wait} seconds`);
    }
  }

  async function startSessionFor(user: User, em = database.em()) {
    return { user: accountView(user), ...(await startSession(em, user)) };
  }

  return Router()
    .post(
      '/auth/register',
      jsonRoute(async (request, response) => {
        const body = validated(credentials, request.body);
        await limitNewAccounts(request, response);
        const em = database.em();
        return startSessionFor(await registerUser(em, body), em);
      }),
    )
    .post(
      '/auth/guest',
      jsonRoute(async (request, response) => {
        validated(noBody, request.body);
        await limitNewAccounts(request, response);
        const em = database.em();
        return startSessionFor(await registerGuest(em), em);
      }),
    )
    .post(
      '/auth/convert',
      jsonRoute(async (request) => {
        const body = validated(credentials, request.body);
        const claims = await bearer(database, request);
        const em = database.em();
        return startSessionFor(await convertGuest(em, claims.sub, body), em);
      }),
    )
    .post(
      '/auth/login',
      jsonRoute(async (request, response) => {
        const body = validated(login, request.body);
        const emailKey = body.email.trim().toLowerCase();
        const address = peerAddress(request);
        // Every attempt counts against the email before the password is checked (a success clears it): guesses sent at once are limited too.
        const addressWait = await loginsFromAddress.attempt(address);
        const wait = addressWait > 0 ? addressWait : await failedLogins.attempt(emailKey);
        if (wait > 0) {
          response.set('retry-after', String(wait));
          throw new HttpFailure(429, 'TOO_MANY_ATTEMPTS', `too many log-in attempts: try again in ${wait} seconds`);
        }
        const em = database.em();
        const user = await authenticate(em, body.email, body.password);
        await failedLogins.forget(emailKey);
        return startSessionFor(user, em);
      }),
    )
    .post(
      '/auth/refresh',
      jsonRoute(async (request) => refreshSession(database.em(), validated(refresh, request.body).refreshToken)),
    )
    .post(
      '/auth/logout',
      jsonRoute(async (request) => {
        await endSession(database.em(), validated(refresh, request.body).refreshToken);
        return { loggedOut: true };
      }),
    )
    .get(
      '/auth/me',
      jsonRoute(async (request) => {
        const claims = await bearer(database, request);
        const user = await database.em().findOne(User, claims.sub);
        if (!user) throw new HttpFailure(404, 'NO_SUCH_USER', 'this account no longer exists');
        return { user: accountView(user) };
      }),
    );
}

/** Where the request came from, as the rate limits count it (see addressKey). */
function peerAddress(request: Request): string {
  const address = request.headers[PEER_ADDRESS_HEADER];
  return addressKey(typeof address === 'string' ? address : 'unknown');
}

/** The verified claims of the request's `Authorization: Bearer` access token. */
export async function bearer(database: Database, request: Request): Promise<AccessClaims> {
  const header = request.headers.authorization ?? '';
  const token = /^Bearer (\S+)$/i.exec(header)?.[1];
  return verifyAccessToken(database.em(), token);
}

export function accountView(user: User): AccountView {
  return { id: user.id, name: user.name, email: user.email ?? null, guest: user.guest, rating: Number(user.rating) };
}
