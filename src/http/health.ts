import { createEndpoint } from '@colyseus/core';
import packageJson from '../../package.json' with { type: 'json' };

export interface HealthReport {
  status: 'ok';
  version: string;
  uptimeSeconds: number;
}

export const health = createEndpoint('/health', { method: 'GET' }, async (): Promise<HealthReport> => ({
  status: 'ok',
  version: packageJson.version,
  uptimeSeconds: Math.floor(process.uptime()),
}));
