import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { loaderFlags } from '../../db/pglite-thread.js';
import { ChannelState, LineChannel, newChannelBuffers } from './line-channel.js';
import type { SocketWorkerData } from './socket-worker.js';

/** Where Debian's package (apt-get install gnubg) puts GNU Backgammon. */
export const GNUBG_EXECUTABLE = '/usr/games/gnubg';

export class GnubgUnavailable extends Error {
  override readonly name = 'GnubgUnavailable';
}

export interface GnubgExternalOptions {
  readonly executable?: string;
  /** How long gnubg may take to start listening. */
  readonly startTimeoutMs?: number;
  /** How long one answer may take. */
  readonly replyTimeoutMs?: number;
}

/**
 * A long-lived GNU Backgammon process driven through its "external" interface (the one its
 * bots use): after `setup` (gnubg command-line commands), gnubg listens on a Unix socket and
 * answers each line — a FIBS board, or "evaluation fibsboard ..." — with one line, evaluating
 * at once (its Python interface waits 10 ms per evaluation). `ask` is synchronous: a worker
 * thread does the socket I/O while the caller blocks, so game loops stay plain functions.
 */
export class GnubgExternal {
  private readonly channel: LineChannel;
  private readonly replyTimeoutMs: number;
  private closed = false;

  private constructor(
    private readonly gnubg: WatchedProcess,
    private readonly relay: Worker,
    buffers: ReturnType<typeof newChannelBuffers>,
    private readonly folder: string,
    replyTimeoutMs: number,
  ) {
    this.channel = new LineChannel(buffers);
    this.replyTimeoutMs = replyTimeoutMs;
  }

  /** Starts gnubg, runs `setup`, and waits until it answers on its socket; throws GnubgUnavailable when it cannot. */
  static start(setup: readonly string[], options: GnubgExternalOptions = {}): GnubgExternal {
    const executable = options.executable ?? GNUBG_EXECUTABLE;
    assertGnubgInstalled(executable);
    const folder = mkdtempSync(join(tmpdir(), 'tavla-gnubg-'));
    const socketPath = join(folder, 'socket');
    const commands = join(folder, 'commands');
    writeFileSync(commands, [...setup, `external ${socketPath}`, ''].join('\n'));
    const gnubg = spawnWatched(executable, commands, folder);
    const buffers = newChannelBuffers();
    const startTimeoutMs = options.startTimeoutMs ?? 30_000;
    const relay = new Worker(new URL('./socket-worker.ts', import.meta.url), {
      workerData: { buffers, socketPath, connectTimeoutMs: startTimeoutMs } satisfies SocketWorkerData,
      execArgv: loaderFlags(process.execArgv),
    });
    relay.unref();
    const external = new GnubgExternal(gnubg, relay, buffers, folder, options.replyTimeoutMs ?? 30_000);
    running.add(external);
    external.awaitConnection(startTimeoutMs + 5_000);
    return external;
  }

  /** Sends one line and returns gnubg's one-line answer. */
  ask(line: string): string {
    if (this.closed) throw new Error('gnubg has been closed');
    if (line.includes('\n')) throw new Error('one line at a time');
    this.channel.put(line, ChannelState.request);
    if (!this.channel.waitWhile(ChannelState.request, this.replyTimeoutMs)) this.fail(`gnubg did not answer within ${this.replyTimeoutMs} ms`);
    if (this.channel.state() === ChannelState.failed) this.fail(`gnubg stopped answering: ${this.channel.text()}`);
    return this.channel.text();
  }

  /** CPU time gnubg's process has used so far, in milliseconds (Linux: from /proc). */
  cpuMs(): number {
    const stat = readFileSync(`/proc/${this.gnubg.pid()}/stat`, 'utf8');
    // Fields after the parenthesised command name: utime and stime are the 12th and 13th, in clock ticks.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    running.delete(this);
    this.gnubg.stop();
    void this.relay.terminate();
    rmSync(this.folder, { recursive: true, force: true });
  }

  private awaitConnection(timeoutMs: number): void {
    if (!this.channel.waitWhile(ChannelState.connecting, timeoutMs)) this.fail(`gnubg did not start within ${timeoutMs} ms`);
    if (this.channel.state() === ChannelState.failed) this.fail(`gnubg did not start: ${this.channel.text()}`);
  }

  private fail(why: string): never {
    const log = this.logTail();
    this.close();
    throw new GnubgUnavailable(log ? `${why}; its output ends:\n${log}` : why);
  }

  private logTail(): string {
    try {
      return readFileSync(join(this.folder, 'log'), 'utf8').trim().split('\n').slice(-10).join('\n');
    } catch {
      return '';
    }
  }
}

// gnubg outlives its client (it waits for the next connection), so it goes when this thread does.
const running = new Set<GnubgExternal>();
process.once('exit', () => {
  for (const external of running) external.close();
});

interface WatchedProcess {
  /** gnubg's own process id. */
  pid(): number;
  stop(): void;
}

/**
 * Starts gnubg reading `commands`, under a shell that kills it as soon as this process goes,
 * however it goes: gnubg outlives its client (it waits for the next connection), and a process
 * killed by a signal runs no exit handlers. The shell waits on a pipe only this process holds
 * open. Standard streams are files, not pipes to here: this thread may block and could not
 * drain them.
 */
function spawnWatched(executable: string, commands: string, folder: string): WatchedProcess {
  const pidFile = join(folder, 'pid');
  const script = '"$0" -t -q -r <"$1" >"$2" 2>&1 & echo $! >"$3"; read _; kill $! 2>/dev/null';
  const shell: ChildProcess = spawn('/bin/sh', ['-c', script, executable, commands, join(folder, 'log'), pidFile], { stdio: ['pipe', 'ignore', 'ignore'] });
  // Neither keeps this process alive: it ends them as it exits.
  shell.unref();
  (shell.stdin as unknown as { unref(): void }).unref();
  let pid = 0;
  return {
    pid: () => (pid ||= Number(readFileSync(pidFile, 'utf8'))),
    stop: () => {
      shell.stdin?.destroy();
      try {
        process.kill(pid || Number(readFileSync(pidFile, 'utf8')), 'SIGTERM');
      } catch {
        // Already gone, or never started: the shell ends it when its pipe closes.
      }
    },
  };
}

/** Linux's USER_HZ: /proc reports CPU times in these ticks. */
const CLOCK_TICKS_PER_SECOND = 100;

/** Throws GnubgUnavailable, saying how to install it, when gnubg is not at `path`. */
export function assertGnubgInstalled(path = GNUBG_EXECUTABLE): void {
  try {
    accessSync(path, constants.X_OK);
  } catch {
    throw new GnubgUnavailable(`GNU Backgammon is not installed at ${path} (Debian and Ubuntu: apt-get install gnubg)`);
  }
}
