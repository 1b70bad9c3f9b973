import type { ErrorRequestHandler, Response } from 'express';
import type { Database } from '../db/orm.js';
import { serverStopping } from './errors.js';

/**
 * A request that fails once the server has begun to stop (its database closed before or under
 * it) is told to come back, not logged as a fault of the server.
 */
export function failedWhileStopping(database: Pick<Database, 'closing'>): ErrorRequestHandler {
  return (error, _request, response, next) => {
    if (database.closing && !response.headersSent) answerStopping(response);
    else next(error);
  };
}

function answerStopping(response: Response): void {
  const failure = serverStopping();
  response.status(failure.status).set('Retry-After', '5').json(failure.body);
}
