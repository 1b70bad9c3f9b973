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
}
