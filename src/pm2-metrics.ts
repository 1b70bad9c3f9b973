import io from '@pm2/io';

/**
 * Colyseus loads @pm2/io (for the room and client counts PM2's monitor shows), whose defaults
 * also list every handle of the process once a second to count them (at 20,000 open sockets, a
 * few per cent of a core), hook the HTTP server and open an inspector session for remote
 * profiling. This keeps what PM2 shows at little cost: event-loop delay, heap and Colyseus's
 * counts; exceptions are handled as before.
 */
export function trimPm2Metrics(): void {
  io.init({
    catchExceptions: true,
    profiling: false,
    metrics: { eventLoop: { eventLoopActive: false, eventLoopDelay: true }, http: false, network: false, runtime: false, v8: true },
  });
  stopExitCheck();
}

interface Pm2Transport {
  autoExitHandle?: ReturnType<typeof setInterval>;
}

/**
 * Under PM2 (or any parent with an IPC channel) @pm2/io also lists every handle of the process
 * every 3 s, to stop listening to the parent when nothing else keeps the process alive. A server
 * always has its listening socket, and the listing holds the event loop for as long as it takes
 * to list every client's socket (several ms at 4,000).
 */
function stopExitCheck(): void {
  const transport = (io as unknown as { transport?: Pm2Transport | null }).transport;
  if (transport?.autoExitHandle !== undefined) clearInterval(transport.autoExitHandle);
}
