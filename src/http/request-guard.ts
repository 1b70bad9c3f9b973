import http, { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { matchMaker } from '@colyseus/core';
import { canonical, clientAddress } from './client-address.js';
import { bodyTooLarge, HttpFailure, malformedBody, type HttpErrorBody } from './errors.js';

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
    this.on('clientError', answerUnparsable);
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
      if (isMatchmaking(request) && hasBody(request)) {
        this.preread(request, response);
        return true;
      }
    }
    return super.emit(event, ...args);
  }

  // Colyseus's matchmaking routes read a body whole, and answer malformed JSON without a code:
  // their bodies are read here, within the limit, checked, and handed on already read.
  private preread(request: http.IncomingMessage, response: http.ServerResponse): void {
    readJson(request).then(
      (text) => {
        (request as http.IncomingMessage & { body?: string }).body = text;
        super.emit('request', request, response);
      },
      (refusal: HttpFailure) => refuse(request, response, refusal),
    );
  }
}

// Requests Node's parser refuses (headers over 16 KiB, broken framing) get JSON like every other refusal.
function answerUnparsable(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (!socket.writable || error.code === 'ECONNRESET') {
    socket.destroy();
    return;
  }
  const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
  const body = JSON.stringify({ error: STATUS_CODES[status]!, code: status === 431 ? 'HEADERS_TOO_LARGE' : status === 408 ? 'REQUEST_TIMEOUT' : 'BAD_REQUEST' } satisfies HttpErrorBody);
  const head = [`HTTP/1.1 ${status} ${STATUS_CODES[status]}`, 'content-type: application/json', `content-length: ${Buffer.byteLength(body)}`, 'connection: close'];
  socket.end(`${head.join('\r\n')}\r\n\r\n${body}`);
}

function isMatchmaking(request: http.IncomingMessage): boolean {
  return request.method === 'POST' && (request.url?.startsWith('/matchmake/') ?? false);
}

/** The request's body, once it is known to be JSON of at most MAX_BODY_BYTES. */
function readJson(request: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    request.on('data', (chunk: Buffer) => {
      length += chunk.length;
      if (length > MAX_BODY_BYTES) {
        request.removeAllListeners('data').pause();
        reject(bodyTooLarge(MAX_BODY_BYTES));
      } else chunks.push(chunk);
    });
    request.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      try {
        JSON.parse(text);
        resolve(text);
      } catch {
        reject(malformedBody('is not valid JSON'));
      }
    });
    request.on('error', () => reject(malformedBody('was cut off')));
  });
}

function refusalOf(request: http.IncomingMessage): HttpFailure | null {
  if (!canBecomeFetchRequest(request)) return new HttpFailure(400, 'BAD_REQUEST', 'Bad Request');
  if (!hasBody(request)) return null;
  if (!isJson(request.headers['content-type'])) {
    return new HttpFailure(415, 'UNSUPPORTED_MEDIA_TYPE', 'request bodies must be JSON, sent with Content-Type: application/json');
  }
  if (Number(request.headers['content-length'] ?? 0) > MAX_BODY_BYTES) return bodyTooLarge(MAX_BODY_BYTES);
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
