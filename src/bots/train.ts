/**
 * TD(lambda) self-play training of the bots' nets. Resumes from the weights file when it
 * exists (the weights file is the checkpoint), writes it every few minutes, after every
 * strength measurement and on SIGINT/SIGTERM, and measures the nets against pubeval.
 *
 *   npm run train [-- --games N --hours H --eval-every N --eval-games N
 *                     --hidden N --alpha A --lambda L --target-plies P --seed S --fresh --weights PATH]
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { DEFAULT_SETTINGS, Trainer } from './training/trainer.js';
import { readWeightsFile, writeWeightsFile, type Strength, type TrainingSettings } from './weights-file.js';

const DEFAULT_WEIGHTS = fileURLToPath(new URL('./weights/net.json', import.meta.url));
const PROGRESS_SECONDS = 60;

const optionsSchema = z.object({
  games: z.coerce.number().int().positive().optional(),
  hours: z.coerce.number().positive().optional(),
  'eval-every': z.coerce.number().int().positive().optional(),
  'eval-games': z.coerce.number().int().min(2).optional(),
  hidden: z.coerce.number().int().min(1).max(1024).optional(),
  alpha: z.coerce.number().positive().max(10).optional(),
  lambda: z.coerce.number().min(0).max(1).optional(),
  'target-plies': z.enum(['0', '1']).transform((plies) => (plies === '1' ? 1 : 0)).optional(),
  seed: z.coerce.number().int().optional(),
  fresh: z.boolean().default(false),
  weights: z.string().default(DEFAULT_WEIGHTS),
  'checkpoint-minutes': z.coerce.number().positive().default(5),
  help: z.boolean().optional(),
});
type Options = z.infer<typeof optionsSchema>;

const USAGE = `usage: npm run train [-- options]
  --games N              stop after N games in this run
  --hours H              stop after H hours in this run
  --eval-every N         measure against pubeval every N games (default ${DEFAULT_SETTINGS.evalEvery})
  --eval-games N         games per measurement (default ${DEFAULT_SETTINGS.evalGames})
  --alpha A, --lambda L  learning rate and TD(lambda)'s lambda
  --target-plies P       0: learn TD(lambda) returns (default); 1: learn the net's own 1-ply judgement
  --hidden N, --seed S   hidden units and seed of a new run (with --fresh)
  --fresh                start a new run, replacing the weights file
  --weights PATH         the weights file (default src/bots/weights/net.json)
  --checkpoint-minutes M write the weights file every M minutes (default 5)`;

function parseOptions(): Options {
  let values: Record<string, unknown>;
  try {
    ({ values } = parseArgs({
      options: {
        games: { type: 'string' },
        hours: { type: 'string' },
        'eval-every': { type: 'string' },
        'eval-games': { type: 'string' },
        hidden: { type: 'string' },
        alpha: { type: 'string' },
        lambda: { type: 'string' },
        'target-plies': { type: 'string' },
        seed: { type: 'string' },
        fresh: { type: 'boolean' },
        weights: { type: 'string' },
        'checkpoint-minutes': { type: 'string' },
        help: { type: 'boolean' },
      },
    }));
  } catch (error) {
    exitWithUsage(error instanceof Error ? error.message : String(error));
  }
  if (values.help) exitWithUsage(null);
  const parsed = optionsSchema.safeParse(values);
  if (!parsed.success) exitWithUsage(z.prettifyError(parsed.error));
  return parsed.data;
}

function exitWithUsage(problem: string | null): never {
  if (problem === null) {
    console.log(USAGE);
    process.exit(0);
  }
  console.error(`train: ${problem}\n${USAGE}`);
  process.exit(2);
}

/** Settings that change how the run continues; the net's shape and seed are fixed once it started. */
function overrides(options: Options): Partial<TrainingSettings> {
  const entries = {
    alpha: options.alpha,
    lambda: options.lambda,
    targetPlies: options['target-plies'],
    evalEvery: options['eval-every'],
    evalGames: options['eval-games'],
  };
  return Object.fromEntries(Object.entries(entries).filter(([, value]) => value !== undefined));
}

function startTrainer(options: Options): Trainer {
  if (options.fresh || !existsSync(options.weights)) {
    const settings = {
      ...DEFAULT_SETTINGS,
      ...overrides(options),
      ...(options.hidden !== undefined && { hidden: options.hidden }),
      ...(options.seed !== undefined && { seed: options.seed }),
    };
    console.log(`train: starting a fresh run: ${JSON.stringify(settings)}`);
    return Trainer.fresh(settings);
  }
  const file = readWeightsFile(options.weights);
  if (options.hidden !== undefined || options.seed !== undefined) {
    console.error('train: --hidden and --seed shape a new run: add --fresh to start one (it replaces the weights file)');
    process.exit(2);
  }
  const settings = { ...file.settings, ...overrides(options) };
  console.log(`train: resuming after ${file.gamesTrained} games, ${file.trainingHours.toFixed(2)} h: ${JSON.stringify(settings)}`);
  return Trainer.resume(file, settings);
}

function describe(strength: Strength): string {
  const ppg = `${strength.ppg >= 0 ? '+' : ''}${strength.ppg.toFixed(3)}`;
  return `${ppg} ppg (standard error ${strength.standardError.toFixed(3)}), wins ${(strength.winRate * 100).toFixed(1)}% of ${strength.evalGames} games`;
}

function main(): void {
  const options = parseOptions();
  const command = ['npm run train --', ...process.argv.slice(2)].join(' ').replace(/ --$/, '');
  const trainer = startTrainer(options);
  console.log(`train: process ${process.pid}; kill -TERM ${process.pid} saves the weights and stops`);
  let stopRequested = false;
  const requestStop = (signal: string): void => {
    console.log(`train: ${signal}: stopping after this game`);
    stopRequested = true;
  };
  process.on('SIGINT', () => requestStop('SIGINT'));
  process.on('SIGTERM', () => requestStop('SIGTERM'));

  const runStarted = Date.now();
  let clock = runStarted;
  const tick = (): void => {
    const now = Date.now();
    trainer.trainingHours += (now - clock) / 3_600_000;
    clock = now;
  };
  const save = (): void => {
    tick();
    writeWeightsFile(options.weights, trainer.checkpoint(command));
    lastSave = Date.now();
  };
  let lastSave = Date.now();
  let lastReport = Date.now();
  let gamesAtReport = trainer.gamesTrained;
  const firstGame = trainer.gamesTrained;
  const gameLimit = options.games === undefined ? Infinity : firstGame + options.games;
  const deadline = options.hours === undefined ? Infinity : runStarted + options.hours * 3_600_000;

  // Each step is one game; the loop yields to the event loop between games so signals arrive.
  const step = (): void => {
    const sliceEnd = Date.now() + 200;
    while (!stopRequested && trainer.gamesTrained < gameLimit && Date.now() < deadline && Date.now() < sliceEnd) {
      trainer.trainGame();
      if (trainer.gamesTrained % trainer.settings.evalEvery === 0) {
        tick();
        const strength = trainer.measureStrength();
        console.log(`train: ${trainer.gamesTrained} games: against pubeval ${describe(strength)}`);
        save();
      }
    }
    const now = Date.now();
    if (now - lastReport >= PROGRESS_SECONDS * 1000) {
      const rate = (trainer.gamesTrained - gamesAtReport) / ((now - lastReport) / 1000);
      console.log(`train: ${trainer.gamesTrained} games, ${rate.toFixed(1)} games/s, alpha ${trainer.learningRate().toPrecision(3)}`);
      lastReport = now;
      gamesAtReport = trainer.gamesTrained;
    }
    if (now - lastSave >= options['checkpoint-minutes'] * 60_000) save();
    if (stopRequested || trainer.gamesTrained >= gameLimit || now >= deadline) {
      save();
      console.log(`train: stopped after ${trainer.gamesTrained} games (${trainer.gamesTrained - firstGame} in this run); weights in ${options.weights}`);
      return;
    }
    setImmediate(step);
  };
  step();
}

main();
