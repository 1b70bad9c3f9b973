/**
 * Starts the project's server (src/index.ts) with a monitor that reports, once a second over
 * IPC, its CPU, event-loop delay, garbage collection, memory and room count to the load
 * generator that forked it. It also registers the baseline room (loadtest/baseline-room.ts).
 */
import { BASELINE_ROOM, BaselineRoom } from './baseline-room.js';
import { ProcessMonitor } from './stats.js';
import { profileWindowFromEnv } from './steady-profile.js';

const monitor = new ProcessMonitor();
profileWindowFromEnv();
await import('../src/index.js');
const { matchMaker } = await import('@colyseus/core');
matchMaker.defineRoomType(BASELINE_ROOM, BaselineRoom);

setInterval(() => {
  process.send?.({ type: 'server-sample', sample: monitor.sample(), rooms: matchMaker.stats.local.roomCount, ccu: matchMaker.stats.local.ccu });
}, 1_000).unref();

process.on('disconnect', () => process.exit(0));
process.send?.({ type: 'server-ready' });
