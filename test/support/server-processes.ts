import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { Client } from '@colyseus/sdk';
import { Redis } from 'ioredis';
import { TestDatabase } from './database.js';
import { requireService, type SkippableContext } from './services.js';

const repositoryRoot = fileURLToPath(new URL('../..', import.meta.url));
const START_TIMEOUT_MS = 60_000;

/** Where a client reaches a server: a process of its own, or a reverse proxy in front of several. */
export interface Endpoint {
  readonly httpUrl: string;
  readonly wsUrl: string;
}

export interface Guest {
  token: string;
  user: { id: string; name: string };
}

export async function postJsonTo(endpoint: Endpoint, path: string, body: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(`${endpoint.httpUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, body: await response.json() };
}

export async function guestAt(endpoint: Endpoint): Promise<Guest> {
  const answer = await postJsonTo(endpoint, '/auth/guest', {});
  assert.equal(answer.status, 200, JSON.stringify(answer.body));
  return answer.body as Guest;
}

/** An SDK client of `endpoint`, signed in as `guest`. */
export function clientAt(endpoint: Endpoint, guest: Guest): Client {
  const client = new Client(endpoint.wsUrl);
  client.auth.token = guest.token;
  return client;
}

/** The server as `npm start` runs it, in a process of its own. */
export class ServerProcess implements Endpoint {
  private output = '';

  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
    /** The environment it was started with, besides PORT and HOST. */
    readonly environment: Record<string, string>,
  ) {
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (this.output += chunk));
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (this.output += chunk));
  }

  get httpUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get wsUrl(): string {
    return `ws://127.0.0.1:${this.port}`;
  }

  /** The id it registered under in the database's `servers` (from its start-up log line). */
  get serverId(): string {
    const id = /"serverId":"([0-9a-f-]{36})"/.exec(this.output)?.[1];
    if (!id) throw new Error(`the server on port ${this.port} did not log its server id`);
    return id;
  }

  /** Everything the process printed. */
  get log(): string {
    return this.output;
  }

  /**
   * Starts src/index.ts on `port` with the given environment, and waits until it answers /health.
   * It analyses no finished games unless `env` says (ANALYSIS_THREADS): the analysis is tested on
   * its own, and its threads would only add to the load these tests' time limits must allow for.
   */
  static async start(port: number, env: Record<string, string>): Promise<ServerProcess> {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/index.ts'], {
      cwd: repositoryRoot,
      env: { ...process.env, ANALYSIS_THREADS: '0', ...env, PORT: String(port), HOST: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const server = new ServerProcess(child, port, env);
    const started = Date.now();
    while (!(await server.answers())) {
      if (child.exitCode !== null || Date.now() - started > START_TIMEOUT_MS) {
        child.kill('SIGKILL');
        throw new Error(`the server on port ${port} did not start:\n${server.output.slice(-3_000)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    return server;
  }

  private async answers(): Promise<boolean> {
    try {
      return (await fetch(`${this.httpUrl}/health`, { signal: AbortSignal.timeout(1_000) })).ok;
    } catch {
      return false;
    }
  }

  /** SIGKILL: the process dies at once, as in a crash, without a word to anyone. */
  async kill(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGKILL');
    await exited;
  }

  /** SIGSTOP: the process stalls, everything in it, until `resume()`. */
  pause(): void {
    this.child.kill('SIGSTOP');
  }

  /** SIGCONT: a paused process runs on. */
  resume(): void {
    this.child.kill('SIGCONT');
  }

  /** SIGTERM, as PM2 stops a process; SIGKILL if it has not exited in time. */
  async stop(timeoutMs = 15_000): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    await exited;
    clearTimeout(timer);
  }
}

/** Server processes sharing one PostgreSQL database and one Redis database, as a deployment runs them. */
export class TestCluster {
  private constructor(
    readonly servers: ServerProcess[],
    readonly database: TestDatabase,
  ) {}

  /**
   * Starts a process on each of `ports` (one after the other: the first brings the schema up to
   * date) on a fresh PostgreSQL database and Redis database number `redisDb`, emptied first.
   */
  static async start(context: SkippableContext, label: string, redisDb: number, ports: readonly number[], env: Record<string, string> = {}): Promise<TestCluster> {
    await requireService(context, 'redis');
    const database = await TestDatabase.create(context, 'postgresql', label);
    const redisUrl = `redis://127.0.0.1:6379/${redisDb}`;
    const redis = new Redis(redisUrl);
    await redis.flushdb();
    await redis.quit();
    const url = database.target.kind === 'postgresql' ? database.target.url : '';
    const shared = { DATABASE_URL: url, REDIS_URL: redisUrl, JWT_SECRET: randomBytes(32).toString('hex'), DICE_KEY: randomBytes(32).toString('hex'), NODE_ENV: 'test', ...env };
    const servers: ServerProcess[] = [];
    for (const port of ports) servers.push(await ServerProcess.start(port, shared));
    return new TestCluster(servers, database);
  }

  async stop(): Promise<void> {
    await Promise.all(this.servers.map((server) => server.stop()));
    await this.database.drop();
  }
}
