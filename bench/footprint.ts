/**
 * How much memory an idle server holds: the server is started as `npm start` starts it (the Node
 * flags of package.json's start script), on the embedded database in a new data folder, on the
 * same folder again, and on PostgreSQL when one answers (a database --database at --url, created
 * for the run and dropped at the end); once /health answers it is left idle for --idle seconds,
 * and the resident set size (RSS) of its process is read with `ps`. Each start is repeated --runs
 * times; the figures are printed with their median and spread.
 *
 * The server's process alone is measured: `npm start` adds npm itself and tsx's launcher, which
 * only wait for the server and take some 120 MB more between them.
 *
 * Run: npm run bench:footprint [-- --runs 3 --idle 5 --url postgresql://postgres@127.0.0.1:5432
 *        --database tavla_footprint --only new-folder,existing-folder,postgresql]
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { dropPostgres, freshPostgres, postgresAnswers } from './postgres.js';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    idle: { type: 'string', default: '5' },
    url: { type: 'string', default: 'postgresql://postgres@127.0.0.1:5432' },
    database: { type: 'string', default: 'tavla_footprint' },
    only: { type: 'string', default: 'new-folder,existing-folder,postgresql' },
  },
});
const RUNS = Number(values.runs);
const IDLE_SECONDS = Number(values.idle);
const ONLY = new Set(values.only.split(','));
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const START_TIMEOUT_MS = 120_000;

interface Measurement {
  readonly rssMb: number;
  readonly startSeconds: number;
}

/** The Node flags `npm start` gives the server: `tsx <flags> src/index.ts`. */
function startFlags(): string[] {
  const { scripts } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } };
  return scripts.start.split(/\s+/).filter((word) => word.startsWith('--'));
}

/** Starts a server with `env`, waits for /health, idles, reads its RSS, stops it. */
async function measure(env: Record<string, string>): Promise<Measurement> {
  const port = await freePort();
  const started = performance.now();
  const server = spawn(process.execPath, [...startFlags(), '--import', 'tsx', 'src/index.ts'], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: 'production', LOG_LEVEL: 'warn', JWT_SECRET: randomBytes(32).toString('hex'), DICE_KEY: randomBytes(32).toString('hex'), HOST: '127.0.0.1', PORT: String(port), ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  server.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  try {
    await healthy(server, port, () => stderr);
    const startSeconds = (performance.now() - started) / 1000;
    await sleep(IDLE_SECONDS * 1000);
    return { rssMb: await rssMb(server.pid!), startSeconds };
  } finally {
    await stop(server);
  }
}

async function healthy(server: ChildProcess, port: number, stderr: () => string): Promise<void> {
  const deadline = performance.now() + START_TIMEOUT_MS;
  while (performance.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`the server exited (${server.exitCode}): ${stderr()}`);
    const answered = await fetch(`http://127.0.0.1:${port}/health`).then((response) => response.ok, () => false);
    if (answered) return;
    await sleep(200);
  }
  throw new Error(`no answer from /health within ${START_TIMEOUT_MS / 1000} s: ${stderr()}`);
}

async function rssMb(pid: number): Promise<number> {
  const { stdout } = await promisify(execFile)('ps', ['-o', 'rss=', '-p', String(pid)]);
  return Number(stdout.trim()) / 1024;
}

async function stop(server: ChildProcess): Promise<void> {
  if (server.exitCode !== null || server.signalCode !== null) return;
  const exited = new Promise((resolve) => server.once('exit', resolve));
  server.kill('SIGTERM');
  const timer = setTimeout(() => server.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

function report(label: string, measurements: readonly Measurement[]): void {
  const rss = measurements.map((m) => m.rssMb).sort((a, b) => a - b);
  const starts = measurements.map((m) => m.startSeconds.toFixed(1)).join(', ');
  const median = rss[Math.floor(rss.length / 2)]!;
  console.log(
    `${label.padEnd(32)} ${rss.map((mb) => mb.toFixed(0).padStart(4)).join(' ')} MB   median ${median.toFixed(0)}, spread ${(rss.at(-1)! - rss[0]!).toFixed(0)} MB   (up in ${starts} s)`,
  );
}

async function repeat(label: string, env: () => Record<string, string>): Promise<void> {
  const measurements: Measurement[] = [];
  for (let run = 0; run < RUNS; run++) measurements.push(await measure(env()));
  report(label, measurements);
}

console.log(`Idle RSS of the server process, ${IDLE_SECONDS} s after /health answers, ${RUNS} starts each (flags: ${startFlags().join(' ') || 'none'})`);
const folders = mkdtempSync(join(tmpdir(), 'tavla-footprint-'));
try {
  const existing = join(folders, 'existing');
  if (ONLY.has('new-folder')) {
    let made = 0;
    await repeat('embedded, new data folder', () => ({ DATA_DIR: join(folders, `new-${made++}`) }));
  }
  if (ONLY.has('existing-folder')) {
    await measure({ DATA_DIR: existing });
    await repeat('embedded, existing data folder', () => ({ DATA_DIR: existing }));
  }
  if (ONLY.has('postgresql') && (await postgresAnswers(values.url))) {
    await freshPostgres(values.url, values.database);
    try {
      await repeat('PostgreSQL (DATABASE_URL)', () => ({ DATABASE_URL: `${values.url}/${values.database}` }));
    } finally {
      await dropPostgres(values.url, values.database);
    }
  }
} finally {
  rmSync(folders, { recursive: true, force: true });
}
