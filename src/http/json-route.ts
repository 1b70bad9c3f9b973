import type { Request, RequestHandler, Response } from 'express';

/** A route whose handler returns the answer's body: sent as JSON, or as it is when it is a RawAnswer. */
export function jsonRoute(handler: (request: Request, response: Response) => Promise<unknown>): RequestHandler {
  return async (request, response) => {
    const body = await handler(request, response);
    if (body instanceof RawAnswer) response.set(body.headers).send(body.text);
    else response.json(body);
  };
}

/** A body that is not JSON (a file to download), with its headers. */
export class RawAnswer {
  constructor(
    readonly text: string,
    readonly headers: Record<string, string>,
  ) {}
}
