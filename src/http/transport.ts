import http from 'node:http';
import { WebSocketTransport } from '@colyseus/ws-transport';
import { log } from '../log.js';
import { pingInSlices, type PingedSocket } from './ping-slices.js';
import { RequestGuard } from './request-guard.js';

// Each client is pinged once per interval (in slices: ping-slices.ts); dead peers are found in 30 s.
const PING_INTERVAL_MS = 15_000;

/**
 * The WebSocket transport for the server, listening on `host` (all interfaces when undefined);
 * requests through one of `trustedProxies` count as coming from the client the proxy names.
 */
export function createTransport(host: string | undefined, trustedProxies: readonly string[] = []): WebSocketTransport {
  return new HostBoundTransport(host, trustedProxies);
}

class HostBoundTransport extends WebSocketTransport {
  constructor(
    private readonly host: string | undefined,
    trustedProxies: readonly string[],
  ) {
    super({ server: new RequestGuard(trustedProxies), pingInterval: PING_INTERVAL_MS });
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

  protected override autoTerminateUnresponsiveClients(pingInterval: number, pingMaxRetries: number): void {
    this.pingInterval = pingInSlices(this.wss.clients as Set<PingedSocket>, pingInterval, pingMaxRetries);
  }

  // The transport logs every socket error with its stack, so a client sending oversized or
  // undecodable frames could fill the log; such a connection gets one line instead.
  protected override onConnection(...args: Parameters<WebSocketTransport['onConnection']>): Promise<void> {
    const [socket, request] = args;
    const ownListeners = new Set(socket.listeners('error'));
    const connected = super.onConnection(...args);
    for (const listener of socket.listeners('error')) {
      if (!ownListeners.has(listener)) socket.off('error', listener as (error: Error) => void);
    }
    socket.on('error', (error) => log.warn({ address: request.socket.remoteAddress }, `closed a WebSocket: ${error.message}`));
    return connected;
  }
}
