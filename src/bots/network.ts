import { OUTPUTS, type Outcome } from './outcome.js';
import type { SparseInputs } from './encoding.js';

/** A local copy: an imported binding is a getter call per read under the TypeScript loader. */
const OUTPUT_COUNT = OUTPUTS;

/**
 * A fully connected net with one hidden layer of sigmoid units and five sigmoid outputs.
 * Weights are float32 (what the weights file stores, so a saved net is exactly the net that
 * was trained); activations are float64 scratch arrays reused by every evaluation.
 * Input weights are stored input-major: the weights from one input to all hidden units are
 * contiguous, so a sparse input touches one row.
 */
export class Network {
  readonly inputWeights: Float32Array;
  readonly hiddenBiases: Float32Array;
  /** Output-major: the weights from all hidden units to one output are contiguous. */
  readonly outputWeights: Float32Array;
  readonly outputBiases: Float32Array;
  private readonly hidden: Float64Array;
  private readonly hiddenDeltas: Float64Array;
  private readonly outputDeltas = new Float64Array(OUTPUT_COUNT);
  private readonly zeroInputs: Float64Array;

  constructor(
    readonly inputCount: number,
    readonly hiddenCount: number,
  ) {
    this.inputWeights = new Float32Array(inputCount * hiddenCount);
    this.hiddenBiases = new Float32Array(hiddenCount);
    this.outputWeights = new Float32Array(OUTPUT_COUNT * hiddenCount);
    this.outputBiases = new Float32Array(OUTPUT_COUNT);
    this.hidden = new Float64Array(hiddenCount);
    this.hiddenDeltas = new Float64Array(hiddenCount);
    this.zeroInputs = new Float64Array(inputCount);
  }

  /** Every weight and bias, in the order the weights file stores them. */
  parameterArrays(): Float32Array[] {
    return [this.inputWeights, this.hiddenBiases, this.outputWeights, this.outputBiases];
  }

  parameterCount(): number {
    return this.parameterArrays().reduce((sum, array) => sum + array.length, 0);
  }

  /** Small random starting weights in [-scale, scale). */
  initialize(random: () => number, scale = 0.1): void {
    for (const array of this.parameterArrays()) {
      for (let i = 0; i < array.length; i++) array[i] = (random() * 2 - 1) * scale;
    }
  }

  /**
   * The same net with `hiddenCount` hidden units: the added units get small random input weights
   * and zero output weights, so the wider net judges every position exactly as this one does,
   * and training grows them from there.
   */
  withHiddenUnits(hiddenCount: number, random: () => number, scale = 0.1): Network {
    if (hiddenCount < this.hiddenCount) throw new Error(`a net cannot shrink from ${this.hiddenCount} to ${hiddenCount} hidden units`);
    const wider = new Network(this.inputCount, hiddenCount);
    const fresh = (): number => (random() * 2 - 1) * scale;
    for (let input = 0; input < this.inputCount; input++) {
      for (let unit = 0; unit < hiddenCount; unit++) {
        wider.inputWeights[input * hiddenCount + unit] = unit < this.hiddenCount ? this.inputWeights[input * this.hiddenCount + unit]! : fresh();
      }
    }
    for (let unit = 0; unit < hiddenCount; unit++) wider.hiddenBiases[unit] = unit < this.hiddenCount ? this.hiddenBiases[unit]! : fresh();
    for (let output = 0; output < OUTPUT_COUNT; output++) {
      wider.outputWeights.set(this.outputWeights.subarray(output * this.hiddenCount, (output + 1) * this.hiddenCount), output * hiddenCount);
    }
    wider.outputBiases.set(this.outputBiases);
    return wider;
  }

  /** Forward pass: writes the five output probabilities. Keeps the hidden activations for `train`. */
  evaluate(inputs: SparseInputs, into: Outcome): Outcome {
    const hiddenCount = this.hiddenCount;
    const sums = this.hidden;
    const weights = this.inputWeights;
    sums.set(this.hiddenBiases);
    for (let k = 0; k < inputs.count; k++) {
      const value = inputs.values[k]!;
      const row = inputs.indexes[k]! * hiddenCount;
      for (let h = 0; h < hiddenCount; h++) sums[h]! += weights[row + h]! * value;
    }
    return this.outputsFromSums(sums, into);
  }

  /** The hidden units' input sums for a dense input vector. */
  hiddenSums(inputs: Float64Array, into: Float64Array): Float64Array {
    into.set(this.hiddenBiases);
    return this.addInputChanges(this.zeroInputs, inputs, into);
  }

  /**
   * The hidden units' input sums for `inputs`, from those of a similar vector `base`: only
   * the inputs that differ cost work, which makes judging the plays of one roll, which all
   * leave nearly the same board, a few times cheaper.
   */
  hiddenSumsFrom(base: Float64Array, baseSums: Float64Array, inputs: Float64Array, into: Float64Array): Float64Array {
    into.set(baseSums);
    return this.addInputChanges(base, inputs, into);
  }

  private addInputChanges(base: Float64Array, inputs: Float64Array, sums: Float64Array): Float64Array {
    const hiddenCount = this.hiddenCount;
    const weights = this.inputWeights;
    for (let i = 0; i < this.inputCount; i++) {
      const change = inputs[i]! - base[i]!;
      if (change === 0) continue;
      const row = i * hiddenCount;
      for (let h = 0; h < hiddenCount; h++) sums[h]! += weights[row + h]! * change;
    }
    return sums;
  }

  /** The outputs for given hidden input sums; the hidden activations are kept for `train`. */
  outputsFromSums(sums: Float64Array, into: Outcome): Outcome {
    const hiddenCount = this.hiddenCount;
    const hidden = this.hidden;
    for (let h = 0; h < hiddenCount; h++) hidden[h] = sigmoid(sums[h]!);
    for (let o = 0; o < OUTPUT_COUNT; o++) {
      const row = o * hiddenCount;
      let sum = this.outputBiases[o]!;
      for (let h = 0; h < hiddenCount; h++) sum += this.outputWeights[row + h]! * hidden[h]!;
      into[o] = sigmoid(sum);
    }
    return into;
  }

  /**
   * One gradient step of the outputs towards `target` on these inputs (cross-entropy loss, so
   * the output error needs no sigmoid slope). Evaluates first; returns nothing.
   */
  train(inputs: SparseInputs, target: Outcome, rate: number, scratch: Outcome): void {
    const outputs = this.evaluate(inputs, scratch);
    const hiddenCount = this.hiddenCount;
    const hidden = this.hidden;
    const deltas = this.hiddenDeltas;
    deltas.fill(0);
    for (let o = 0; o < OUTPUT_COUNT; o++) {
      const error = target[o]! - outputs[o]!;
      this.outputDeltas[o] = error;
      const row = o * hiddenCount;
      for (let h = 0; h < hiddenCount; h++) deltas[h]! += error * this.outputWeights[row + h]!;
    }
    for (let h = 0; h < hiddenCount; h++) {
      const activation = hidden[h]!;
      deltas[h] = deltas[h]! * activation * (1 - activation) * rate;
      this.hiddenBiases[h]! += deltas[h]!;
    }
    for (let o = 0; o < OUTPUT_COUNT; o++) {
      const step = this.outputDeltas[o]! * rate;
      const row = o * hiddenCount;
      this.outputBiases[o]! += step;
      for (let h = 0; h < hiddenCount; h++) this.outputWeights[row + h]! += step * hidden[h]!;
    }
    const weights = this.inputWeights;
    for (let k = 0; k < inputs.count; k++) {
      const value = inputs.values[k]!;
      const row = inputs.indexes[k]! * hiddenCount;
      for (let h = 0; h < hiddenCount; h++) weights[row + h]! += deltas[h]! * value;
    }
  }
}

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}
