import { randomInt, randomUUID } from 'node:crypto';
import { Hash } from '@colyseus/auth';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/sql';
import { User } from '../db/entities.js';
import { INITIAL_RATING } from '../ratings/fibs.js';
import { endAllSessions } from './tokens.js';

/** A refusal the user can act on: the HTTP layer turns it into a 4xx with this message. */
export class AccountError extends Error {
  override readonly name = 'AccountError';
  constructor(
    readonly code: 'EMAIL_TAKEN' | 'NAME_TAKEN' | 'INVALID_CREDENTIALS' | 'NOT_A_GUEST' | 'NO_SUCH_USER',
    message: string,
  ) {
    super(message);
  }
}

export interface Credentials {
  readonly email: string;
  readonly password: string;
  readonly name: string;
}

export async function registerUser(em: EntityManager, credentials: Credentials): Promise<User> {
  await assertAvailable(em, credentials, null);
  return createUser(em, { ...(await accountFields(credentials)), guest: false });
}

/** Tries at a free guest name: two sign-ins at the same moment may both find one name free. */
const GUEST_NAME_ATTEMPTS = 5;

/**
 * A guest account with a generated name; it can become a full account later, keeping its
 * matches and rating. Should another account take the name between the check and the insert,
 * the database refuses the second and another name is drawn. `em` must be this request's own.
 */
export async function registerGuest(em: EntityManager, drawName: () => string = randomGuestName): Promise<User> {
  for (let attempt = 1; ; attempt++) {
    const name = await freeGuestName(em, drawName);
    try {
      return await createUser(em, { email: null, passwordHash: null, name, nameKey: nameKey(name), guest: true });
    } catch (error) {
      if (!(error instanceof UniqueConstraintViolationException) || attempt >= GUEST_NAME_ATTEMPTS) throw error;
      em.clear();
    }
  }
}

type Identity = Pick<User, 'email' | 'passwordHash' | 'name' | 'nameKey' | 'guest'>;

async function createUser(em: EntityManager, identity: Identity): Promise<User> {
  const now = new Date();
  const user = em.create(User, { id: randomUUID(), ...identity, rating: INITIAL_RATING, experience: 0, createdAt: now, lastLoginAt: now });
  await em.flush();
  return user;
}

/**
 * Gives a guest an email, a password and a chosen name; the account (and everything it played)
 * stays the same. Every session the guest had ends with it: a guest's tokens are all a thief
 * needs, so after conversion only a log-in (or the session the caller starts next) works.
 */
export async function convertGuest(em: EntityManager, userId: string, credentials: Credentials): Promise<User> {
  return em.transactional(async (tx) => {
    const user = await tx.findOne(User, userId);
    if (!user) throw new AccountError('NO_SUCH_USER', 'this account no longer exists');
    if (!user.guest) throw new AccountError('NOT_A_GUEST', 'this account is already registered');
    await assertAvailable(tx, credentials, user.id);
    Object.assign(user, await accountFields(credentials), { guest: false, lastLoginAt: new Date() });
    await tx.flush();
    await endAllSessions(tx, user.id);
    return user;
  });
}

// Checked against when the email is unknown, so that a wrong email takes as long as a wrong password.
const UNKNOWN_USER_HASH = Hash.make(randomUUID());

/** The user with this email and password; the same refusal whether the email or the password is wrong. */
export async function authenticate(em: EntityManager, email: string, password: string): Promise<User> {
  const user = await em.findOne(User, { email: email.trim().toLowerCase() });
  const matches = await Hash.verify(password, user?.passwordHash ?? (await UNKNOWN_USER_HASH));
  if (!user || !matches) throw new AccountError('INVALID_CREDENTIALS', 'wrong email or password');
  user.lastLoginAt = new Date();
  await em.flush();
  return user;
}

export const STALE_GUEST_DAYS = 30;
export const KEEP_GUEST_GAMES = 5;

/**
 * Deletes guests who have not logged in for 30 days, have no match in progress and played fewer
 * than 5 games. Their finished matches keep the names they played under. Returns how many went.
 */
export async function deleteStaleGuests(em: EntityManager, now = new Date()): Promise<number> {
  const cutoff = new Date(now.getTime() - STALE_GUEST_DAYS * 24 * 60 * 60 * 1000);
  const rows = await em.execute<{ id: string }[]>(
    `delete from users u
     where u.guest and u.last_login_at < ?
       and not exists (select 1 from matches m where m.status = 'playing' and (m.player0_id = u.id or m.player1_id = u.id))
       and (select count(*) from games g join matches m on m.id = g.match_id where m.player0_id = u.id or m.player1_id = u.id) < ?
     returning u.id`,
    [cutoff, KEEP_GUEST_GAMES],
  );
  if (rows.length > 0) {
    await em.execute(`delete from refresh_tokens where user_id in (${rows.map(() => '?').join(', ')})`, rows.map((row) => row.id));
  }
  return rows.length;
}

export function nameKey(name: string): string {
  return name.trim().toLowerCase();
}

async function accountFields(credentials: Credentials) {
  return {
    email: credentials.email.trim().toLowerCase(),
    passwordHash: await Hash.make(credentials.password),
    name: credentials.name.trim(),
    nameKey: nameKey(credentials.name),
  };
}

async function assertAvailable(em: EntityManager, credentials: Credentials, self: string | null): Promise<void> {
  const byEmail = await em.findOne(User, { email: credentials.email.trim().toLowerCase() });
  if (byEmail && byEmail.id !== self) throw new AccountError('EMAIL_TAKEN', 'an account with this email already exists');
  const byName = await em.findOne(User, { nameKey: nameKey(credentials.name) });
  if (byName && byName.id !== self) throw new AccountError('NAME_TAKEN', `the name "${credentials.name.trim()}" is taken`);
}

function randomGuestName(): string {
  return `Guest-${randomInt(0, 1_000_000).toString().padStart(6, '0')}`;
}

async function freeGuestName(em: EntityManager, drawName: () => string): Promise<string> {
  for (;;) {
    const name = drawName();
    if (!(await em.findOne(User, { nameKey: nameKey(name) }))) return name;
  }
}
