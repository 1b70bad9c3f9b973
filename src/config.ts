import { isIP } from 'node:net';
import { z } from 'zod';
import { databaseTarget, type DatabaseTarget } from './db/orm.js';
import type { LogFormat } from './log.js';
import { DEFAULT_MAX_SPECTATORS } from './rooms/match-options.js';
import { DEFAULT_ANALYSIS_SETTINGS, type AnalysisSettings } from './analysis-service.js';

const PORT_RULE = 'must be a whole number from 1 to 65535';

const portNumber = z
  .string()
  .regex(/^\d+$/, PORT_RULE)
  .transform(Number)
  .pipe(z.number().min(1, PORT_RULE).max(65535, PORT_RULE));

/**
 * New accounts one address may create per hour unless ACCOUNTS_PER_ADDRESS_PER_HOUR says: a
 * developer trying a client signs up many guests from one address, a public server should not.
 */
export const DEFAULT_ACCOUNTS_PER_ADDRESS_PER_HOUR = { production: 30, development: 1_000, test: 1_000 } as const;

/** How long a quick-match player waits alone before playing a bot, unless QUICK_MATCH_BOT_AFTER_MS says. */
export const DEFAULT_QUICK_MATCH_BOT_AFTER_MS = 30_000;

const environmentSchema = z.object({
  PORT: portNumber.default(2567),
  HOST: z.string().optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\/\S+$/, 'must be a PostgreSQL URL: postgresql://user:password@host:port/database')
    .optional(),
  DATA_DIR: z.string().default('./data'),
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  DICE_KEY: z.string().regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hexadecimal digits (32 bytes: openssl rand -hex 32)').optional(),
  TRUSTED_PROXIES: z
    .string()
    .transform((list) => list.split(',').map((address) => address.trim()).filter(Boolean))
    .refine((addresses) => addresses.every((address) => isIP(address) !== 0), 'must be IP addresses separated by commas')
    .default([]),
  ACCOUNTS_PER_ADDRESS_PER_HOUR: z
    .string()
    .regex(/^\d+$/, 'must be a whole number (0: no limit)')
    .transform(Number)
    .optional(),
  MAX_SPECTATORS_PER_MATCH: z
    .string()
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .default(DEFAULT_MAX_SPECTATORS),
  QUICK_MATCH_BOT_AFTER_MS: z
    .string()
    .regex(/^\d+$/, 'must be a whole number of milliseconds (0: never)')
    .transform(Number)
    .default(DEFAULT_QUICK_MATCH_BOT_AFTER_MS),
  ANALYSIS_THREADS: z
    .string()
    .regex(/^\d+$/, 'must be a whole number (0: no analysis of finished games in this process)')
    .transform(Number)
    .pipe(z.number().max(16, 'must be at most 16'))
    .default(DEFAULT_ANALYSIS_SETTINGS.threads),
  ANALYSIS_PLIES: z.enum(['0', '1', '2'], 'must be 0, 1 or 2').transform((plies) => Number(plies) as AnalysisSettings['plies']).default(DEFAULT_ANALYSIS_SETTINGS.plies),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\/\S+$/, 'must be a Redis URL: redis://host:6379 (rediss:// for TLS)')
    .optional(),
  PUBLIC_ADDRESS: z
    .string()
    .regex(/^[^\s/][^\s]*$/, 'must be host:port or host/path, where {port} stands for the process\'s port')
    .optional(),
  ADMIN_PASSWORD: z.string().min(12, 'must be at least 12 characters').optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], 'must be one of: fatal, error, warn, info, debug, trace, silent').default('info'),
  LOG_FORMAT: z.enum(['json', 'pretty'], 'must be json or pretty').optional(),
  NODE_APP_INSTANCE: z.string().regex(/^\d+$/, 'must be a whole number').transform(Number).default(0),
  NODE_ENV: z
    .enum(['development', 'production', 'test'], 'must be one of: development, production, test')
    .default('development'),
});

export interface Config {
  /** TCP port the HTTP and WebSocket server listens on. */
  port: number;
  /** Interface to bind; all interfaces when undefined. */
  host: string | undefined;
  nodeEnv: z.output<typeof environmentSchema>['NODE_ENV'];
  /** The database: PostgreSQL at DATABASE_URL, else the embedded PGlite in DATA_DIR. */
  database: DatabaseTarget;
  /** Signs access tokens; null outside production: kept in the data folder, or random per start (see auth/deployment-secrets.ts). */
  jwtSecret: string | null;
  /** Seals the fair-dice seeds of matches in progress (64 hex digits); null outside production, as jwtSecret. */
  diceKey: string | null;
  /** New accounts (guests and registrations) one address may create per hour; 0: no limit. 30 in production, 1,000 otherwise. */
  accountsPerAddressPerHour: number;
  /** Reverse proxies whose X-Forwarded-For names the client (see client-address.ts). */
  trustedProxies: string[];
  /** Spectators one match admits at most; its two players always get in. */
  maxSpectatorsPerMatch: number;
  /** Milliseconds a quick-match player waits alone before playing a bot; 0: never. */
  quickMatchBotAfterMs: number;
  /** Finished games analysed in the background: threads (0: none in this process) and depth. */
  analysis: AnalysisSettings;
  /** Redis joining several server processes; null: one process on its own. */
  redisUrl: string | null;
  /** Where clients reach this process's rooms (host:port or host/path), when processes share Redis. */
  publicAddress: string;
  /** Opens the monitor and the metrics by HTTP basic authentication; null: administrators' accounts only. */
  adminPassword: string | null;
  logLevel: string;
  /** One JSON object per line, or readable lines (the default in development). */
  logFormat: LogFormat;
}

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Validates the environment and returns the settings, or throws a ConfigError naming each bad variable. */
export function parseConfig(env: NodeJS.ProcessEnv): Config {
  const result = environmentSchema.safeParse(withoutEmptyValues(env));
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  }
  const { PORT, HOST, NODE_ENV, DATABASE_URL, DATA_DIR, JWT_SECRET, ACCOUNTS_PER_ADDRESS_PER_HOUR, TRUSTED_PROXIES, MAX_SPECTATORS_PER_MATCH } = result.data;
  // Under PM2 each process listens on PORT plus its instance number (see @colyseus/tools' listen).
  const processPort = PORT + result.data.NODE_APP_INSTANCE;
  if (processPort > 65535) throw new ConfigError([`PORT: ${PORT} plus the instance number ${result.data.NODE_APP_INSTANCE} is past 65535`]);
  if (result.data.NODE_APP_INSTANCE > 0) {
    // Processes that cannot see each other's rooms, or that share one embedded database's folder, would split the server.
    const missing = [!result.data.REDIS_URL && 'REDIS_URL', !DATABASE_URL && 'DATABASE_URL'].filter(Boolean);
    if (missing.length > 0) throw new ConfigError(missing.map((name) => `${name}: required when several processes run (NODE_APP_INSTANCE is ${result.data.NODE_APP_INSTANCE})`));
  }
  if (NODE_ENV === 'production') {
    // Every process of a deployment must sign (and seal) with the same secret, and both must outlive a restart.
    const missing = [
      !JWT_SECRET && 'JWT_SECRET: required in production (at least 32 characters, the same for every process)',
      !result.data.DICE_KEY && 'DICE_KEY: required in production (64 hexadecimal digits, the same for every process)',
    ].filter((problem): problem is string => typeof problem === 'string');
    if (missing.length > 0) throw new ConfigError(missing);
  }
  return {
    port: PORT,
    host: HOST,
    nodeEnv: NODE_ENV,
    database: databaseTarget(DATABASE_URL, DATA_DIR),
    jwtSecret: JWT_SECRET ?? null,
    diceKey: result.data.DICE_KEY?.toLowerCase() ?? null,
    accountsPerAddressPerHour: ACCOUNTS_PER_ADDRESS_PER_HOUR ?? DEFAULT_ACCOUNTS_PER_ADDRESS_PER_HOUR[NODE_ENV],
    trustedProxies: TRUSTED_PROXIES,
    maxSpectatorsPerMatch: MAX_SPECTATORS_PER_MATCH,
    quickMatchBotAfterMs: result.data.QUICK_MATCH_BOT_AFTER_MS,
    analysis: { threads: result.data.ANALYSIS_THREADS, plies: result.data.ANALYSIS_PLIES },
    redisUrl: result.data.REDIS_URL ?? null,
    adminPassword: result.data.ADMIN_PASSWORD ?? null,
    logLevel: result.data.LOG_LEVEL,
    logFormat: result.data.LOG_FORMAT ?? (NODE_ENV === 'development' ? 'pretty' : 'json'),
    publicAddress: (result.data.PUBLIC_ADDRESS ?? `${HOST ?? 'localhost'}:{port}`).replaceAll('{port}', String(processPort)),
  };
}

/** Start-up entry: a configuration mistake is the user's to fix, so it gets a message and exit code 1, not a stack trace. */
export function loadConfigOrExit(env: NodeJS.ProcessEnv = process.env): Config {
  try {
    return parseConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
}

// `PORT=` (as written by templates such as `PORT=${PORT}` when PORT is unset) means "use the default".
function withoutEmptyValues(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== ''),
  );
}
