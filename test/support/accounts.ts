import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Client } from '@colyseus/sdk';
import { TEST_PORT } from './match-clients.js';

/** What the account routes answer: the account and its tokens. */
export interface Session {
  user: { id: string; name: string; email: string | null; guest: boolean; rating: number };
  token: string;
  refreshToken: string;
  expiresIn: number;
}

export interface Credentials {
  email: string;
  password: string;
  name: string;
}

const baseUrl = `http://127.0.0.1:${TEST_PORT}`;
let accounts = 0;

/** Credentials no other test uses: the name starts with `label-`. */
export function newCredentials(label = 'Player'): Credentials {
  accounts += 1;
  const tag = `${process.pid}-${accounts}-${randomUUID().slice(0, 6)}`;
  return { email: `${label.toLowerCase()}-${tag}@example.org`, password: 'correct horse battery', name: `${label}-${tag}` };
}

/** Registers a new account over HTTP, as a player would. */
export async function registerAccount(label?: string): Promise<Session & { credentials: Credentials }> {
  const credentials = newCredentials(label);
  const response = await postJson('/auth/register', credentials);
  assert.equal(response.status, 200, await response.clone().text());
  return { ...((await response.json()) as Session), credentials };
}

/** A new guest over HTTP. */
export async function signUpGuest(): Promise<Session> {
  const response = await postJson('/auth/guest', {});
  assert.equal(response.status, 200, await response.clone().text());
  return (await response.json()) as Session;
}

/** An SDK client that joins with `token` (none when undefined). */
export function clientWithToken(token: string | undefined): Client {
  const client = new Client(`ws://127.0.0.1:${TEST_PORT}`);
  if (token) client.auth.token = token;
  return client;
}

export function postJson(path: string, body: unknown): Promise<Response> {
  return fetch(`${baseUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}
