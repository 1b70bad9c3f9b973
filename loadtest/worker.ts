/**
 * One generator process of `--workers K`: runs its share of the matches and sends its figures
 * to the coordinator (loadtest/index.ts) once a second over IPC.
 */
import { Generator, type GeneratorOptions } from './generator.js';

const options = JSON.parse(process.env.TAVLA_LOADTEST_WORKER ?? '{}') as GeneratorOptions;
const generator = new Generator(options);
const send = (message: unknown) => process.send?.(message);

const reporter = setInterval(() => send({ type: 'report', report: generator.report() }), 1_000);

process.on('message', async (message: { type?: string }) => {
  if (message?.type === 'fall-silent') return generator.fallSilent();
  if (message?.type !== 'stop') return;
  clearInterval(reporter);
  await generator.stop();
  send({ type: 'report', report: generator.report(), final: true });
  process.disconnect?.();
  setTimeout(() => process.exit(0), 100).unref();
});
process.on('disconnect', () => process.exit(0));

await generator.start();
send({ type: 'ramped' });
