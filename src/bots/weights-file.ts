import { randomBytes } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import { INPUT_COUNT, INPUT_LAYOUT } from './encoding.js';
import { Network } from './network.js';

/**
 * The weights file: both nets (little-endian float32, base64) with the training run's whole
 * state, so it is at once what the bots load and the checkpoint a training run resumes from.
 */
export const WEIGHTS_FORMAT = 'tavla-backgammon-net-1';

const netSchema = z.object({
  inputs: z.number().int().positive(),
  /** The inputs' blocks (encoding.ts's INPUT_LAYOUT when written); absent in files written before it was recorded. */
  layout: z.array(z.string()).optional(),
  hidden: z.number().int().positive(),
  parameters: z.string().min(1),
});

export const trainingSettingsSchema = z.object({
  hidden: z.number().int().positive(),
  alpha: z.number().positive(),
  /** alpha halves every this many games, down to alpha * alphaFloor. */
  alphaHalvingGames: z.number().positive(),
  alphaFloor: z.number().positive().max(1),
  lambda: z.number().min(0).max(1),
  /** 0: each position learns its TD(lambda) return; 1: the net's own 1-ply judgement of it (files before this setting: 0). */
  targetPlies: z.union([z.literal(0), z.literal(1)]).default(0),
  seed: z.number().int(),
  evalEvery: z.number().int().positive(),
  evalGames: z.number().int().positive(),
  evalSeed: z.number().int(),
});
export type TrainingSettings = z.infer<typeof trainingSettingsSchema>;

export const strengthSchema = z.object({
  games: z.number().int().nonnegative(),
  hours: z.number().nonnegative(),
  date: z.string(),
  opponent: z.string(),
  evalGames: z.number().int().positive(),
  ppg: z.number(),
  standardError: z.number().nonnegative(),
  winRate: z.number().min(0).max(1),
});
export type Strength = z.infer<typeof strengthSchema>;

const prngStateSchema = z.tuple([z.number().int(), z.number().int(), z.number().int(), z.number().int()]);

export const weightsFileSchema = z.object({
  format: z.literal(WEIGHTS_FORMAT),
  description: z.string(),
  command: z.string(),
  settings: trainingSettingsSchema,
  gamesTrained: z.number().int().nonnegative(),
  trainingHours: z.number().nonnegative(),
  prngState: prngStateSchema,
  strengthHistory: z.array(strengthSchema),
  nets: z.object({ contact: netSchema, race: netSchema }),
});
export type WeightsFile = z.infer<typeof weightsFileSchema>;
export type SerializedNet = z.infer<typeof netSchema>;

export function serializeNet(net: Network): SerializedNet {
  const parameters = new Float32Array(net.parameterCount());
  let offset = 0;
  for (const array of net.parameterArrays()) {
    parameters.set(array, offset);
    offset += array.length;
  }
  const layout = layoutOfInputCount(net.inputCount);
  if (layout.length === 0) throw new Error(`a net with ${net.inputCount} inputs fits no leading part of this encoding's [${INPUT_LAYOUT.join(', ')}]`);
  return {
    inputs: net.inputCount,
    layout,
    hidden: net.hiddenCount,
    parameters: Buffer.from(parameters.buffer, parameters.byteOffset, parameters.byteLength).toString('base64'),
  };
}

/**
 * The net a weights file holds. Weights laid out as a leading part of this encoding's inputs
 * (an earlier encoding, to which blocks were added since) are widened with zero weights from
 * the inputs they lack: the net judges every position exactly as before, and training goes on
 * from it. Any other layout is refused.
 */
export function deserializeNet(serialized: SerializedNet): Network {
  const layout = serialized.layout ?? layoutOfInputCount(serialized.inputs);
  const fits = layout.length <= INPUT_LAYOUT.length && layout.every((block, index) => block === INPUT_LAYOUT[index]);
  if (!fits || layoutInputCount(layout) !== serialized.inputs) {
    throw new Error(`the weights have ${serialized.inputs} inputs laid out as [${layout.join(', ')}]; this encoding reads [${INPUT_LAYOUT.join(', ')}]`);
  }
  const net = new Network(serialized.inputs, serialized.hidden);
  const bytes = Buffer.from(serialized.parameters, 'base64');
  if (bytes.byteLength !== net.parameterCount() * 4) {
    throw new Error(`the weights hold ${bytes.byteLength / 4} parameters; the net needs ${net.parameterCount()}`);
  }
  const parameters = new Float32Array(new Uint8Array(bytes).buffer);
  let offset = 0;
  for (const array of net.parameterArrays()) {
    array.set(parameters.subarray(offset, offset + array.length));
    offset += array.length;
  }
  return net.inputCount === INPUT_COUNT ? net : widened(net, INPUT_COUNT);
}

/** A file that does not record its layout: the leading blocks of this encoding with that many inputs (none: an empty layout). */
function layoutOfInputCount(inputs: number): string[] {
  for (let blocks = INPUT_LAYOUT.length; blocks > 0; blocks--) {
    const layout = INPUT_LAYOUT.slice(0, blocks);
    if (layoutInputCount(layout) === inputs) return layout;
  }
  return [];
}

function layoutInputCount(layout: readonly string[]): number {
  return layout.reduce((total, block) => total + Number(block.slice(block.lastIndexOf(':') + 1)), 0);
}

/** The same net with more inputs, whose weights are zero (input weights are stored input-major). */
function widened(net: Network, inputCount: number): Network {
  const wider = new Network(inputCount, net.hiddenCount);
  net.parameterArrays().forEach((array, index) => wider.parameterArrays()[index]!.set(array));
  return wider;
}

export function readWeightsFile(path: string | URL): WeightsFile {
  return weightsFileSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
}

/** Writes a temporary file beside the target and renames it over: readers see the old file or the new one. */
export function writeWeightsFile(path: string, file: WeightsFile): void {
  const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(file, null, 1)}\n`);
  renameSync(temporary, path);
}
