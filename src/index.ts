import { listen } from '@colyseus/tools';
import { createAppConfig } from './app.config.js';
import { loadConfigOrExit } from './config.js';

const config = loadConfigOrExit();
try {
  await listen(createAppConfig(config), config.port);
} catch (error) {
  if (!isSystemError(error)) throw error;
  // Port in use, no permission, unknown host: the message says it all, a stack trace would not help.
  console.error(`Cannot listen on ${config.host ?? 'all interfaces'}, port ${config.port}: ${error.message}`);
  process.exit(1);
}

function isSystemError(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && 'syscall' in error;
}
