import http from 'node:http';
import { WebSocketTransport } from '@colyseus/ws-transport';
import { canonical, clientAddress } from './client-address.js';
import type { HttpErrorBody } from './router.js';

// Every ping round walks all clients at once; at thousands of clients the default 3 s loop
// blocks the event loop for tens of milliseconds each time. Dead peers are still found in 30 s.
const PING_INTERVAL_MS = 15_000;

/**
 * The WebSocket transport for the server, listening on `host` (all interfaces when undefined);
 * requests through one of `trustedProxies` count as coming from the client the proxy names.
 */
export function createTransport(host: string | undefined, trustedProxies: readonly string[] = []): WebSocketTransport {
  return new HostBoundTransport(host, new Set(trustedProxies.map(canonical)));
}

class HostBoundTransport extends WebSocketTransport {
  constructor(
    private readonly host: string | undefined,
    trustedProxies: ReadonlySet<string>,
  ) {
    super({ server: new MalformedRequestGuard(trustedProxies), pingInterval: PING_INTERVAL_MS });
  }

  // `listen()` from @colyseus/tools passes only a port, so the host is applied here. A failure to
  // listen (port in use, unknown host) goes to the listener, which makes Colyseus reject `listen()`;
  // without that the error is only logged and the process stays up, serving nothing.
  override listen(
    port: number,
    hostname?: string,
    backlog?: number,
    listeningListener?: (error?: Error) => void,
  ): this {
    const server = this.server as http.Server;
    const onError = (error: Error) => {
      server.off('listening', onListening);
      listeningListener?.(error);
    };
    const onListening = () => {
      server.off('error', onError);
      listeningListener?.();
    };
    server.once('error', onError).once('listening', onListening);
    return super.listen(port, this.host ?? hostname, backlog);
  }
}

// Colyseus turns every HTTP request into a fetch Request before routing it. When the Host or
// X-Forwarded-Proto header cannot form a URL, that throws outside any error handler: the client
// never gets an answer and the log gets a stack trace. Such requests are answered here, before
// any 'request' listener (Colyseus registers its own in front of all others) can see them.
export const PEER_ADDRESS_HEADER = 'x-tavla-peer-address';

class MalformedRequestGuard extends http.Server {
  constructor(private readonly trustedProxies: ReadonlySet<string>) {
    super();
  }

  override emit(event: string, ...args: unknown[]): boolean {
    if (event === 'request') {
      const [request, response] = args as [http.IncomingMessage, http.ServerResponse];
      if (!canBecomeFetchRequest(request)) {
        answerBadRequest(response);
        return true;
      }
      // Routes see a fetch Request without the socket; this header (never taken from the client) carries the client's address.
      request.headers[PEER_ADDRESS_HEADER] = clientAddress(request.socket.remoteAddress, request.headers['x-forwarded-for'], this.trustedProxies);
    }
    return super.emit(event, ...args);
  }
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

function answerBadRequest(response: http.ServerResponse): void {
  const body: HttpErrorBody = { error: 'Bad Request' };
  response.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}
