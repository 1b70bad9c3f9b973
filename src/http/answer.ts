import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { AccountError } from '../auth/accounts.js';
import { TokenError } from '../auth/tokens.js';

type StatusCode = 400 | 401 | 403 | 404 | 409 | 429;

/** A refusal with a status, a machine-readable code and a sentence. */
export class HttpFailure extends Error {
  constructor(
    readonly status: StatusCode,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

interface ErrorContext {
  error(status: StatusCode, body: { error: string; code: string }): Error;
}

/** Runs a handler; what the user did wrong becomes a 4xx with `{ error, code }`, anything else stays a 500. */
export async function answer<T>(ctx: ErrorContext, handler: () => Promise<T>): Promise<T> {
  try {
    return await handler();
  } catch (error) {
    const failure = asHttpFailure(error);
    if (!failure) throw error;
    throw ctx.error(failure.status, { error: failure.message, code: failure.code });
  }
}

const ACCOUNT_STATUS: Record<AccountError['code'], StatusCode> = {
  EMAIL_TAKEN: 409,
  NAME_TAKEN: 409,
  INVALID_CREDENTIALS: 401,
  NOT_A_GUEST: 409,
  NO_SUCH_USER: 404,
};

function asHttpFailure(error: unknown): HttpFailure | null {
  if (error instanceof HttpFailure) return error;
  if (error instanceof AccountError) return new HttpFailure(ACCOUNT_STATUS[error.code], error.code, error.message);
  if (error instanceof TokenError) return new HttpFailure(401, error.code, error.message);
  // Two requests raced for the same email or name; the loser is told as if it had come second.
  if (error instanceof UniqueConstraintViolationException) return new HttpFailure(409, 'ALREADY_EXISTS', 'an account with this email or name already exists');
  return null;
}
