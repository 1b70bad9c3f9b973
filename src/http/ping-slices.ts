import type { WebSocket } from 'ws';

/** A server-side socket as Colyseus's transport keeps it: pings sent and not yet answered by a pong. */
export type PingedSocket = WebSocket & { pingCount: number };

/** How often a slice of the clients is pinged. */
export const PING_TICK_MS = 250;

/**
 * Pings every client once per `intervalMs` and terminates one that left `maxRetries` pings
 * unanswered, as Colyseus's transport does, but in slices every PING_TICK_MS instead of the whole
 * set at once: one round over 4,000 clients held the event loop for tens of milliseconds, which
 * every move waiting then paid. Whoever answers a ping resets `pingCount` (the transport's pong
 * handler). Returns the timer.
 */
export function pingInSlices(clients: Set<PingedSocket>, intervalMs: number, maxRetries: number, tickMs = PING_TICK_MS): NodeJS.Timeout {
  let round = clients.values();
  const nextClient = (): PingedSocket | undefined => {
    const next = round.next();
    if (!next.done) return next.value;
    round = clients.values();
    return round.next().value;
  };
  return setInterval(() => {
    for (let quota = Math.ceil((clients.size * tickMs) / intervalMs); quota > 0; quota--) {
      const client = nextClient();
      if (!client) return;
      if (client.pingCount >= maxRetries) {
        client.terminate();
        continue;
      }
      client.pingCount += 1;
      client.ping();
    }
  }, tickMs);
}
