import { format } from 'node:util';
import { pino, type DestinationStream, type Logger } from 'pino';
import { prettyFactory } from 'pino-pretty';

export type LogFormat = 'json' | 'pretty';

/** Where log lines go: standard output, unless a test taps them (see `tapLog`). */
let tap: ((line: string) => void) | null = null;
let prettify: ((line: string) => string) | null = null;

const destination: DestinationStream = {
  write(line: string): void {
    if (tap) tap(line);
    else process.stdout.write(prettify ? prettify(line) : line);
  },
};

/**
 * The server's log: one JSON object per line (`level`, `time`, `msg`, and `matchId`, `roomId`,
 * `userId` on lines about a match or a player), or readable lines in development. Rooms log
 * through `log.child({ roomId, matchId })`.
 */
export const log: Logger = pino({ level: 'info', base: { pid: process.pid } }, destination);

/** Applies the configuration: the level (LOG_LEVEL) and the format (JSON, or readable in development). */
export function configureLog(level: string, logFormat: LogFormat): void {
  log.level = level;
  prettify = logFormat === 'pretty' ? prettyFactory({ colorize: process.stdout.isTTY, translateTime: 'HH:MM:ss', ignore: 'pid,hostname', singleLine: true }) : null;
}

/** Sends every log line (JSON) to `listener` instead of standard output, until called with null. */
export function tapLog(listener: ((line: string) => void) | null): void {
  tap = listener;
}

/** Colyseus's own messages, through the same log. */
export const colyseusLogger = {
  debug: (...args: unknown[]) => log.debug(format(...args)),
  trace: (...args: unknown[]) => log.trace(format(...args)),
  info: (...args: unknown[]) => log.info(format(...args)),
  warn: (...args: unknown[]) => log.warn(format(...args)),
  error: (...args: unknown[]) => log.error(format(...args)),
};
