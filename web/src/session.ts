/**
 * The signed-in account: tokens kept in localStorage, the access token refreshed a minute before
 * it expires (and whenever a request finds it expired).
 */
import { ApiError, request } from './api.js';

export interface Account {
  id: string;
  name: string;
  email: string | null;
  guest: boolean;
  rating: number;
}

interface Tokens {
  token: string;
  refreshToken: string;
  expiresIn: number;
}

interface Stored extends Tokens {
  user: Account;
  expiresAt: number;
}

const STORAGE_KEY = 'tavla.session';
const REFRESH_MARGIN_MS = 60_000;
const RETRY_MS = 10_000;

let current: Stored | null = load();
let refreshTimer: ReturnType<typeof setTimeout> | undefined;
const listeners = new Set<() => void>();

function load(): Stored | null {
  try {
    const text = localStorage.getItem(STORAGE_KEY);
    return text ? (JSON.parse(text) as Stored) : null;
  } catch {
    return null;
  }
}

function store(next: Stored | null): void {
  current = next;
  if (next) localStorage.setItem(STORAGE_KEY, JSON.stringify(next));
  else localStorage.removeItem(STORAGE_KEY);
  scheduleRefresh();
  listeners.forEach((listener) => listener());
}

function scheduleRefresh(): void {
  clearTimeout(refreshTimer);
  if (!current) return;
  const wait = Math.max(0, current.expiresAt - REFRESH_MARGIN_MS - Date.now());
  refreshTimer = setTimeout(() => void refresh().catch(refreshFailed), wait);
}

/** A refused refresh token ends the session; a network failure is tried again. */
function refreshFailed(error: unknown): void {
  if (error instanceof ApiError && error.status === 401) return store(null);
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(() => void refresh().catch(refreshFailed), RETRY_MS);
}

function started(answer: Tokens & { user: Account }): Account {
  store({ ...answer, expiresAt: Date.now() + answer.expiresIn * 1000 });
  return answer.user;
}

let refreshing: Promise<void> | null = null;

/**
 * One refresh at a time: a refresh token works once, and presenting it twice ends the session.
 * Another tab may have refreshed already; its tokens are in localStorage then.
 */
function refresh(): Promise<void> {
  refreshing ??= refreshOnce().finally(() => (refreshing = null));
  return refreshing;
}

async function refreshOnce(): Promise<void> {
  const latest = load();
  if (latest && latest.expiresAt - Date.now() >= REFRESH_MARGIN_MS) return store(latest);
  if (!current) return;
  const tokens = await request<Tokens>('POST', '/auth/refresh', { body: { refreshToken: current.refreshToken } });
  store({ ...current, ...tokens, expiresAt: Date.now() + tokens.expiresIn * 1000 });
}

export function account(): Account | null {
  return current?.user ?? null;
}

export function onAccountChange(listener: () => void): void {
  listeners.add(listener);
}

/** A valid access token, refreshed first when it is about to expire; null when signed out. */
export async function accessToken(): Promise<string | null> {
  if (!current) return null;
  if (current.expiresAt - Date.now() < REFRESH_MARGIN_MS) await refresh();
  return current?.token ?? null;
}

export async function playAsGuest(): Promise<Account> {
  return started(await request('POST', '/auth/guest'));
}

export async function logIn(email: string, password: string): Promise<Account> {
  return started(await request('POST', '/auth/login', { body: { email, password } }));
}

export async function register(email: string, password: string, name: string): Promise<Account> {
  return started(await request('POST', '/auth/register', { body: { email, password, name } }));
}

/** Turns the guest into a full account; the answer is a new session. */
export async function convertGuest(email: string, password: string, name: string): Promise<Account> {
  return started(await request('POST', '/auth/convert', { body: { email, password, name }, token: await accessToken() }));
}

export async function logOut(): Promise<void> {
  const ending = current;
  store(null);
  if (ending) await request('POST', '/auth/logout', { body: { refreshToken: ending.refreshToken } }).catch(() => undefined);
}

// Another tab signed in, out, or refreshed the tokens.
addEventListener('storage', (event) => {
  if (event.key !== STORAGE_KEY) return;
  current = load();
  scheduleRefresh();
  listeners.forEach((listener) => listener());
});
scheduleRefresh();
