/**
 * One measurement: the generator(s) ramp up to N matches in one kind of room, the steady state
 * is measured for --duration seconds, then every client leaves. Prints a progress line per
 * interval and the steady state's figures, and returns them.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Generator, type GeneratorOptions, type RoomKind } from './generator.js';
import { Histogram } from './histogram.js';
import type { Options } from './options.js';
import { nodeFlagsFrom, threadCpuSince, type ServerSample, type ThreadCpu } from './server-process.js';
import { JournalWatch, type JournalFigures, type JournalScrape } from './server-metrics.js';
import { errorCount, worseOf, ZERO_COUNTERS, type Counters, type GeneratorReport, type ProcessSample } from './stats.js';

/** The servers under load, as a phase sees them. */
export interface LoadedServers {
  readonly urls: string[];
  readonly processes: number;
  /** CPU seconds all server processes have used so far (every thread), or null when unknown. */
  cpuSeconds(): number | null;
  /** The same per thread name (see threadCpuSecondsOf), or null when unknown. */
  threadCpuSeconds(): ThreadCpu | null;
  /** The servers' samples of the last second; index tells the process. */
  onSample(listener: (index: number, sample: ServerSample) => void): void;
  /** Each process's journal figures (see server-metrics.ts); none when unknown. */
  scrapeJournal(): Promise<(JournalScrape | null)[]>;
}

/** What a phase measured in its steady state. */
export interface PhaseResult {
  room: RoomKind;
  processes: number;
  matches: number;
  matchesRunning: number;
  steadySeconds: number;
  /** Messages the clients sent in the steady state: every one is an action the server handled. */
  actions: number;
  actionsPerSecond: number;
  moveP50: number;
  moveP95: number;
  moveP99: number;
  moveMax: number;
  errors: number;
  /** No error, and the p99 within --p99-limit if given: what the exit code says. */
  ok: boolean;
  /** Every match ran, no error, and the p99 within --p99-limit (default 50 ms): the load was held. */
  held: boolean;
  serverCpuPercent: number;
  /** Server CPU (all processes, all threads) per action in the steady state, µs; NaN when unknown. */
  cpuPerActionUs: number;
  /** The same less the idle floor (the servers' CPU with every client silent), µs; NaN when not measured. */
  netCpuPerActionUs: number;
  /** Server CPU with every client connected and silent, % of one core; NaN when not measured. */
  idleCpuPercent: number;
  serverEldP99: number;
  generatorCpuPercent: number;
  otherCpuPercent: number;
}

/** Why a run must stop early (Ctrl-C, a server gone); shared by every phase of the run. */
export interface StopSignal {
  reason: string | null;
}

const SETTLE_LIMIT_S = 60;
const IDLE_SETTLE_MS = 2_000;
/** The move-to-patch p99 a load must keep to count as held, unless --p99-limit says otherwise. */
export const DEFAULT_P99_LIMIT_MS = 50;

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

interface IndexedSample extends ServerSample {
  index: number;
}

/** Latency histograms and process samples collected over a span of time. */
class Span {
  readonly move = new Histogram();
  readonly action = new Histogram();
  /** Per generator process, its samples. */
  readonly generator: ProcessSample[][] = [];
  readonly server: IndexedSample[] = [];
  readonly machine: number[] = [];
  startedAt = performance.now();
  counters: Counters;

  constructor(counters: Counters) {
    this.counters = { ...counters };
  }
}

type Stage = 'ramp' | 'settle' | 'warmup' | 'steady' | 'stop';

export class Phase {
  readonly sources: Source[] = [];
  private readonly workers: ChildProcess[] = [];
  private local: Generator | null = null;
  private interval: Span;
  private steady: Span | null = null;
  /** The steady span while it collects figures; null before and after. */
  private collecting: Span | null = null;
  private steadyEnd: Counters | null = null;
  private steadySeconds = 0;
  private cpuAtSteadyStart: number | null = null;
  private cpuInSteady: number | null = null;
  private threadCpuAtSteadyStart: ThreadCpu | null = null;
  private threadCpuInSteady: ThreadCpu | null = null;
  /** Server CPU (% of one core) with every client connected and silent; null when not measured. */
  private idleCpuPercent: number | null = null;
  stage: Stage = 'ramp';
  private readonly startedAt = performance.now();
  private headerPrinted = false;
  private readonly machine = new MachineSampler();
  private readonly journal = new JournalWatch();

  constructor(
    readonly options: Options,
    readonly room: RoomKind,
    readonly matches: number,
    private readonly servers: LoadedServers,
  ) {
    this.interval = new Span(ZERO_COUNTERS);
    servers.onSample((index, sample) => this.serverSample({ ...sample, index }));
  }

  private serverSample(sample: IndexedSample): void {
    this.interval.server.push(sample);
    this.collecting?.server.push(sample);
  }

  /** Ramps up, settles, measures the steady state and stops the clients; returns the steady state's figures. */
  async run(stop: StopSignal): Promise<PhaseResult> {
    this.start();
    let rampedAt: number | null = null;
    let warmAt: number | null = null;
    let steadyAt: number | null = null;
    let lastPrint = performance.now();
    while (!stop.reason) {
      await sleep(1_000);
      this.tick();
      const now = performance.now();
      if (this.stage === 'ramp' && this.allRamped) {
        this.stage = 'settle';
        rampedAt = now;
      }
      if (this.stage === 'settle' && (this.totals().matchesRunning >= this.matches || now - rampedAt! > SETTLE_LIMIT_S * 1000)) {
        this.stage = 'warmup';
        warmAt = now;
      }
      if (this.stage === 'warmup' && now - warmAt! >= this.options.warmup * 1000) {
        this.beginSteady();
        steadyAt = now;
      }
      if (now - lastPrint >= this.options.interval * 1000 - 50) {
        await this.printInterval();
        lastPrint = now;
      }
      if (this.stage === 'steady' && now - steadyAt! >= this.options.duration * 1000) break;
    }
    if (performance.now() - lastPrint > 500) await this.printInterval();
    this.endSteady();
    if (!stop.reason && this.steady) await this.measureIdle();
    await this.stop();
    return this.summarize();
  }

  private start(): void {
    const { options } = this;
    split(this.matches, options.workers).forEach((matches, index) => {
      const generatorOptions: GeneratorOptions = {
        urls: this.servers.urls,
        room: this.room,
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
      this.workers.push(this.forkWorker(generatorOptions, source, index));
    });
  }

  private forkWorker(generatorOptions: GeneratorOptions, source: Source, index: number): ChildProcess {
    const child = fork(fileURLToPath(new URL('./worker.ts', import.meta.url)), [], {
      env: { ...process.env, TAVLA_LOADTEST_WORKER: JSON.stringify(generatorOptions) },
      // More Node flags for these processes (not for a generator in this process, --workers 1).
      execArgv: [...process.execArgv, ...nodeFlagsFrom('TAVLA_LOADTEST_GENERATOR_FLAGS')],
    });
    child.on('message', (message: { type: string; report?: GeneratorReport; final?: boolean }) => {
      if (message.type === 'ramped') source.ramped = true;
      if (message.type === 'report' && message.report) this.receive(source, message.report, message.final === true);
    });
    child.on('exit', (code) => {
      if (source.finished) return;
      source.finished = true;
      source.counters.clientErrors += 1;
      source.errorSamples.push(`clientErrors: worker ${index} exited with ${code} before the end`);
    });
    return child;
  }

  /** Called once a second. */
  private tick(): void {
    if (this.local) this.receive(this.sources[0]!, this.local.report(), false);
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

  private totals(): Counters {
    const total = { ...ZERO_COUNTERS };
    for (const source of this.sources) for (const key of Object.keys(total) as (keyof Counters)[]) total[key] += source.counters[key];
    return total;
  }

  private get allRamped(): boolean {
    return this.sources.every((source) => source.ramped);
  }

  private beginSteady(): void {
    this.stage = 'steady';
    this.steady = new Span(this.totals());
    this.collecting = this.steady;
    this.cpuAtSteadyStart = this.servers.cpuSeconds();
    this.threadCpuAtSteadyStart = this.servers.threadCpuSeconds();
  }

  private endSteady(): void {
    if (!this.steady) return;
    // Figures the generators took up to now arrive within a second: collect them, then close the window.
    if (this.local) this.receive(this.sources[0]!, this.local.report(), false);
    this.collecting = null;
    this.steadyEnd = this.totals();
    this.steadySeconds = (performance.now() - this.steady.startedAt) / 1000;
    const cpuNow = this.servers.cpuSeconds();
    this.cpuInSteady = cpuNow === null || this.cpuAtSteadyStart === null ? null : cpuNow - this.cpuAtSteadyStart;
    const threadCpuNow = this.servers.threadCpuSeconds();
    this.threadCpuInSteady = threadCpuNow === null || this.threadCpuAtSteadyStart === null ? null : threadCpuSince(this.threadCpuAtSteadyStart, threadCpuNow);
    this.stage = 'stop';
  }

  /**
   * The servers' CPU with every room open and every client connected but silent, over
   * --idle seconds after the steady state: the floor that the steady state's CPU includes
   * whatever the action rate, taken off to give the cost of the actions themselves.
   */
  private async measureIdle(): Promise<void> {
    if (this.options.idle <= 0) return;
    this.local?.fallSilent();
    for (const child of this.workers) if (child.connected) child.send({ type: 'fall-silent' });
    // The actions in flight are answered within this.
    await sleep(IDLE_SETTLE_MS);
    const before = this.servers.cpuSeconds();
    const startedAt = performance.now();
    await sleep(this.options.idle * 1000);
    const after = this.servers.cpuSeconds();
    if (before === null || after === null) return;
    this.idleCpuPercent = ((after - before) / ((performance.now() - startedAt) / 1000)) * 100;
  }

  /** Prints the progress line for the time since the previous one. */
  private async printInterval(): Promise<void> {
    const journal = this.journal.next(await this.servers.scrapeJournal());
    const now = performance.now();
    const span = this.interval;
    const seconds = Math.max(0.001, (now - span.startedAt) / 1000);
    const totals = this.totals();
    const generator = generatorFigures(this.sources.map((source) => source.samples));
    const server = serverFigures(span.server);
    if (!this.headerPrinted) {
      this.headerPrinted = true;
      console.log(
        pad('time', 6) + pad('phase', 8) + pad('clients', 8) + pad('matches', 8) + pad('games/s', 8) + pad('msgs/s', 8) +
          pad('sent', 10) + pad('errors', 7) + pad('move p50/p95/p99/max ms', 26) + pad('gen cpu/eld99/eldmax/gc/gcmax/rss', 34) +
          pad('server cpu/eld99/eldmax/rss/rooms', 36) + pad('server gc ms/max', 17) + pad('journal backlog/ev/s/write ms/p99', 34) + pad('srv p99 ms', 11) + pad('cpu wait gen/srv', 17) + 'other cpu',
      );
    }
    console.log(
      pad(`${Math.round((now - this.startedAt) / 1000)}s`, 6) +
        pad(this.stage, 8) +
        pad(String(totals.clients), 8) +
        pad(String(totals.matchesRunning), 8) +
        pad(((totals.gamesFinished - span.counters.gamesFinished) / seconds).toFixed(1), 8) +
        pad(String(Math.round((totals.messagesSent - span.counters.messagesSent) / seconds)), 8) +
        pad(String(totals.messagesSent), 10) +
        pad(String(errorCount(totals)), 7) +
        pad(`${ms(span.move.percentile(0.5))}/${ms(span.move.percentile(0.95))}/${ms(span.move.percentile(0.99))}/${ms(span.move.max)}`, 26) +
        pad(`${generator.cpu.toFixed(0)}%/${ms(generator.eldP99)}/${ms(generator.eldMax)}/${ms(generator.gcMs)}/${ms(generator.gcMaxMs)}/${generator.rss.toFixed(0)}M`, 34) +
        pad(server ? `${server.cpu.toFixed(0)}%/${ms(server.eldP99)}/${ms(server.eldMax)}/${server.rss.toFixed(0)}M/${server.rooms}` : '-', 36) +
        pad(server ? `${ms(server.gcMs)}/${ms(server.gcMaxMs)}` : '-', 17) +
        pad(journalColumn(journal), 34) +
        pad(serverActionColumn(journal), 11) +
        pad(`${percent(generator.cpuWait)}/${percent(server?.cpuWait ?? NaN)}`, 17) +
        otherCpu(span.machine, generator.cpu, server?.cpu ?? 0),
    );
    this.interval = new Span(totals);
    for (const source of this.sources) source.samples = [];
  }

  private async stop(): Promise<void> {
    if (this.local) {
      await this.local.stop();
      this.receive(this.sources[0]!, this.local.report(), true);
    }
    await Promise.all(this.workers.map((child, index) => stopWorker(child, this.sources[index]!)));
  }

  /** Prints the steady state's figures and returns them. */
  private summarize(): PhaseResult {
    const totals = this.totals();
    const errors = errorCount(totals);
    const steady = this.steady;
    const end = this.steadyEnd ?? totals;
    const seconds = this.steadySeconds;
    const start = steady?.counters ?? ZERO_COUNTERS;
    const rate = (key: keyof Counters) => (seconds > 0 ? (end[key] - start[key]) / seconds : 0);
    const move = steady?.move ?? new Histogram();
    const action = steady?.action ?? new Histogram();
    const generator = generatorFigures(steady?.generator ?? []);
    const server = serverFigures(steady?.server ?? []);
    const actions = end.messagesSent - start.messagesSent;
    const cpuPerActionUs = this.cpuInSteady === null || actions === 0 ? NaN : (this.cpuInSteady / actions) * 1e6;
    const idleCpuSeconds = this.idleCpuPercent === null ? NaN : (this.idleCpuPercent / 100) * seconds;
    const netCpuPerActionUs = this.cpuInSteady === null || actions === 0 ? NaN : ((this.cpuInSteady - idleCpuSeconds) / actions) * 1e6;
    const target = this.matches;

    console.log('');
    console.log(`--- ${this.room} room, ${this.servers.processes} server process(es), steady state: ${seconds.toFixed(1)} s with ${target} matches (${target * 2} clients) ---`);
    console.log(`clients connected     ${end.clients} of ${target * 2} (at the end of the steady state)`);
    console.log(`matches running       ${end.matchesRunning} of ${target}`);
    console.log(`games finished        ${end.gamesFinished - start.gamesFinished} (${rate('gamesFinished').toFixed(1)}/s); matches ${end.matchesFinished - start.matchesFinished} (${rate('matchesFinished').toFixed(1)}/s)`);
    console.log(`messages sent         ${actions} (${rate('messagesSent').toFixed(0)}/s); patches received ${rate('patchesReceived').toFixed(0)}/s`);
    console.log(`move -> patch         ${percentiles(move)} (${move.count} ${this.room === 'match' ? 'moves' : 'increments'})`);
    if (this.room === 'match') console.log(`any action -> patch   ${percentiles(action)} (${action.count} roll/move/confirm/take)`);
    console.log(
      `errors (whole phase)  ${errors}: error replies ${totals.errorReplies}, unexpected closes ${totals.unexpectedCloses}, ` +
        `join failures ${totals.joinFailures}, client errors ${totals.clientErrors}, stalls ${totals.stalls}`,
    );
    for (const sample of this.sources.flatMap((source) => source.errorSamples).slice(0, 15)) console.log(`  ${sample}`);
    console.log(
      `generator             cpu ${generator.cpu.toFixed(0)}% of one core over ${this.sources.length} process(es), event-loop delay p99 up to ${ms(generator.eldP99)} ms (max ${ms(generator.eldMax)} ms), gc ${ms(generator.gcMs)} ms a second (longest ${ms(generator.gcMaxMs)} ms)${cpuWaitText(generator.cpuWait)}`,
    );
    if (server) {
      console.log(
        `server                cpu ${server.cpu.toFixed(0)}% of one core over ${this.servers.processes} process(es), event-loop delay p99 ${ms(server.eldP99)} ms (max ${ms(server.eldMax)} ms), ` +
          `gc ${ms(server.gcMs)} ms a second (longest ${ms(server.gcMaxMs)} ms), rss ${server.rss.toFixed(0)} MB, heap ${Number.isFinite(server.heap) ? server.heap.toFixed(0) : '-'} MB, rooms ${server.rooms} (per process)${cpuWaitText(server.cpuWait)}`,
      );
    }
    if (this.cpuInSteady !== null) {
      console.log(`server cpu per action ${usPerAction(cpuPerActionUs)} (${this.cpuInSteady.toFixed(2)} cpu s, all processes and threads, over ${actions} actions)`);
      if (this.threadCpuInSteady && actions > 0) console.log(`  by thread           ${describeThreadCpu(this.threadCpuInSteady, actions)}`);
      if (this.idleCpuPercent !== null) {
        console.log(
          `  net of the idle floor ${usPerAction(netCpuPerActionUs)} (idle: ${this.idleCpuPercent.toFixed(1)}% of one core with every client connected and silent, ` +
            `measured over ${this.options.idle} s after the steady state)`,
        );
      }
    }
    const machine = steady?.machine ?? [];
    const other = Math.max(0, average(machine) - generator.cpu - (server?.cpu ?? 0));
    if (machine.length > 0) {
      console.log(`machine               cpu ${average(machine).toFixed(0)}% of one core (${cpus().length} cores); other processes ${otherCpu(machine, generator.cpu, server?.cpu ?? 0)}`);
      if (other > 20) console.log('warning               other processes took CPU during the run: these figures understate the server');
    }

    const p99 = move.percentile(0.99);
    const latencyFailed = this.options.p99Limit !== null && !(p99 <= this.options.p99Limit);
    const ok = errors === 0 && !latencyFailed;
    const held = ok && p99 <= (this.options.p99Limit ?? DEFAULT_P99_LIMIT_MS) && end.matchesRunning >= target;
    console.log(
      `SUMMARY ${ok ? 'OK' : 'FAIL'} room=${this.room} processes=${this.servers.processes} matches=${target} clients=${end.clients} steady=${seconds.toFixed(0)}s games/s=${rate('gamesFinished').toFixed(1)} ` +
        `msgs/s=${rate('messagesSent').toFixed(0)} move_p50=${ms(move.percentile(0.5))}ms move_p95=${ms(move.percentile(0.95))}ms ` +
        `move_p99=${ms(p99)}ms errors=${errors} gen_cpu=${generator.cpu.toFixed(0)}%` +
        (server ? ` server_cpu=${server.cpu.toFixed(0)}% server_eld_p99=${ms(server.eldP99)}ms server_rss=${server.rss.toFixed(0)}MB` : '') +
        (Number.isNaN(cpuPerActionUs) ? '' : ` cpu_per_action=${cpuPerActionUs.toFixed(0)}us`) +
        (Number.isNaN(netCpuPerActionUs) ? '' : ` net_cpu_per_action=${netCpuPerActionUs.toFixed(0)}us idle_cpu=${this.idleCpuPercent!.toFixed(1)}%`),
    );
    return {
      room: this.room,
      processes: this.servers.processes,
      matches: target,
      matchesRunning: end.matchesRunning,
      steadySeconds: seconds,
      actions,
      actionsPerSecond: rate('messagesSent'),
      moveP50: move.percentile(0.5),
      moveP95: move.percentile(0.95),
      moveP99: p99,
      moveMax: move.max,
      errors,
      ok,
      held,
      serverCpuPercent: server?.cpu ?? NaN,
      cpuPerActionUs,
      netCpuPerActionUs,
      idleCpuPercent: this.idleCpuPercent ?? NaN,
      serverEldP99: server?.eldP99 ?? NaN,
      generatorCpuPercent: generator.cpu,
      otherCpuPercent: machine.length > 0 ? other : NaN,
    };
  }
}

function stopWorker(child: ChildProcess, source: Source): Promise<void> {
  return new Promise<void>((resolve) => {
    if (child.exitCode !== null || source.finished) return resolve();
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve();
    }, 15_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.send({ type: 'stop' });
  });
}

/** Generator CPU summed over processes (averaged over the span), worst event-loop delay and GC pause, GC a second, summed memory. */
function generatorFigures(perProcess: ProcessSample[][]): { cpu: number; eldP99: number; eldMax: number; gcMs: number; gcMaxMs: number; rss: number; cpuWait: number } {
  let cpu = 0;
  let cpuWait = NaN;
  let eldP99 = 0;
  let eldMax = 0;
  let gcMs = 0;
  let gcMaxMs = 0;
  let rss = 0;
  for (const samples of perProcess) {
    if (samples.length === 0) continue;
    cpu += average(samples.map((sample) => sample.cpuPercent));
    eldP99 = Math.max(eldP99, ...samples.map((sample) => sample.eldP99Ms));
    eldMax = Math.max(eldMax, ...samples.map((sample) => sample.eldMaxMs));
    gcMs += average(samples.map((sample) => sample.gcMs));
    gcMaxMs = Math.max(gcMaxMs, ...samples.map((sample) => sample.gcMaxMs));
    rss += samples.at(-1)!.rssMb;
    cpuWait = worseOf(cpuWait, average(samples.map((sample) => sample.cpuWaitPercent)));
  }
  return { cpu, eldP99, eldMax, gcMs, gcMaxMs, rss, cpuWait };
}

interface ServerFigures {
  /** Summed over processes. */
  cpu: number;
  rss: number;
  heap: number;
  /** Per process, joined by '+'. */
  rooms: string;
  /** GC pause per second, summed over processes; the longest single pause. */
  gcMs: number;
  gcMaxMs: number;
  /** The worst process's. */
  eldP99: number;
  eldMax: number;
  /** The worst process's main-thread run-queue wait, % of the time (NaN where unknown). */
  cpuWait: number;
}

/** The servers' figures over a span: each process's samples averaged (CPU, GC) or their worst (delays), then summed over processes. */
function serverFigures(samples: IndexedSample[]): ServerFigures | null {
  if (samples.length === 0) return null;
  const byProcess = new Map<number, IndexedSample[]>();
  for (const sample of samples) byProcess.set(sample.index, [...(byProcess.get(sample.index) ?? []), sample]);
  const figures: ServerFigures = { cpu: 0, rss: 0, heap: 0, rooms: '', gcMs: 0, gcMaxMs: 0, eldP99: 0, eldMax: 0, cpuWait: NaN };
  const rooms: string[] = [];
  for (const [, own] of [...byProcess].sort(([a], [b]) => a - b)) {
    const last = own.at(-1)!;
    figures.cpu += average(own.map((entry) => entry.sample.cpuPercent));
    figures.gcMs += average(own.map((entry) => entry.sample.gcMs));
    figures.gcMaxMs = Math.max(figures.gcMaxMs, ...own.map((entry) => entry.sample.gcMaxMs));
    figures.eldP99 = Math.max(figures.eldP99, ...own.map((entry) => entry.sample.eldP99Ms));
    figures.eldMax = Math.max(figures.eldMax, ...own.map((entry) => entry.sample.eldMaxMs));
    figures.cpuWait = worseOf(figures.cpuWait, average(own.map((entry) => entry.sample.cpuWaitPercent)));
    figures.rss += last.sample.rssMb;
    figures.heap += last.sample.heapMb;
    rooms.push(last.rooms === undefined ? '-' : String(last.rooms));
  }
  figures.rooms = rooms.join('+');
  return figures;
}

function percent(value: number): string {
  return Number.isNaN(value) ? '-' : `${value.toFixed(0)}%`;
}

/** The worst process's main thread, ready to run but waiting for a CPU: other work on the machine delaying it. */
function cpuWaitText(value: number): string {
  return Number.isNaN(value) ? '' : `; its main thread waited for a CPU ${percent(value)} of the time (worst process)`;
}

function journalColumn(journal: JournalFigures | null): string {
  if (!journal) return '-';
  const p99 = Number.isNaN(journal.writeP99Ms) ? '-' : journal.writeP99Ms === Infinity ? '>2500' : `<=${ms(journal.writeP99Ms)}`;
  return `${journal.backlog}/${journal.eventsPerSecond.toFixed(0)}/${ms(journal.writeMeanMs)}/${p99}`;
}

/** The bucket bound under which the server sent 99% of the interval's patches. */
function serverActionColumn(journal: JournalFigures | null): string {
  if (!journal || Number.isNaN(journal.serverActionP99Ms)) return '-';
  return journal.serverActionP99Ms === Infinity ? '>2500' : `<=${ms(journal.serverActionP99Ms)}`;
}

/** Machine CPU not used by the generator or the server: other work on the machine skews the figures. */
function otherCpu(machine: number[], generator: number, server: number): string {
  if (machine.length === 0) return '-';
  return `${Math.max(0, average(machine) - generator - server).toFixed(0)}%`;
}

export function average(values: number[]): number {
  return values.length === 0 ? 0 : values.reduce((sum, value) => sum + value, 0) / values.length;
}

function percentiles(histogram: Histogram): string {
  if (histogram.count === 0) return 'no samples';
  return `p50 ${ms(histogram.percentile(0.5))} ms, p95 ${ms(histogram.percentile(0.95))} ms, p99 ${ms(histogram.percentile(0.99))} ms, max ${ms(histogram.max)} ms`;
}

export function ms(value: number): string {
  if (!Number.isFinite(value)) return '-';
  return value < 10 ? value.toFixed(1) : value.toFixed(0);
}

export function usPerAction(value: number): string {
  return Number.isFinite(value) ? `${value.toFixed(0)} µs` : '-';
}

export function pad(text: string, width: number): string {
  return text.length >= width ? `${text} ` : text.padEnd(width);
}

function split(total: number, parts: number): number[] {
  return Array.from({ length: parts }, (_, index) => Math.floor(total / parts) + (index < total % parts ? 1 : 0));
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Each thread name's CPU per action, the largest first: `main 240 µs, tavla-journal 45 µs, other 40 µs`. */
function describeThreadCpu(byName: ThreadCpu, actions: number): string {
  return [...byName]
    .sort((a, b) => b[1] - a[1])
    .map(([name, seconds]) => `${name} ${usPerAction((seconds / actions) * 1e6)}`)
    .join(', ');
}
