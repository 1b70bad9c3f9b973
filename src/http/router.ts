import { STATUS_CODES } from 'node:http';
import { createRouter } from '@colyseus/core';
import type { Database } from '../db/orm.js';
import { createAuthRoutes } from './auth-routes.js';
import { health } from './health.js';
import { createRecordRoutes } from './record-routes.js';

export function createHttpRouter(database: Database) {
  return createRouter({ health, ...createAuthRoutes(database), ...createRecordRoutes(database) }, { onResponse: explainBodilessError });
}

export interface HttpErrorBody {
  error: string;
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
