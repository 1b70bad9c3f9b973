import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ProcessSample } from './stats.js';

export interface ServerSample {
  sample: ProcessSample;
  rooms?: number;
  ccu?: number;
}

/** The project's server in a child process, on a free port, reporting its figures over IPC. */
// As `npm start` runs the server: a larger young generation lets the many short-lived objects of
// each message die young instead of being promoted, which shortens the old-space collections.
const SERVER_NODE_FLAGS = ['--max-semi-space-size=64'];

/** More Node flags for the server, e.g. TAVLA_LOADTEST_SERVER_FLAGS='--cpu-prof --cpu-prof-dir=/tmp/prof'. */
function extraServerFlags(): string[] {
  return process.env.TAVLA_LOADTEST_SERVER_FLAGS?.split(' ').filter(Boolean) ?? [];
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

  static async start(): Promise<SpawnedServer> {
    const port = await freePort();
    const logPath = join(tmpdir(), `tavla-loadtest-server-${port}.log`);
    const log = createWriteStream(logPath);
    const child = fork(fileURLToPath(new URL('./serve.ts', import.meta.url)), [], {
      env: {
        // A throw-away embedded database and token secret unless the caller's environment names its own.
        DATA_DIR: mkdtempSync(join(tmpdir(), 'tavla-loadtest-data-')),
        JWT_SECRET: randomBytes(32).toString('hex'),
        // Every generated client signs up as a guest from this one address.
        ACCOUNTS_PER_ADDRESS_PER_HOUR: '0',
        ...process.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        NODE_ENV: 'production',
      },
      execArgv: [...process.execArgv, ...SERVER_NODE_FLAGS, ...extraServerFlags()],
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

/** CPU and memory of a process given by pid, read from /proc (for a server started elsewhere). */
export class ProcSampler {
  private lastTicks: number | null = null;
  private lastAt = 0;
  private static readonly TICKS_PER_SECOND = 100;

  constructor(readonly pid: number) {}

  sample(): ServerSample | null {
    try {
      const stat = readFileSync(`/proc/${this.pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ticks = Number(fields[11]) + Number(fields[12]);
      const rssPages = Number(fields[21]);
      const now = Date.now();
      const cpuPercent =
        this.lastTicks === null ? 0 : ((ticks - this.lastTicks) / ProcSampler.TICKS_PER_SECOND / ((now - this.lastAt) / 1000)) * 100;
      this.lastTicks = ticks;
      this.lastAt = now;
      return { sample: { cpuPercent, elu: NaN, eldP50Ms: NaN, eldP99Ms: NaN, eldMaxMs: NaN, rssMb: (rssPages * 4096) / 1048576, heapMb: NaN } };
    } catch {
      return null;
    }
  }
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
