/**
 * Starts the project's server (src/index.ts) with a monitor that reports, once a second over
 * IPC, its CPU, event-loop delay, memory and room count to the load generator that forked it.
 */
import { ProcessMonitor } from './stats.js';

const monitor = new ProcessMonitor();
await import('../src/index.js');
const { matchMaker } = await import('@colyseus/core');

setInterval(() => {
  process.send?.({ type: 'server-sample', sample: monitor.sample(), rooms: matchMaker.stats.local.roomCount, ccu: matchMaker.stats.local.ccu });
}, 1_000).unref();

process.on('disconnect', () => process.exit(0));
process.send?.({ type: 'server-ready' });
