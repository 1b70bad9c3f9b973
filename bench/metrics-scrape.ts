/**
 * How long one /metrics scrape holds the event loop, as the connected clients grow: the process
 * holds --sockets open TCP sockets (connections to itself, both ends here: as many sockets as a
 * server holds with that many clients), then times the server's registry (src/metrics.ts) against prom-client's full default
 * metrics, which list every handle, resource and open file at each scrape. Prints the median and
 * spread of --rounds scrapes of each, measured alternately, at each count.
 * Run: npm run bench:metrics-scrape [-- --sockets 0,4000,18000 --rounds 9]
 */
import { createConnection, createServer, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { Metrics } from '../src/metrics.js';
import { spreadOf } from './spread.js';

const { values } = parseArgs({
  options: {
    sockets: { type: 'string', default: '0,4000,18000' },
    rounds: { type: 'string', default: '9' },
  },
});
const counts = values.sockets.split(',').map(Number);
const rounds = Number(values.rounds);
if (counts.some((count) => !Number.isInteger(count) || count < 0) || !Number.isInteger(rounds) || rounds < 1) {
  throw new Error('--sockets takes whole numbers separated by commas, --rounds a whole number from 1');
}
if (counts.some((count) => count % 2 !== 0)) throw new Error('--sockets: even numbers, two ends of each connection');

const ours = new Metrics(() => 0).registry;
const full = new Registry();
collectDefaultMetrics({ register: full });

const accepted: Socket[] = [];
const server = createServer((socket) => accepted.push(socket));
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const { port } = server.address() as { port: number };
const connected: Socket[] = [];

async function connectUpTo(sockets: number): Promise<void> {
  const count = sockets / 2;
  while (connected.length < count) {
    const batch = Math.min(500, count - connected.length);
    await Promise.all(Array.from({ length: batch }, () => new Promise<void>((resolve, reject) => {
      const socket = createConnection(port, '127.0.0.1', () => resolve());
      socket.once('error', reject);
      connected.push(socket);
    })));
  }
  while (accepted.length < count) await new Promise((resolve) => setTimeout(resolve, 10));
}

/** The time the event loop was busy with one scrape (what a move arriving meanwhile waits), not counting work on other threads. */
async function scrapeMs(registry: Registry): Promise<number> {
  const before = performance.eventLoopUtilization();
  await registry.metrics();
  return performance.eventLoopUtilization(before).active;
}

function spread(times: readonly number[]): string {
  const { min, median, max } = spreadOf(times);
  return `${median.toFixed(2)} ms (${min.toFixed(2)}-${max.toFixed(2)})`;
}

console.log(`event-loop time of one scrape, median (min-max) of ${rounds}`);
// The first scrapes compile the collectors.
for (let warm = 0; warm < 5; warm++) {
  await scrapeMs(ours);
  await scrapeMs(full);
}
for (const count of counts) {
  await connectUpTo(count);
  const oursMs: number[] = [];
  const fullMs: number[] = [];
  for (let round = 0; round < rounds; round++) {
    oursMs.push(await scrapeMs(ours));
    fullMs.push(await scrapeMs(full));
  }
  console.log(`${String(count).padStart(6)} sockets: the server's ${spread(oursMs)}, prom-client's full defaults ${spread(fullMs)}`);
}
for (const socket of [...connected, ...accepted]) socket.destroy();
server.close();
