import { createEndpoint } from '@colyseus/core';
import { z } from 'zod';
import { AccountError, authenticate, convertGuest, registerGuest, registerUser } from '../auth/accounts.js';
import { AttemptLimiter } from '../auth/attempt-limiter.js';
import { endSession, refreshSession, startSession, verifyAccessToken, type AccessClaims } from '../auth/tokens.js';
import { User } from '../db/entities.js';
import type { Database } from '../db/orm.js';
import { answer, HttpFailure } from './answer.js';
import { addressKey } from './client-address.js';
import { PEER_ADDRESS_HEADER } from './transport.js';

const email = z.email('must be an email address').max(254, 'is at most 254 characters');
const password = z.string().min(8, 'must be at least 8 characters').max(200, 'is at most 200 characters');
const name = z
  .string()
  .trim()
  .min(2, 'must be at least 2 characters')
  .max(32, 'is at most 32 characters')
  .regex(/^[\p{L}\p{N}_.-]+( [\p{L}\p{N}_.-]+)*$/u, 'may hold letters, digits, _ . - and single spaces');
const credentials = z.object({ email, password, name }).strict();
const login = z.object({ email: z.string().max(254), password: z.string().max(200) }).strict();
const refresh = z.object({ refreshToken: z.string().min(1).max(200) }).strict();

/** Log-in attempts: 5 failures per email and 30 attempts per address in 15 minutes. */
const LOGIN_WINDOW_MS = 15 * 60 * 1000;
const HOUR_MS = 60 * 60 * 1000;

export interface AuthLimits {
  /** New accounts, guests or registered, one address may create in an hour; 0: no limit. */
  readonly accountsPerAddressPerHour: number;
}

/** The account as its owner sees it. */
export interface AccountView {
  id: string;
  name: string;
  email: string | null;
  guest: boolean;
  rating: number;
}

/** Registration, log-in, guests, token refresh and log-out under /auth. */
export function createAuthRoutes(database: Database, limits: AuthLimits) {
  const failedLogins = new AttemptLimiter(5, LOGIN_WINDOW_MS);
  const loginsFromAddress = new AttemptLimiter(30, LOGIN_WINDOW_MS);
  const newAccountsFromAddress = limits.accountsPerAddressPerHour > 0 ? new AttemptLimiter(limits.accountsPerAddressPerHour, HOUR_MS) : null;

  /** Counts an attempt to create an account, or refuses it when the address has made too many. */
  function limitNewAccounts(ctx: { request?: Request; setHeader(name: string, value: string): void }): void {
    if (!newAccountsFromAddress) return;
    const address = peerAddress(ctx.request);
    const wait = newAccountsFromAddress.retryAfterSeconds(address);
    if (wait > 0) {
      ctx.setHeader('retry-after', String(wait));
      throw new HttpFailure(429, 'TOO_MANY_ACCOUNTS', `too many new accounts from this address: try again in ${wait} seconds`);
    }
    newAccountsFromAddress.record(address);
  }

  return {
    register: createEndpoint('/auth/register', { method: 'POST', body: credentials }, async (ctx) =>
      answer(ctx, async () => {
        limitNewAccounts(ctx);
        const em = database.em();
        const user = await registerUser(em, ctx.body);
        return { user: accountView(user), ...(await startSession(em, user)) };
      }),
    ),

    guest: createEndpoint('/auth/guest', { method: 'POST' }, async (ctx) =>
      answer(ctx, async () => {
        limitNewAccounts(ctx);
        const em = database.em();
        const user = await registerGuest(em);
        return { user: accountView(user), ...(await startSession(em, user)) };
      }),
    ),

    convert: createEndpoint('/auth/convert', { method: 'POST', body: credentials }, async (ctx) =>
      answer(ctx, async () => {
        const em = database.em();
        const claims = await bearer(database, ctx.request);
        const user = await convertGuest(em, claims.sub, ctx.body);
        return { user: accountView(user), ...(await startSession(em, user)) };
      }),
    ),

    login: createEndpoint('/auth/login', { method: 'POST', body: login }, async (ctx) =>
      answer(ctx, async () => {
        const emailKey = ctx.body.email.trim().toLowerCase();
        const address = peerAddress(ctx.request);
        const wait = Math.max(failedLogins.retryAfterSeconds(emailKey), loginsFromAddress.retryAfterSeconds(address));
        if (wait > 0) {
          ctx.setHeader('retry-after', String(wait));
          throw new HttpFailure(429, 'TOO_MANY_ATTEMPTS', `too many log-in attempts: try again in ${wait} seconds`);
        }
        loginsFromAddress.record(address);
        const em = database.em();
        try {
          const user = await authenticate(em, ctx.body.email, ctx.body.password);
          failedLogins.forget(emailKey);
          return { user: accountView(user), ...(await startSession(em, user)) };
        } catch (error) {
          if (error instanceof AccountError) failedLogins.record(emailKey);
          throw error;
        }
      }),
    ),

    refresh: createEndpoint('/auth/refresh', { method: 'POST', body: refresh }, async (ctx) =>
      answer(ctx, async () => refreshSession(database.em(), ctx.body.refreshToken)),
    ),

    logout: createEndpoint('/auth/logout', { method: 'POST', body: refresh }, async (ctx) =>
      answer(ctx, async () => {
        await endSession(database.em(), ctx.body.refreshToken);
        return { loggedOut: true };
      }),
    ),

    me: createEndpoint('/auth/me', { method: 'GET' }, async (ctx) =>
      answer(ctx, async () => {
        const claims = await bearer(database, ctx.request);
        const user = await database.em().findOne(User, claims.sub);
        if (!user) throw new HttpFailure(404, 'NO_SUCH_USER', 'this account no longer exists');
        return { user: accountView(user) };
      }),
    ),
  };
}

/** Where the request came from, as the rate limits count it (see addressKey). */
function peerAddress(request: Request | undefined): string {
  return addressKey(request?.headers.get(PEER_ADDRESS_HEADER) ?? 'unknown');
}

/** The verified claims of the request's `Authorization: Bearer` access token. */
export async function bearer(database: Database, request: Request | undefined): Promise<AccessClaims> {
  const header = request?.headers.get('authorization') ?? '';
  const token = /^Bearer (\S+)$/i.exec(header)?.[1];
  return verifyAccessToken(database.em(), token);
}

export function accountView(user: User): AccountView {
  return { id: user.id, name: user.name, email: user.email ?? null, guest: user.guest, rating: Number(user.rating) };
}
