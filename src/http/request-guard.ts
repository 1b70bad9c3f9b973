import http from 'node:http';
import { matchMaker } from '@colyseus/core';
import { canonical, clientAddress } from './client-address.js';
import { bodyTooLarge, HttpFailure, type HttpErrorBody } from './errors.js';

/** The largest request body any route reads. */
export const MAX_BODY_BYTES = 64 * 1024;

/** The client's address as the rate limits see it, worked out here once; a client's own header of this name is overwritten. */
export const PEER_ADDRESS_HEADER = 'x-tavla-peer-address';

/**
 * The HTTP server, refusing what no route should see before any 'request' listener runs (Colyseus
 * registers its own in front of all others): a Host or X-Forwarded-Proto header that cannot form
 * a URL (Colyseus would throw outside any error handler, leaving the client without an answer),
 * a body that is not JSON, or one larger than MAX_BODY_BYTES by its Content-Length. Refused
 * bodies are never read.
 */
export class RequestGuard extends http.Server {
  private readonly trustedProxies: ReadonlySet<string>;

  constructor(trustedProxies: readonly string[]) {
    super();
    this.trustedProxies = new Set(trustedProxies.map(canonical));
  }

  override emit(event: string, ...args: unknown[]): boolean {
    if (event === 'request') {
      const [request, response] = args as [http.IncomingMessage, http.ServerResponse];
      const refusal = refusalOf(request);
      if (refusal) {
        refuse(request, response, refusal);
        return true;
      }
      request.headers[PEER_ADDRESS_HEADER] = clientAddress(request.socket.remoteAddress, request.headers['x-forwarded-for'], this.trustedProxies);
    }
    return super.emit(event, ...args);
  }
}

function refusalOf(request: http.IncomingMessage): HttpFailure | null {
  if (!canBecomeFetchRequest(request)) return new HttpFailure(400, 'BAD_REQUEST', 'Bad Request');
  if (!hasBody(request)) return null;
  if (!isJson(request.headers['content-type'])) {
    return new HttpFailure(415, 'UNSUPPORTED_MEDIA_TYPE', 'request bodies must be JSON, sent with Content-Type: application/json');
  }
  if (Number(request.headers['content-length'] ?? 0) > MAX_BODY_BYTES) return bodyTooLarge(MAX_BODY_BYTES);
  // Colyseus's own routes read a body whole; only a declared length can be checked before reading.
  if (request.headers['content-length'] === undefined && request.url?.startsWith('/matchmake/')) {
    return new HttpFailure(411, 'LENGTH_REQUIRED', 'matchmaking requests must say their Content-Length');
  }
  return null;
}

function hasBody(request: http.IncomingMessage): boolean {
  const length = request.headers['content-length'];
  return request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

function isJson(contentType: string | undefined): boolean {
  return contentType?.split(';')[0]?.trim().toLowerCase() === 'application/json';
}

function canBecomeFetchRequest(request: http.IncomingMessage): boolean {
  const protocol = request.headers['x-forwarded-proto'] ?? 'http';
  const authority = request.headers[':authority'] ?? request.headers.host;
  try {
    new Request(`${protocol}://${authority}${request.url}`, { method: request.method });
    return true;
  } catch {
    return false;
  }
}

function refuse(request: http.IncomingMessage, response: http.ServerResponse, refusal: HttpFailure): void {
  const body: HttpErrorBody = refusal.body;
  const headers = { ...corsHeaders(request), 'content-type': 'application/json', connection: 'close' };
  response.writeHead(refusal.status, headers).end(JSON.stringify(body));
}

// A browser reads a refusal only when it carries the CORS headers Colyseus gives every answer.
function corsHeaders(request: http.IncomingMessage): Record<string, string> {
  try {
    const requestHeaders = new Headers(request.headers as Record<string, string>);
    return { ...matchMaker.controller.DEFAULT_CORS_HEADERS, ...matchMaker.controller.getCorsHeaders(requestHeaders) } as Record<string, string>;
  } catch {
    return {};
  }
}
