import { STATUS_CODES } from 'node:http';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { z } from 'zod';
import { AccountError } from '../auth/accounts.js';
import { TokenError } from '../auth/tokens.js';
import { log } from '../log.js';

export type StatusCode = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 429 | 503;

/** Every error answer of the API. */
export interface HttpErrorBody {
  error: string;
  /** Machine-readable: VALIDATION_ERROR, TOKEN_EXPIRED, NOT_FOUND, ... */
  code: string;
}

/** A refusal with a status, a machine-readable code and a sentence. */
export class HttpFailure extends Error {
  constructor(
    readonly status: StatusCode,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }

  get body(): HttpErrorBody {
    return { error: this.message, code: this.code };
  }
}

/** The value if it fits the schema; otherwise a 400 naming the first field that does not. */
export function validated<S extends z.ZodType>(schema: S, value: unknown, code = 'VALIDATION_ERROR'): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  throw new HttpFailure(400, code, `${where}${issue?.message ?? 'invalid input'}`);
}

const ACCOUNT_STATUS: Record<AccountError['code'], StatusCode> = {
  EMAIL_TAKEN: 409,
  NAME_TAKEN: 409,
  INVALID_CREDENTIALS: 401,
  NOT_A_GUEST: 409,
  NO_SUCH_USER: 404,
};

/** A request body that is not the JSON it claims to be: `reason` says how. */
export function malformedBody(reason: string): HttpFailure {
  return new HttpFailure(400, 'MALFORMED_BODY', `the request body ${reason}`);
}

// body-parser's errors carry a `type`; each becomes a refusal the client can act on.
const BODY_PARSER_FAILURES: Record<string, (error: { limit?: number }) => HttpFailure> = {
  'entity.parse.failed': () => malformedBody('is not valid JSON'),
  'entity.too.large': ({ limit }) => bodyTooLarge(limit),
  'encoding.unsupported': () => new HttpFailure(415, 'UNSUPPORTED_ENCODING', 'the request body must be UTF-8 JSON, without Content-Encoding'),
  'charset.unsupported': () => new HttpFailure(415, 'UNSUPPORTED_ENCODING', 'the request body must be UTF-8 JSON'),
  'request.size.invalid': () => malformedBody('does not match its Content-Length'),
  'request.aborted': () => malformedBody('was cut off'),
};

export function bodyTooLarge(limitBytes: number | undefined): HttpFailure {
  return new HttpFailure(413, 'BODY_TOO_LARGE', `the request body is larger than ${Math.floor((limitBytes ?? 0) / 1024)} KiB`);
}

/** What the user did wrong, as a refusal; null for a fault of the server's own. */
export function asHttpFailure(error: unknown): HttpFailure | null {
  if (error instanceof HttpFailure) return error;
  if (error instanceof AccountError) return new HttpFailure(ACCOUNT_STATUS[error.code], error.code, error.message);
  if (error instanceof TokenError) return new HttpFailure(401, error.code, error.message);
  // Two requests raced for the same email or name; the loser is told as if it had come second.
  if (error instanceof UniqueConstraintViolationException) return new HttpFailure(409, 'ALREADY_EXISTS', 'an account with this email or name already exists');
  const parserFailure = BODY_PARSER_FAILURES[(error as { type?: string } | null)?.type ?? ''];
  return parserFailure ? parserFailure(error as { limit?: number }) : null;
}

export const notFound: RequestHandler = (_request, response) => {
  response.status(404).json({ error: STATUS_CODES[404]!, code: 'NOT_FOUND' } satisfies HttpErrorBody);
};

/** What a request is told once the server has begun to stop and its database is closing. */
export function serverStopping(): HttpFailure {
  return new HttpFailure(503, 'SERVER_STOPPING', 'the server is shutting down: try again in a few seconds');
}

/** The last handler: refusals answer 4xx `{ error, code }`; anything else is logged once and answers 500. */
export const answerErrors: ErrorRequestHandler = (error, request, response, next) => {
  if (response.headersSent) return next(error);
  const failure = asHttpFailure(error);
  if (failure) {
    response.status(failure.status).json(failure.body);
    return;
  }
  log.error({ err: error, method: request.method, path: request.path }, 'a request failed');
  response.status(500).json({ error: 'the server failed to answer this request', code: 'INTERNAL_ERROR' } satisfies HttpErrorBody);
};
