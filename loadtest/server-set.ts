/**
 * The servers of one measurement: N processes of loadtest/serve.ts on consecutive free ports,
 * joined by Redis when there are several (or when asked), on one database.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createScratchDatabase, emptyRedisDatabase, type ScratchDatabase } from './scratch-services.js';
import { scrapeJournal, type JournalScrape } from './server-metrics.js';
import { cpuSecondsOf, freeConsecutivePorts, SpawnedServer, threadCpuSecondsOf, type ServerSample, type ThreadCpu } from './server-process.js';

export type DatabaseKind = 'pglite' | 'postgresql';

export interface ServerSetOptions {
  processes: number;
  /** Join the processes through Redis even when there is only one. */
  redis: boolean;
  /** The Redis server and database index the processes share (emptied before and after). */
  redisUrl: string;
  /** PGlite in a temporary folder (one process only), or a new PostgreSQL database. */
  database: DatabaseKind;
  /** A PostgreSQL database to create the scratch database from. */
  postgresUrl: string;
}

export class ServerSet {
  private stopping = false;

  private constructor(
    readonly servers: SpawnedServer[],
    readonly description: string,
    private readonly adminPassword: string,
    private readonly cleanUp: () => Promise<void>,
  ) {}

  static async start(options: ServerSetOptions, label: string): Promise<ServerSet> {
    const useRedis = options.redis || options.processes > 1;
    if (options.processes > 1 && options.database !== 'postgresql') throw new Error('several processes need --database postgresql');
    const dataDir = mkdtempSync(join(tmpdir(), 'tavla-loadtest-data-'));
    let database: ScratchDatabase | null = null;
    const cleanUp = async () => {
      await database?.drop();
      if (useRedis) await emptyRedisDatabase(options.redisUrl);
      rmSync(dataDir, { recursive: true, force: true });
    };
    const servers: SpawnedServer[] = [];
    try {
      if (useRedis) await emptyRedisDatabase(options.redisUrl);
      if (options.database === 'postgresql') database = await createScratchDatabase(options.postgresUrl, label);
      const env = serverEnvironment(dataDir, database?.url ?? null, useRedis ? options.redisUrl : null);
      const adminPassword = env.ADMIN_PASSWORD!;
      const ports = await freeConsecutivePorts(options.processes);
      // One after the other: the first brings the database's schema up to date.
      for (const port of ports) servers.push(await SpawnedServer.start(port, env));
      const where = database ? `PostgreSQL ${new URL(database.url).pathname.slice(1)}` : `PGlite in ${dataDir}`;
      const description = `${ports.length} process(es) on port(s) ${ports.join(', ')}, ${useRedis ? `Redis ${options.redisUrl}` : 'no Redis'}, ${where}`;
      return new ServerSet(servers, description, adminPassword, cleanUp);
    } catch (error) {
      await Promise.all(servers.map((server) => server.stop()));
      await cleanUp();
      throw error;
    }
  }

  get processes(): number {
    return this.servers.length;
  }

  get urls(): string[] {
    return this.servers.map((server) => server.url);
  }

  get logPaths(): string[] {
    return this.servers.map((server) => server.logPath);
  }

  /** CPU seconds all server processes have used so far, every thread included. */
  cpuSeconds(): number {
    return cpuSecondsOf(this.servers.map((server) => server.child.pid!));
  }

  threadCpuSeconds(): ThreadCpu | null {
    return threadCpuSecondsOf(this.servers.map((server) => server.child.pid!));
  }

  onSample(listener: (index: number, sample: ServerSample) => void): void {
    this.servers.forEach((server, index) => server.onSample((sample) => listener(index, sample)));
  }

  scrapeJournal(): Promise<(JournalScrape | null)[]> {
    return Promise.all(this.servers.map((server) => scrapeJournal(`${server.url.replace(/^ws/, 'http')}/metrics`, this.adminPassword)));
  }

  /** Calls `listener` once if any server exits before `stop()`. */
  onExit(listener: (description: string) => void): void {
    let told = false;
    for (const server of this.servers) {
      server.child.once('exit', (code, signal) => {
        if (told || this.stopping) return;
        told = true;
        listener(`the server on ${server.url} exited (${signal ?? `code ${code}`}) during the run; its output is in ${server.logPath}`);
      });
    }
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all(this.servers.map((server) => server.stop()));
    await this.cleanUp();
  }
}

function serverEnvironment(dataDir: string, databaseUrl: string | null, redisUrl: string | null): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATA_DIR: dataDir,
    // One secret for all: a token from one process is checked by another.
    JWT_SECRET: randomBytes(32).toString('hex'),
    // Required in production, the same for every process: any of them may resume a match.
    DICE_KEY: randomBytes(32).toString('hex'),
    // Every generated client signs up as a guest from this one address.
    ACCOUNTS_PER_ADDRESS_PER_HOUR: '0',
    // For the journal's figures on /metrics.
    ADMIN_PASSWORD: randomBytes(18).toString('base64url'),
    // The seat reservation sends each client's WebSocket to the process that owns its room.
    PUBLIC_ADDRESS: '127.0.0.1:{port}',
  };
  delete env.DATABASE_URL;
  delete env.REDIS_URL;
  if (databaseUrl) env.DATABASE_URL = databaseUrl;
  if (redisUrl) env.REDIS_URL = redisUrl;
  return env;
}
