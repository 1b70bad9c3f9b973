import './quiet-env-files.js';
import { listen } from '@colyseus/tools';
import { createAppConfig } from './app.config.js';
import { loadConfigOrExit } from './config.js';
import { configureLog, log } from './log.js';
import { describeTarget } from './db/orm.js';
import { loadDeploymentSecrets, type DeploymentSecrets } from './auth/deployment-secrets.js';
import { scheduleSeedCleanup } from './recovery/seed-vault.js';
import { startTakeovers } from './recovery/takeover.js';
import { scheduleGuestCleanup, startServices, stopServices, type Services } from './services.js';
import { releaseStartupMemory } from './startup-memory.js';
import { trimPm2Metrics } from './pm2-metrics.js';
import { warnOfFewFiles } from './open-files.js';
import { yieldHelperThreads } from './thread-priority.js';

// Before any worker thread starts: the threads there are now, but for this one, are V8's and Node's helpers.
const helperThreads = yieldHelperThreads();
trimPm2Metrics();
const config = loadConfigOrExit();
configureLog(config.logLevel, config.logFormat);
warnOfFewFiles();
log.debug({ helperThreads }, 'V8 helper threads run below the rooms\' thread');
const services = await startServicesOrExit();
try {
  const server = await listen(createAppConfig(config, services), config.port);
  // Rooms are disposed first (their last events join the journal), then the journal is flushed.
  const stopGuestCleanup = scheduleGuestCleanup(services.database);
  const stopSeedCleanup = scheduleSeedCleanup(services.seedVault);
  const stopTakeovers = startTakeovers(services, services.liveness);
  // Before the rooms hand their matches over: this process must not claim them back.
  server.onBeforeShutdown(stopTakeovers);
  services.analysis.start();
  server.onShutdown(async () => {
    stopGuestCleanup();
    stopSeedCleanup();
    // Every event written, this process says it is gone: the others take over whatever it still holds.
    await stopServices(services);
  });
  releaseStartupMemory();
} catch (error) {
  if (!isSystemError(error)) throw error;
  // Port in use, no permission, unknown host: the message says it all, a stack trace would not help.
  console.error(`Cannot listen on ${config.host ?? 'all interfaces'}, port ${config.port}: ${error.message}`);
  process.exit(1);
}

async function startServicesOrExit(): Promise<Services> {
  const where = describeTarget(config.database);
  try {
    const started = await startServices(config.database, loadSecretsOrExit(), { redisUrl: config.redisUrl, analysis: config.analysis });
    if (started.secrets.kept === 'this process') log.warn('JWT_SECRET or DICE_KEY is not set: access tokens and matches in progress will not outlive this process');
    log.info({ serverId: started.serverId }, `database: ${where}, schema up to date`);
    return started;
  } catch (error) {
    console.error(`Cannot open the database (${where}): ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}

function loadSecretsOrExit(): DeploymentSecrets {
  try {
    return loadDeploymentSecrets(config);
  } catch (error) {
    console.error(`Cannot read the secrets kept in ${config.database.kind === 'pglite' ? config.database.dataDir : 'the data folder'}: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}

function isSystemError(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && 'syscall' in error;
}
