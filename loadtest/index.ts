/**
 * Load generator: keeps N matches (or baseline rooms) running, each with two @colyseus/sdk
 * clients, against one server or several processes joined by Redis, and prints throughput,
 * move-to-patch latency, errors and the servers' CPU per action. See loadtest/README.md.
 *
 *   npm run loadtest -- --spawn-server --matches 200 --duration 30
 */
import { findMax } from './find-max.js';
import { readOptions, type Options } from './options.js';
import { DEFAULT_P99_LIMIT_MS, Phase, type LoadedServers, type StopSignal } from './phase.js';
import { printReport, type Measurement } from './report.js';
import { ExternalServer } from './server-process.js';
import { ServerSet } from './server-set.js';

/** The servers of one measurement, started for it or already running. */
interface OpenServers extends LoadedServers {
  readonly description: string;
  stop(): Promise<void>;
}

async function openServers(options: Options, processes: number, run: number, stop: StopSignal): Promise<OpenServers> {
  if (!options.spawnServer) return new ExternalServer(options.url, options.serverPid);
  const servers = await ServerSet.start(
    { processes, redis: options.redis, redisUrl: options.redisUrl, database: options.database, postgresUrl: options.postgresUrl },
    `r${run}_p${processes}`,
  );
  servers.onExit((reason) => {
    stop.reason ??= reason;
    console.log(reason);
  });
  console.log(`servers started: ${servers.description}; logs ${servers.logPaths.join(', ')}`);
  return servers;
}

/** Every room of the run against the same servers, one after the other. */
async function measureRooms(options: Options, servers: OpenServers, run: number, stop: StopSignal): Promise<Measurement[]> {
  const measurements: Measurement[] = [];
  for (const room of options.rooms) {
    if (stop.reason) break;
    console.log('');
    console.log(
      `=== run ${run} of ${options.runs}: ${room} room, ${servers.description}; ${options.findMax ? `from ${options.matches}` : options.matches} matches, ` +
        `think ${options.think} ms, ramp ${options.ramp}/s, steady ${options.duration} s, ${options.workers} generator process(es) ===`,
    );
    if (options.findMax) {
      measurements.push({ run, processes: servers.processes, room, ...(await findMax(options, room, servers, stop)) });
    } else {
      const result = await new Phase(options, room, options.matches, servers).run(stop);
      measurements.push({ run, processes: servers.processes, room, result, broke: null });
    }
  }
  return measurements;
}

async function main(): Promise<number> {
  const options = readOptions();
  const stop: StopSignal = { reason: null };
  const onSignal = () => {
    if (stop.reason) process.exit(130);
    stop.reason = 'interrupted';
    console.log('interrupted: stopping');
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const measurements: Measurement[] = [];
  for (let run = 1; run <= options.runs && !stop.reason; run++) {
    for (const processes of options.processCounts) {
      if (stop.reason) break;
      const servers = await openServers(options, processes, run, stop);
      try {
        measurements.push(...(await measureRooms(options, servers, run, stop)));
      } finally {
        await servers.stop();
      }
    }
  }
  printReport(measurements, options.findMax, options.p99Limit ?? DEFAULT_P99_LIMIT_MS);
  if (stop.reason) console.log(`stopped early: ${stop.reason}`);
  const failed = measurements.some((m) => (options.findMax ? m.result === null : !m.result?.ok));
  return stop.reason || failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(2);
  },
);
