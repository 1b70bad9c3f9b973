import { access, constants } from 'node:fs/promises';
import net from 'node:net';

/** An outside program some tests need: a database, a cache, a browser. */
export interface Service {
  /** What is wrong when it is absent: "PostgreSQL is not answering at 127.0.0.1:5432". */
  absence: string;
  /** The command that makes it available on a development machine. */
  howToStart: string;
  isAvailable(): Promise<boolean>;
}

export const SERVICES = {
  postgres: tcpService(
    'PostgreSQL',
    '127.0.0.1',
    5432,
    'pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start',
  ),
  redis: tcpService(
    'Redis',
    '127.0.0.1',
    6379,
    'redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no',
  ),
  nginx: {
    absence: 'nginx is not installed at /usr/sbin/nginx',
    howToStart: 'apt-get install nginx',
    isAvailable: () => isExecutable('/usr/sbin/nginx'),
  },
  gnubg: {
    absence: 'GNU Backgammon is not installed at /usr/games/gnubg',
    howToStart: 'apt-get install gnubg',
    isAvailable: () => isExecutable('/usr/games/gnubg'),
  },
  chromium: {
    absence: 'Chromium is not installed at /usr/bin/chromium',
    howToStart: 'apt-get install chromium',
    isAvailable: () => isExecutable('/usr/bin/chromium'),
  },
} satisfies Record<string, Service>;

export type ServiceName = keyof typeof SERVICES;

export const REQUIRE_SERVICES_VARIABLE = 'TAVLA_REQUIRE_SERVICES';

export type ServiceCheck = { verdict: 'available' } | { verdict: 'skip' | 'fail'; message: string };

/**
 * Whether tests needing `service` can run. A missing service skips them, unless
 * TAVLA_REQUIRE_SERVICES=1 (as in CI), where a missing service must not pass unnoticed.
 */
export async function checkService(service: Service, env: NodeJS.ProcessEnv = process.env): Promise<ServiceCheck> {
  if (await service.isAvailable()) return { verdict: 'available' };
  if (env[REQUIRE_SERVICES_VARIABLE] === '1') {
    return {
      verdict: 'fail',
      message: `${service.absence}, and ${REQUIRE_SERVICES_VARIABLE}=1 requires it. Start it with: ${service.howToStart}`,
    };
  }
  return {
    verdict: 'skip',
    message:
      `${service.absence}: skipping the tests that need it. Start it with: ${service.howToStart} ` +
      `(set ${REQUIRE_SERVICES_VARIABLE}=1 to make this a failure instead).`,
  };
}

/** The part of a mocha context `requireService` uses. */
export type SkippableContext = Pick<Mocha.Context, 'skip'>;

/**
 * Call from a mocha `before` hook (skips the whole suite) or a test (skips that test):
 *
 *   before(async function () { await requireService(this, 'postgres'); });
 */
export async function requireService(
  context: SkippableContext,
  service: ServiceName | Service,
  env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
  const check = await checkService(typeof service === 'string' ? SERVICES[service] : service, env);
  if (check.verdict === 'available') return;
  if (check.verdict === 'fail') throw new Error(check.message);
  console.warn(`      ${check.message}`);
  context.skip();
}

export function acceptsTcpConnection(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const finish = (connected: boolean) => {
      socket.destroy();
      resolve(connected);
    };
    socket.setTimeout(timeoutMs, () => finish(false));
    socket.once('connect', () => finish(true));
    socket.once('error', () => finish(false));
  });
}

export async function isExecutable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function tcpService(name: string, host: string, port: number, howToStart: string): Service {
  return {
    absence: `${name} is not answering at ${host}:${port}`,
    howToStart,
    isAvailable: () => acceptsTcpConnection(host, port),
  };
}
