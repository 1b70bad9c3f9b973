import { sharedBearoffDatabase } from './bearoff.js';
import { NetEvaluator } from './evaluator.js';
import { deserializeNet, readWeightsFile } from './weights-file.js';

export const COMMITTED_WEIGHTS = new URL('./weights/net.json', import.meta.url);
let weightsFile: URL | string = COMMITTED_WEIGHTS;
let sharedEvaluator: NetEvaluator | null = null;

/** Makes the bots of this thread judge with another weights file (a training checkpoint); call before the first judgement. */
export function useWeightsFile(path: string): void {
  if (sharedEvaluator && path !== weightsFile) throw new Error(`the bots already judge with ${String(weightsFile)}`);
  weightsFile = path;
}

/** The evaluator of the weights file (the committed one unless another is chosen) with the bear-off database, loaded on first use. */
export function netEvaluator(): NetEvaluator {
  if (!sharedEvaluator) {
    const file = readWeightsFile(weightsFile);
    sharedEvaluator = new NetEvaluator(deserializeNet(file.nets.contact), deserializeNet(file.nets.race), sharedBearoffDatabase());
  }
  return sharedEvaluator;
}
