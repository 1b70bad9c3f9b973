import { STATUS_CODES } from 'node:http';
import { createRouter } from '@colyseus/core';
import type { Database } from '../db/orm.js';
import { createAuthRoutes, type AuthLimits } from './auth-routes.js';
import { health } from './health.js';
import { createRecordRoutes } from './record-routes.js';

export function createHttpRouter(database: Database, limits: AuthLimits) {
  return createRouter({ health, ...createAuthRoutes(database, limits), ...createRecordRoutes(database) }, { onResponse: explainErrors });
}

export interface HttpErrorBody {
  error: string;
  /** Machine-readable, where there is one: VALIDATION_ERROR, TOKEN_EXPIRED, ... */
  code?: string;
}

/** Every error answer carries `{ error, code? }`, whoever produced it. */
async function explainErrors(response: Response): Promise<Response | undefined> {
  return explainBodilessError(response) ?? (await renameValidationMessage(response));
}

// The router's own input validation answers `{ message, code }`; the API answers `{ error, code }`.
async function renameValidationMessage(response: Response): Promise<Response | undefined> {
  if (response.status < 400 || !response.headers.get('content-type')?.startsWith('application/json')) return undefined;
  const body = (await response.clone().json()) as Record<string, unknown>;
  if (typeof body.message !== 'string' || 'error' in body) return undefined;
  const renamed: HttpErrorBody = { error: body.message, ...(typeof body.code === 'string' ? { code: body.code } : {}) };
  const headers = new Headers(response.headers);
  headers.delete('content-length');
  return Response.json(renamed, { status: response.status, headers });
}

// The router answers unknown routes (and errors it handles itself) with an empty body;
// API clients expect JSON they can read, whatever went wrong.
function explainBodilessError(response: Response): Response | undefined {
  if (response.status < 400 || response.body !== null) return undefined;
  const body: HttpErrorBody = { error: STATUS_CODES[response.status] ?? 'Error' };
  const headers = new Headers(response.headers);
  headers.delete('content-length');
  headers.delete('content-type');
  return Response.json(body, { status: response.status, headers });
}
