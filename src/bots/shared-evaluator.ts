import { sharedBearoffDatabase } from './bearoff.js';
import { NetEvaluator } from './evaluator.js';
import { deserializeNet, readWeightsFile } from './weights-file.js';

const WEIGHTS = new URL('./weights/net.json', import.meta.url);
let sharedEvaluator: NetEvaluator | null = null;

/** The evaluator of the committed weights with the bear-off database, loaded on first use. */
export function netEvaluator(): NetEvaluator {
  if (!sharedEvaluator) {
    const file = readWeightsFile(WEIGHTS);
    sharedEvaluator = new NetEvaluator(deserializeNet(file.nets.contact), deserializeNet(file.nets.race), sharedBearoffDatabase());
  }
  return sharedEvaluator;
}
