/**
 * Load generator for the match room: keeps N matches running, each with two @colyseus/sdk
 * clients playing random legal plays as fast as the rules allow, and prints throughput,
 * move-to-patch latency and errors. See loadtest/README.md.
 *
 *   npm run loadtest -- --spawn-server --matches 200 --duration 30
 */
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Generator, type GeneratorOptions } from './generator.js';
import { Histogram } from './histogram.js';
import { ProcSampler, SpawnedServer, type ServerSample } from './server-process.js';
import { errorCount, ZERO_COUNTERS, type Counters, type GeneratorReport, type ProcessSample } from './stats.js';

const HELP = `Usage: npm run loadtest -- [options]

  --url URL            server to load (default ws://127.0.0.1:2567)
  --spawn-server       start the project's server (src/index.ts) on a free port and load it
  --server-pid PID     sample CPU and memory of a server started elsewhere (Linux /proc)
  --matches N          matches kept running, two clients each (default 20)
  --duration S         seconds measured once all matches run (default 20)
  --ramp R             matches started per second while ramping up (default 50)
  --match-length L     points per match (default 5)
  --think MS           mean pause before each action (0.5x..1.5x, default 0: as fast as the rules allow)
  --on-end MODE        rematch (default): both players ask for a rematch; new: leave, start a new match
  --max-rate R         messages per second per client at most (default 400; the room disconnects above 500)
  --join-concurrency J matches joining at once at most, per generator process (default 50)
  --workers K          generator processes (default 1); matches and ramp are split between them
  --interval S         seconds between progress lines (default 5)
  --stall S            an action or match without a patch for S seconds is an error (default 10)
  --p99-limit MS       also exit non-zero when the steady-state move-to-patch p99 exceeds MS
  --help               this text

Exits 0 when no error occurred (and the p99 limit, if given, held), 1 otherwise.`;

interface Options {
  url: string;
  spawnServer: boolean;
  serverPid: number | null;
  matches: number;
  duration: number;
  ramp: number;
  matchLength: number;
  onEnd: 'rematch' | 'new';
  think: number;
  joinConcurrency: number;
  maxRate: number;
  workers: number;
  interval: number;
  stall: number;
  p99Limit: number | null;
}

function readOptions(): Options {
  const { values } = parseArgs({
    options: {
      url: { type: 'string', default: 'ws://127.0.0.1:2567' },
      'spawn-server': { type: 'boolean', default: false },
      'server-pid': { type: 'string' },
      matches: { type: 'string', default: '20' },
      duration: { type: 'string', default: '20' },
      ramp: { type: 'string', default: '50' },
      'match-length': { type: 'string', default: '5' },
      'on-end': { type: 'string', default: 'rematch' },
      think: { type: 'string', default: '0' },
      'join-concurrency': { type: 'string', default: '50' },
      'max-rate': { type: 'string', default: '400' },
      workers: { type: 'string', default: '1' },
      interval: { type: 'string', default: '5' },
      stall: { type: 'string', default: '10' },
      'p99-limit': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(HELP);
    process.exit(0);
  }
  const number = (name: string, text: string | undefined, min: number, integer = true): number => {
    const value = Number(text);
    if (text === undefined || !Number.isFinite(value) || value < min || (integer && !Number.isInteger(value))) {
      throw new Error(`--${name} must be ${integer ? 'a whole number' : 'a number'} >= ${min}, not "${text}"`);
    }
    return value;
  };
  if (values['on-end'] !== 'rematch' && values['on-end'] !== 'new') throw new Error(`--on-end must be rematch or new, not "${values['on-end']}"`);
  return {
    url: values.url,
    spawnServer: values['spawn-server'],
    serverPid: values['server-pid'] === undefined ? null : number('server-pid', values['server-pid'], 1),
    matches: number('matches', values.matches, 0),
    duration: number('duration', values.duration, 0, false),
    ramp: number('ramp', values.ramp, 0.1, false),
    matchLength: number('match-length', values['match-length'], 1),
    onEnd: values['on-end'],
    think: number('think', values.think, 0, false),
    joinConcurrency: number('join-concurrency', values['join-concurrency'], 1),
    maxRate: number('max-rate', values['max-rate'], 1, false),
    workers: number('workers', values.workers, 1),
    interval: number('interval', values.interval, 0.5, false),
    stall: number('stall', values.stall, 1, false),
    p99Limit: values['p99-limit'] === undefined ? null : number('p99-limit', values['p99-limit'], 0, false),
  };
}

/** CPU time of the whole machine from /proc/stat, as % of one core (Linux; null elsewhere). */
class MachineSampler {
  private last: { busy: number; total: number } | null = this.read();
  private readonly cores = cpus().length;

  private read(): { busy: number; total: number } | null {
    try {
      const fields = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/).slice(1).map(Number);
      const idle = fields[3]! + (fields[4] ?? 0);
      const total = fields.slice(0, 8).reduce((sum, value) => sum + value, 0);
      return { busy: total - idle, total };
    } catch {
      return null;
    }
  }

  sample(): number | null {
    const now = this.read();
    const last = this.last;
    this.last = now;
    if (!now || !last || now.total === last.total) return null;
    return ((now.busy - last.busy) / (now.total - last.total)) * this.cores * 100;
  }
}

/** One generator, in this process or in a worker process. */
interface Source {
  counters: Counters;
  samples: ProcessSample[];
  errorSamples: string[];
  ramped: boolean;
  finished: boolean;
}

/** Latency histograms and process samples collected over a span of time. */
class Span {
  readonly move = new Histogram();
  readonly action = new Histogram();
  /** Per generator process, its samples. */
  readonly generator: ProcessSample[][] = [];
  readonly server: ServerSample[] = [];
  readonly machine: number[] = [];
  startedAt = performance.now();
  counters: Counters;

  constructor(counters: Counters) {
    this.counters = { ...counters };
  }
}

type Phase = 'ramp' | 'settle' | 'steady' | 'stop';

class Coordinator {
  readonly sources: Source[] = [];
  private readonly workers: ChildProcess[] = [];
  private local: Generator | null = null;
  private interval: Span;
  private steady: Span | null = null;
  /** The steady span while it collects figures; null before and after. */
  private collecting: Span | null = null;
  private steadyEnd: Counters | null = null;
  private steadySeconds = 0;
  phase: Phase = 'ramp';
  private readonly startedAt = performance.now();
  private headerPrinted = false;
  private readonly machine = new MachineSampler();

  constructor(
    readonly options: Options,
    readonly server: SpawnedServer | null,
    private readonly procSampler: ProcSampler | null,
  ) {
    this.interval = new Span(ZERO_COUNTERS);
    server?.onSample((sample) => this.serverSample(sample));
  }

  private serverSample(sample: ServerSample): void {
    this.interval.server.push(sample);
    this.collecting?.server.push(sample);
  }

  start(url: string): void {
    const { options } = this;
    const shares = split(options.matches, options.workers);
    shares.forEach((matches, index) => {
      const generatorOptions: GeneratorOptions = {
        url,
        matches,
        ramp: options.ramp / options.workers,
        matchLength: options.matchLength,
        onMatchEnd: options.onEnd,
        stallMs: options.stall * 1000,
        thinkMs: options.think,
        joinConcurrency: options.joinConcurrency,
        maxRate: options.maxRate,
      };
      const source: Source = { counters: { ...ZERO_COUNTERS }, samples: [], errorSamples: [], ramped: false, finished: false };
      this.sources.push(source);
      if (options.workers === 1) {
        this.local = new Generator(generatorOptions);
        void this.local.start().then(() => (source.ramped = true));
        return;
      }
      const child = fork(fileURLToPath(new URL('./worker.ts', import.meta.url)), [], {
        env: { ...process.env, TAVLA_LOADTEST_WORKER: JSON.stringify(generatorOptions) },
        execArgv: process.execArgv,
      });
      child.on('message', (message: { type: string; report?: GeneratorReport; final?: boolean }) => {
        if (message.type === 'ramped') source.ramped = true;
        if (message.type === 'report' && message.report) this.receive(source, message.report, message.final === true);
      });
      child.on('exit', (code) => {
        if (!source.finished) {
          source.finished = true;
          source.counters.clientErrors += 1;
          source.errorSamples.push(`clientErrors: worker ${index} exited with ${code} before the end`);
        }
      });
      this.workers.push(child);
    });
  }

  /** Called once a second. */
  tick(): void {
    if (this.local) this.receive(this.sources[0]!, this.local.report(), false);
    if (this.procSampler) {
      const sample = this.procSampler.sample();
      if (sample) this.serverSample(sample);
    }
    const machine = this.machine.sample();
    if (machine !== null) {
      this.interval.machine.push(machine);
      this.collecting?.machine.push(machine);
    }
  }

  private receive(source: Source, report: GeneratorReport, final: boolean): void {
    source.counters = report.counters;
    source.errorSamples = report.errorSamples;
    source.samples.push(report.process);
    if (this.collecting) (this.collecting.generator[this.sources.indexOf(source)] ??= []).push(report.process);
    if (final) source.finished = true;
    for (const span of [this.interval, this.collecting]) {
      if (!span) continue;
      span.move.merge(report.move.data, report.move.max);
      span.action.merge(report.action.data, report.action.max);
    }
  }

  totals(): Counters {
    const total = { ...ZERO_COUNTERS };
    for (const source of this.sources) for (const key of Object.keys(total) as (keyof Counters)[]) total[key] += source.counters[key];
    return total;
  }

  get allRamped(): boolean {
    return this.sources.every((source) => source.ramped);
  }

  beginSteady(): void {
    this.phase = 'steady';
    this.steady = new Span(this.totals());
    this.collecting = this.steady;
  }

  endSteady(): void {
    if (!this.steady) return;
    // Figures the generators took up to now arrive within a second: collect them, then close the window.
    if (this.local) this.receive(this.sources[0]!, this.local.report(), false);
    this.collecting = null;
    this.steadyEnd = this.totals();
    this.steadySeconds = (performance.now() - this.steady.startedAt) / 1000;
    this.phase = 'stop';
  }

  /** Prints the progress line for the time since the previous one. */
  printInterval(): void {
    const now = performance.now();
    const span = this.interval;
    const seconds = Math.max(0.001, (now - span.startedAt) / 1000);
    const totals = this.totals();
    const generator = this.generatorFigures();
    const server = serverFigures(span.server);
    if (!this.headerPrinted) {
      this.headerPrinted = true;
      console.log(
        pad('time', 6) + pad('phase', 7) + pad('clients', 8) + pad('matches', 8) + pad('games/s', 8) + pad('msgs/s', 8) +
          pad('sent', 10) + pad('errors', 7) + pad('move p50/p95/p99 ms', 22) + pad('gen cpu/eld99/rss', 21) + pad('server cpu/eld99/rss/rooms', 28) + 'other cpu',
      );
    }
    console.log(
      pad(`${Math.round((now - this.startedAt) / 1000)}s`, 6) +
        pad(this.phase, 7) +
        pad(String(totals.clients), 8) +
        pad(String(totals.matchesRunning), 8) +
        pad(((totals.gamesFinished - span.counters.gamesFinished) / seconds).toFixed(1), 8) +
        pad(String(Math.round((totals.messagesSent - span.counters.messagesSent) / seconds)), 8) +
        pad(String(totals.messagesSent), 10) +
        pad(String(errorCount(totals)), 7) +
        pad(`${ms(span.move.percentile(0.5))}/${ms(span.move.percentile(0.95))}/${ms(span.move.percentile(0.99))}`, 22) +
        pad(`${generator.cpu.toFixed(0)}%/${ms(generator.eldP99)}/${generator.rss.toFixed(0)}M`, 21) +
        pad(server ? `${server.cpu.toFixed(0)}%/${ms(server.eldP99)}/${server.rss.toFixed(0)}M/${server.rooms ?? '-'}` : '-', 28) +
        otherCpu(span.machine, generator.cpu, server?.cpu ?? 0),
    );
    this.interval = new Span(totals);
    for (const source of this.sources) source.samples = [];
  }

  /** Generator CPU summed over processes (averaged over the interval), worst event-loop delay, summed memory. */
  private generatorFigures(): { cpu: number; eldP99: number; eldMax: number; rss: number } {
    let cpu = 0;
    let eldP99 = 0;
    let eldMax = 0;
    let rss = 0;
    for (const source of this.sources) {
      if (source.samples.length === 0) continue;
      cpu += average(source.samples.map((sample) => sample.cpuPercent));
      eldP99 = Math.max(eldP99, ...source.samples.map((sample) => sample.eldP99Ms));
      eldMax = Math.max(eldMax, ...source.samples.map((sample) => sample.eldMaxMs));
      rss += source.samples.at(-1)!.rssMb;
    }
    return { cpu, eldP99, eldMax, rss };
  }

  async stop(): Promise<void> {
    if (this.local) {
      await this.local.stop();
      this.receive(this.sources[0]!, this.local.report(), true);
    }
    await Promise.all(
      this.workers.map(
        (child, index) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || this.sources[index]!.finished) return resolve();
            const timer = setTimeout(() => {
              child.kill('SIGKILL');
              resolve();
            }, 15_000);
            child.once('exit', () => {
              clearTimeout(timer);
              resolve();
            });
            child.send({ type: 'stop' });
          }),
      ),
    );
  }

  /** The final report; returns the process exit code. */
  printSummary(): number {
    const totals = this.totals();
    const errors = errorCount(totals);
    const steady = this.steady;
    const end = this.steadyEnd ?? totals;
    const seconds = this.steadySeconds;
    const start = steady?.counters ?? ZERO_COUNTERS;
    const rate = (key: keyof Counters) => (seconds > 0 ? (end[key] - start[key]) / seconds : 0);
    const move = steady?.move ?? new Histogram();
    const action = steady?.action ?? new Histogram();
    const generatorSamples = steady?.generator ?? [];
    const genCpu = generatorSamples.reduce((sum, samples) => sum + average(samples.map((sample) => sample.cpuPercent)), 0);
    const genEld = Math.max(0, ...generatorSamples.flat().map((sample) => sample.eldP99Ms));
    const server = serverFigures(steady?.server ?? []);
    const peakClients = end.clients;
    const target = this.options.matches;

    console.log('');
    console.log(`--- steady state: ${seconds.toFixed(1)} s with ${target} matches (${target * 2} clients) ---`);
    console.log(`clients connected     ${peakClients} of ${target * 2} (at the end of the steady state)`);
    console.log(`matches running       ${end.matchesRunning} of ${target}`);
    console.log(`games finished        ${end.gamesFinished - start.gamesFinished} (${rate('gamesFinished').toFixed(1)}/s); matches ${end.matchesFinished - start.matchesFinished} (${rate('matchesFinished').toFixed(1)}/s)`);
    console.log(`messages sent         ${end.messagesSent - start.messagesSent} (${rate('messagesSent').toFixed(0)}/s); patches received ${rate('patchesReceived').toFixed(0)}/s`);
    console.log(`move -> patch         ${percentiles(move)} (${move.count} moves)`);
    console.log(`any action -> patch   ${percentiles(action)} (${action.count} roll/move/confirm/take)`);
    console.log(
      `errors (whole run)    ${errors}: error replies ${totals.errorReplies}, unexpected closes ${totals.unexpectedCloses}, ` +
        `join failures ${totals.joinFailures}, client errors ${totals.clientErrors}, stalls ${totals.stalls}`,
    );
    const samples = this.sources.flatMap((source) => source.errorSamples);
    for (const sample of samples.slice(0, 15)) console.log(`  ${sample}`);
    console.log(`generator             cpu ${genCpu.toFixed(0)}% of one core over ${this.sources.length} process(es), event-loop delay p99 up to ${ms(genEld)} ms`);
    if (server) {
      console.log(
        `server                cpu ${server.cpu.toFixed(0)}% of one core, event-loop delay p99 ${ms(server.eldP99)} ms (max ${ms(server.eldMax)} ms), ` +
          `rss ${server.rss.toFixed(0)} MB, heap ${server.heap.toFixed(0)} MB, rooms ${server.rooms ?? '-'}`,
      );
    }
    const machine = steady?.machine ?? [];
    if (machine.length > 0) {
      console.log(`machine               cpu ${average(machine).toFixed(0)}% of one core (${cpus().length} cores); other processes ${otherCpu(machine, genCpu, server?.cpu ?? 0)}`);
      if (average(machine) - genCpu - (server?.cpu ?? 0) > 20) console.log('warning               other processes took CPU during the run: these figures understate the server');
    }
    if (this.server) console.log(`server log            ${this.server.logPath}`);

    const p99 = move.percentile(0.99);
    const latencyFailed = this.options.p99Limit !== null && !(p99 <= this.options.p99Limit);
    const verdict = errors > 0 || latencyFailed ? 'FAIL' : 'OK';
    console.log(
      `SUMMARY ${verdict} matches=${target} clients=${peakClients} steady=${seconds.toFixed(0)}s games/s=${rate('gamesFinished').toFixed(1)} ` +
        `msgs/s=${rate('messagesSent').toFixed(0)} move_p50=${ms(move.percentile(0.5))}ms move_p95=${ms(move.percentile(0.95))}ms ` +
        `move_p99=${ms(p99)}ms errors=${errors} gen_cpu=${genCpu.toFixed(0)}%` +
        (server ? ` server_cpu=${server.cpu.toFixed(0)}% server_eld_p99=${ms(server.eldP99)}ms server_rss=${server.rss.toFixed(0)}MB` : ''),
    );
    return verdict === 'OK' ? 0 : 1;
  }
}

function serverFigures(samples: ServerSample[]): { cpu: number; eldP99: number; eldMax: number; rss: number; heap: number; rooms: number | undefined } | null {
  if (samples.length === 0) return null;
  const last = samples.at(-1)!;
  return {
    cpu: average(samples.map((entry) => entry.sample.cpuPercent)),
    eldP99: Math.max(...samples.map((entry) => entry.sample.eldP99Ms)),
    eldMax: Math.max(...samples.map((entry) => entry.sample.eldMaxMs)),
    rss: last.sample.rssMb,
    heap: last.sample.heapMb,
    rooms: last.rooms,
  };
}

/** Machine CPU not used by the generator or the server: other work on the machine skews the figures. */
function otherCpu(machine: number[], generator: number, server: number): string {
  if (machine.length === 0) return '-';
  return `${Math.max(0, average(machine) - generator - server).toFixed(0)}%`;
}

function average(values: number[]): number {
  return values.length === 0 ? 0 : values.reduce((sum, value) => sum + value, 0) / values.length;
}

function percentiles(histogram: Histogram): string {
  if (histogram.count === 0) return 'no samples';
  return `p50 ${ms(histogram.percentile(0.5))} ms, p95 ${ms(histogram.percentile(0.95))} ms, p99 ${ms(histogram.percentile(0.99))} ms, max ${ms(histogram.max)} ms`;
}

function ms(value: number): string {
  if (!Number.isFinite(value)) return '-';
  return value < 10 ? value.toFixed(1) : value.toFixed(0);
}

function pad(text: string, width: number): string {
  return text.length >= width ? `${text} ` : text.padEnd(width);
}

function split(total: number, parts: number): number[] {
  return Array.from({ length: parts }, (_, index) => Math.floor(total / parts) + (index < total % parts ? 1 : 0));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function main(): Promise<number> {
  const options = readOptions();
  let server: SpawnedServer | null = null;
  if (options.spawnServer) {
    server = await SpawnedServer.start();
    console.log(`server started: pid ${server.child.pid}, ${server.url}, log ${server.logPath}`);
  }
  const url = server?.url ?? options.url;
  const procSampler = !server && options.serverPid !== null ? new ProcSampler(options.serverPid) : null;
  const coordinator = new Coordinator(options, server, procSampler);
  console.log(
    `loading ${url}: ${options.matches} matches (${options.matches * 2} clients), ramp ${options.ramp}/s, ` +
      `match length ${options.matchLength}, think ${options.think} ms, on match end: ${options.onEnd}, ${options.workers} generator process(es), steady ${options.duration} s`,
  );

  let interrupted = false;
  const onSignal = () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    console.log('interrupted: stopping');
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let serverExit: string | null = null;
  const onServerExit = (code: number | null, signal: NodeJS.Signals | null) => {
    serverExit = `the server exited (${signal ?? `code ${code}`}) during the run; its output is in ${server!.logPath}`;
    interrupted = true;
    console.log(serverExit);
  };
  server?.child.once('exit', onServerExit);

  coordinator.start(url);
  const SETTLE_LIMIT_S = 60;
  let rampedAt: number | null = null;
  let steadyAt: number | null = null;
  let lastPrint = performance.now();
  while (!interrupted) {
    await sleep(1_000);
    coordinator.tick();
    const now = performance.now();
    if (coordinator.phase === 'ramp' && coordinator.allRamped) {
      coordinator.phase = 'settle';
      rampedAt = now;
    }
    if (coordinator.phase === 'settle') {
      const running = coordinator.totals().matchesRunning;
      if (running >= options.matches || now - rampedAt! > SETTLE_LIMIT_S * 1000) {
        coordinator.beginSteady();
        steadyAt = now;
      }
    }
    if (now - lastPrint >= options.interval * 1000 - 50) {
      coordinator.printInterval();
      lastPrint = now;
    }
    if (coordinator.phase === 'steady' && now - steadyAt! >= options.duration * 1000) break;
  }
  if (performance.now() - lastPrint > 500) coordinator.printInterval();
  coordinator.endSteady();
  await coordinator.stop();
  const code = coordinator.printSummary();
  server?.child.off('exit', onServerExit);
  if (server) await server.stop();
  if (serverExit) console.log(serverExit);
  return serverExit ? 1 : code;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(2);
  },
);
