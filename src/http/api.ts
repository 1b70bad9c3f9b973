import compression from 'compression';
import express, { type Application, type RequestHandler } from 'express';
import type { GoneServers } from '../db/live-servers.js';
import type { Database } from '../db/orm.js';
import type { Metrics } from '../metrics.js';
import { monitor } from '@colyseus/monitor';
import { adminOnly } from './admin-access.js';
import { createAuthRoutes, type AuthLimits, type LimitStore } from './auth-routes.js';
import { answerErrors, HttpFailure, notFound } from './errors.js';
import { failedWhileStopping } from './stopping.js';
import { health } from './health.js';
import { invitePage } from './invite-page.js';
import { createRecordRoutes } from './record-routes.js';
import { createAnalysisRoutes } from './analysis-routes.js';
import type { AnalysisService } from '../analysis-service.js';
import { MAX_BODY_BYTES } from './request-guard.js';
import { webClient } from './web-client.js';

export interface ApiParts {
  readonly database: Database;
  readonly analysis: AnalysisService;
  readonly metrics: Metrics;
  readonly config: AuthLimits & { readonly adminPassword: string | null };
  /** Where the rate limits are counted (see auth-routes.ts). */
  readonly limitStore: LimitStore;
  /** Which server processes are gone: a match of one is not in a room anyone can join until it is taken over. */
  readonly gone: GoneServers;
}

/**
 * The REST API on the server's express app: JSON bodies of at most MAX_BODY_BYTES (other content
 * types never get this far: see request-guard.ts), answers gzip-compressed for clients that accept
 * it, every refusal as `{ error, code }`.
 */
export function mountHttpApi(app: Application, { database, analysis, metrics, config, limitStore, gone }: ApiParts): void {
  app.disable('x-powered-by');
  const administrators = adminOnly(database, config.adminPassword);
  // The monitor's own pages and API, behind the administrators' door; it lists the rooms of every process.
  app.use('/monitor', administrators, monitor({ columns: MONITOR_COLUMNS }));
  app.use(compression());
  app.use(express.json({ limit: MAX_BODY_BYTES, type: 'application/json', inflate: false }));
  app.use(refuseNul);
  app.get('/health', health);
  app.get('/metrics', administrators, async (_request, response) => {
    response.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  app.get('/match/:roomId', invitePage);
  app.use(createAuthRoutes(database, config, limitStore));
  app.use(createRecordRoutes(database, gone));
  app.use(createAnalysisRoutes(database, analysis));
  app.use(webClient());
  app.use(notFound);
  app.use(failedWhileStopping(database));
  app.use(answerErrors);
}

const MONITOR_COLUMNS: NonNullable<Parameters<typeof monitor>[0]>['columns'] = ['roomId', 'name', 'clients', 'elapsedTime', 'processId', { metadata: 'status' }, { metadata: 'matchLength' }];

// PostgreSQL refuses a NUL inside a statement's text; no field of the API has a use for one.
const refuseNul: RequestHandler = (request, _response, next) => {
  if (holdsNul(request.body)) throw new HttpFailure(400, 'VALIDATION_ERROR', 'the request body may not contain NUL characters');
  next();
};

// A walk with a stack of its own: a 64 KiB body can nest 30,000 arrays deep.
function holdsNul(body: unknown): boolean {
  const pending = [body];
  while (pending.length > 0) {
    const value = pending.pop();
    if (typeof value === 'string') {
      if (value.includes('\u0000')) return true;
    } else if (value !== null && typeof value === 'object') {
      for (const [key, field] of Object.entries(value)) {
        if (key.includes('\u0000')) return true;
        pending.push(field);
      }
    }
  }
  return false;
}
