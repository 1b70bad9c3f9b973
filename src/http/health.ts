import type { RequestHandler } from 'express';
import packageJson from '../../package.json' with { type: 'json' };

export interface HealthReport {
  status: 'ok';
  version: string;
  uptimeSeconds: number;
}

export const health: RequestHandler = (_request, response) => {
  response.json({ status: 'ok', version: packageJson.version, uptimeSeconds: Math.floor(process.uptime()) } satisfies HealthReport);
};
