import { log } from './log.js';

/**
 * Imported before @colyseus/tools, which reads `.env` files while it loads and reports on the
 * console, outside the structured log: dotenv is asked to keep quiet, the tools' notice that the
 * optional files are absent is dropped, and the file it read is logged.
 */
process.env.DOTENV_CONFIG_QUIET ??= 'true';

const consoleInfo = console.info.bind(console);
console.info = (...args: unknown[]) => {
  const text = typeof args[0] === 'string' ? args[0] : '';
  if (text.includes('optional .env file not found')) return;
  const loaded = /^\u2705 (.+) loaded\.$/u.exec(text);
  if (loaded) return log.info(`settings read from ${loaded[1]}`);
  consoleInfo(...args);
};
