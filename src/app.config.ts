import { defineRoom, LobbyRoom } from '@colyseus/core';
import defineServerConfig from '@colyseus/tools';
import { useTokenSecret } from './auth/tokens.js';
import { joinCluster } from './cluster.js';
import { colyseusLogger, configureLog } from './log.js';
import type { Config } from './config.js';
import { mountHttpApi } from './http/api.js';
import { createTransport } from './http/transport.js';
import { matchRoomWith } from './rooms/match-room.js';
import type { Services } from './services.js';
import { quickMatchQueueWith } from './rooms/quick-match-queue.js';

export function createAppConfig(config: Config, services: Services) {
  configureLog(config.logLevel, config.logFormat);
  useTokenSecret(services.secrets.jwtSecret);
  const cluster = joinCluster(config);
  return defineServerConfig({
    // Colyseus's banner would break a log of one JSON object per line.
    options: { ...cluster.serverOptions, logger: colyseusLogger, greet: config.logFormat === 'pretty' },
    rooms: {
      match: defineRoom(matchRoomWith(services, config.maxSpectatorsPerMatch)).enableRealtimeListing(),
      quickmatch: defineRoom(quickMatchQueueWith(services.database, config.quickMatchBotAfterMs)).filterBy(['matchLength']),
      lobby: defineRoom(LobbyRoom),
    },
    initializeExpress: (app) => mountHttpApi(app, { database: services.database, analysis: services.analysis, metrics: services.metrics, config, limitStore: cluster.redis, gone: services.liveness.gone }),
    initializeGameServer: (server) => server.onShutdown(() => cluster.close()),
    initializeTransport: () => createTransport(config.host, config.trustedProxies),
  });
}

/** The server's rooms and routes, for typed SDK clients: `new Client<AppConfig>(url)`. */
export type AppConfig = ReturnType<typeof createAppConfig>;
