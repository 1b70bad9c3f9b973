/**
 * Profiles of the server's main thread over a window of the run, e.g. the steady state only:
 * - TAVLA_LOADTEST_PROFILE=DIR,AFTER_S,FOR_S writes DIR/server-<pid>.cpuprofile, the CPU sampled
 *   from AFTER_S to AFTER_S + FOR_S seconds after the server started;
 * - TAVLA_LOADTEST_HEAP_PROFILE=DIR,AFTER_S,FOR_S writes DIR/server-<pid>.heapprofile, where the
 *   memory allocated in that window was allocated, whether it was collected since or not;
 *   TAVLA_LOADTEST_HEAP_PROFILE=DIR,AFTER_S,FOR_S,survivors counts only what outlived the young
 *   generation (objects a scavenge collected are left out): what gets copied and promoted.
 * Open either in Chrome's DevTools.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { z } from 'zod';

const settingSchema = z.tuple([z.string().min(1), z.coerce.number<string>().min(0), z.coerce.number<string>().positive()]).rest(z.literal('survivors'));

interface Window {
  readonly dir: string;
  readonly afterSeconds: number;
  readonly forSeconds: number;
  readonly survivorsOnly: boolean;
}

function windowFrom(variable: string, setting: string | undefined): Window | null {
  if (!setting) return null;
  const parsed = settingSchema.safeParse(setting.split(','));
  if (!parsed.success || parsed.data.length > 4) throw new Error(`${variable}=${setting}: expected DIR,AFTER_SECONDS,FOR_SECONDS (and ,survivors for a heap profile)`);
  const [dir, afterSeconds, forSeconds, survivors] = parsed.data;
  return { dir, afterSeconds, forSeconds, survivorsOnly: survivors !== undefined };
}

export function profileWindowFromEnv(cpu = process.env.TAVLA_LOADTEST_PROFILE, heap = process.env.TAVLA_LOADTEST_HEAP_PROFILE): void {
  const cpuWindow = windowFrom('TAVLA_LOADTEST_PROFILE', cpu);
  const heapWindow = windowFrom('TAVLA_LOADTEST_HEAP_PROFILE', heap);
  if (cpuWindow) later(cpuWindow, () => profileCpu(join(cpuWindow.dir, `server-${process.pid}.cpuprofile`), cpuWindow.forSeconds));
  if (heapWindow) later(heapWindow, () => profileAllocations(join(heapWindow.dir, `server-${process.pid}.heapprofile`), heapWindow));
}

function later(window: Window, profile: () => Promise<void>): void {
  mkdirSync(window.dir, { recursive: true });
  setTimeout(() => void profile(), window.afterSeconds * 1000).unref();
}

async function profileCpu(file: string, seconds: number): Promise<void> {
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

async function profileAllocations(file: string, { forSeconds, survivorsOnly }: Window): Promise<void> {
  const session = new Session();
  session.connect();
  await session.post('HeapProfiler.enable');
  await session.post('HeapProfiler.startSampling', {
    samplingInterval: 16_384,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: !survivorsOnly,
  });
  await new Promise((resolve) => setTimeout(resolve, forSeconds * 1000));
  const { profile } = await session.post('HeapProfiler.stopSampling');
  writeFileSync(file, JSON.stringify(profile));
  session.disconnect();
}
