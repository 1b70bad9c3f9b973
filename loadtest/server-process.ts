import { fork, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RunQueueWait, type ProcessSample } from './stats.js';

export interface ServerSample {
  sample: ProcessSample;
  rooms?: number;
  ccu?: number;
}

/** The project's server in a child process, on a free port, reporting its figures over IPC. */
// As `npm start` runs the server: a larger young generation lets the many short-lived objects of
// each message die young instead of being promoted, which shortens the old-space collections.
const SERVER_NODE_FLAGS = ['--max-semi-space-size=64'];

/** Node flags from an environment variable, separated by spaces: TAVLA_LOADTEST_SERVER_FLAGS='--cpu-prof --cpu-prof-dir=/tmp/prof'. */
export function nodeFlagsFrom(variable: string): string[] {
  return process.env[variable]?.split(' ').filter(Boolean) ?? [];
}

export class SpawnedServer {
  latest: ServerSample | null = null;
  private readonly listeners: ((sample: ServerSample) => void)[] = [];

  private constructor(
    readonly child: ChildProcess,
    readonly port: number,
    readonly logPath: string,
  ) {
    child.on('message', (message: { type?: string } & ServerSample) => {
      if (message?.type !== 'server-sample') return;
      this.latest = { sample: message.sample, rooms: message.rooms, ccu: message.ccu };
      for (const listener of this.listeners) listener(this.latest);
    });
  }

  get url(): string {
    return `ws://127.0.0.1:${this.port}`;
  }

  onSample(listener: (sample: ServerSample) => void): void {
    this.listeners.push(listener);
  }

  /** Starts loadtest/serve.ts on `port` with the environment `env`. */
  static async start(port: number, env: NodeJS.ProcessEnv): Promise<SpawnedServer> {
    const logPath = join(tmpdir(), `tavla-loadtest-server-${port}.log`);
    const log = createWriteStream(logPath);
    const child = fork(fileURLToPath(new URL('./serve.ts', import.meta.url)), [], {
      env: { ...env, PORT: String(port), HOST: '127.0.0.1', NODE_ENV: 'production' },
      execArgv: [...process.execArgv, ...SERVER_NODE_FLAGS, ...nodeFlagsFrom('TAVLA_LOADTEST_SERVER_FLAGS')],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    child.stdout!.pipe(log);
    child.stderr!.pipe(log);
    const server = new SpawnedServer(child, port, logPath);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => fail(new Error('the server did not start within 60 s')), 60_000);
      const fail = (error: Error) => {
        clearTimeout(timer);
        child.kill('SIGKILL');
        reject(new Error(`${error.message}; its output (${logPath}):\n${tail(logPath)}`));
      };
      child.once('exit', (code, signal) => fail(new Error(`the server exited (${signal ?? code}) before it was ready`)));
      child.on('message', (message: { type?: string }) => {
        if (message?.type !== 'server-ready') return;
        clearTimeout(timer);
        child.removeAllListeners('exit');
        resolve();
      });
    });
    return server;
  }

  /** Stops the server: SIGTERM, then SIGKILL if it has not exited after `graceMs`. */
  async stop(graceMs = 5_000): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  }
}

/** A server started elsewhere, at `url`; with its pid, its CPU and memory are read from /proc once a second. */
export class ExternalServer {
  readonly processes = 1;
  readonly urls: string[];
  readonly description: string;
  private readonly listeners: ((index: number, sample: ServerSample) => void)[] = [];
  private readonly timer: NodeJS.Timeout | null = null;

  constructor(
    url: string,
    private readonly pid: number | null,
  ) {
    this.description = `the server at ${url}${pid === null ? '' : ` (pid ${pid})`}`;
    this.urls = [url];
    if (pid === null) return;
    const sampler = new ProcSampler(pid);
    sampler.sample();
    this.timer = setInterval(() => {
      const sample = sampler.sample();
      if (sample) for (const listener of this.listeners) listener(0, sample);
    }, 1_000);
  }

  cpuSeconds(): number | null {
    return this.pid === null ? null : cpuSecondsOf([this.pid]);
  }

  threadCpuSeconds(): ThreadCpu | null {
    return this.pid === null ? null : threadCpuSecondsOf([this.pid]);
  }

  onSample(listener: (index: number, sample: ServerSample) => void): void {
    this.listeners.push(listener);
  }

  async scrapeJournal(): Promise<null[]> {
    return [null];
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
  }
}

/** CPU and memory of a process given by pid, read from /proc. */
class ProcSampler {
  private lastTicks: number | null = null;
  private lastAt = 0;
  private readonly cpuWait: RunQueueWait;

  constructor(readonly pid: number) {
    this.cpuWait = new RunQueueWait(pid);
  }

  sample(): ServerSample | null {
    try {
      const { ticks, rssPages } = readProcStat(this.pid);
      const now = Date.now();
      const cpuPercent =
        this.lastTicks === null ? 0 : ((ticks - this.lastTicks) / TICKS_PER_SECOND / ((now - this.lastAt) / 1000)) * 100;
      this.lastTicks = ticks;
      this.lastAt = now;
      return { sample: { cpuPercent, elu: NaN, eldP50Ms: NaN, eldP99Ms: NaN, eldMaxMs: NaN, rssMb: (rssPages * 4096) / 1048576, heapMb: NaN, gcMs: NaN, gcMaxMs: NaN, cpuWaitPercent: this.cpuWait.percentSinceLast() } };
    } catch {
      return null;
    }
  }
}

/** Clock ticks a second in /proc/<pid>/stat (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

/**
 * A process's /proc/<pid>/stat, or one thread's /proc/<pid>/task/<tid>/stat: its name, and its
 * utime + stime (of a process: every thread, the worker threads of PGlite and the journal included).
 */
function readStat(path: string): { name: string; ticks: number; rssPages: number } {
  const stat = readFileSync(path, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { name: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')), ticks: Number(fields[11]) + Number(fields[12]), rssPages: Number(fields[21]) };
}

function readProcStat(pid: number): { ticks: number; rssPages: number } {
  return readStat(`/proc/${pid}/stat`);
}

/** CPU seconds (user + system, all threads) the processes used so far; processes gone count nothing. */
export function cpuSecondsOf(pids: readonly number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    try {
      ticks += readProcStat(pid).ticks;
    } catch {
      // The process has exited.
    }
  }
  return ticks / TICKS_PER_SECOND;
}

/** CPU seconds per thread name, summed over the processes. */
export type ThreadCpu = Map<string, number>;

/**
 * CPU seconds (user + system) per thread so far, summed over the processes by name: `main` for each
 * process's main thread, the server's own threads by the names they give themselves (tavla-journal,
 * tavla-database, ...; see src/thread-name.ts), and `other` for the rest (V8's garbage-collection
 * helpers, libuv's pool). Linux only: null elsewhere. Threads that ended count nothing.
 */
export function threadCpuSecondsOf(pids: readonly number[]): ThreadCpu | null {
  const byName: ThreadCpu = new Map();
  for (const pid of pids) {
    let threads: string[];
    try {
      threads = readdirSync(`/proc/${pid}/task`);
    } catch {
      if (!existsSync('/proc/self/task')) return null;
      continue;
    }
    for (const thread of threads) {
      try {
        const { name: comm, ticks } = readStat(`/proc/${pid}/task/${thread}/stat`);
        const name = Number(thread) === pid ? 'main' : comm.startsWith('tavla-') ? comm : 'other';
        byName.set(name, (byName.get(name) ?? 0) + ticks / TICKS_PER_SECOND);
      } catch {
        // The thread has ended.
      }
    }
  }
  return byName;
}

/** What each thread name used between two readings. */
export function threadCpuSince(before: ThreadCpu, after: ThreadCpu): ThreadCpu {
  return new Map([...after].map(([name, seconds]) => [name, seconds - (before.get(name) ?? 0)]));
}

/** `count` consecutive ports free on 127.0.0.1, the first chosen by the system. */
export async function freeConsecutivePorts(count: number): Promise<number[]> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const first = await freePort();
    const ports = Array.from({ length: count }, (_, index) => first + index);
    if (first + count - 1 <= 65_535 && (await Promise.all(ports.slice(1).map(isFree))).every(Boolean)) return ports;
  }
  throw new Error(`found no ${count} consecutive free ports`);
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

function tail(path: string, lines = 30): string {
  try {
    return readFileSync(path, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no output)';
  }
}
