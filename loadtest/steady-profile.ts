/**
 * A CPU profile of the server's main thread over a window of the run, e.g. the steady state
 * only: TAVLA_LOADTEST_PROFILE=DIR,AFTER_S,FOR_S writes DIR/server-<pid>.cpuprofile, sampled from
 * AFTER_S to AFTER_S + FOR_S seconds after the server started (open it in Chrome's DevTools).
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { z } from 'zod';

const settingSchema = z.tuple([z.string().min(1), z.coerce.number<string>().min(0), z.coerce.number<string>().positive()]);

export function profileWindowFromEnv(setting = process.env.TAVLA_LOADTEST_PROFILE): void {
  if (!setting) return;
  const parsed = settingSchema.safeParse(setting.split(','));
  if (!parsed.success) throw new Error(`TAVLA_LOADTEST_PROFILE=${setting}: expected DIR,AFTER_SECONDS,FOR_SECONDS`);
  const [dir, afterSeconds, forSeconds] = parsed.data;
  setTimeout(() => void profileFor(join(dir, `server-${process.pid}.cpuprofile`), forSeconds), afterSeconds * 1000).unref();
}

async function profileFor(file: string, seconds: number): Promise<void> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 500 });
  await session.post('Profiler.start');
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  const { profile } = await session.post('Profiler.stop');
  writeFileSync(file, JSON.stringify(profile));
  session.disconnect();
}
