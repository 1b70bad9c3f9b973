/**
 * A latency histogram with logarithmic buckets (about 1% relative precision from 1 µs to
 * 100 s): constant memory however many samples, and mergeable, so workers can send theirs.
 */
const GROWTH = 1.01;
const LOG_GROWTH = Math.log(GROWTH);
const MIN_US = 1;
const BUCKETS = Math.ceil(Math.log(100_000_000 / MIN_US) / LOG_GROWTH) + 1;

/** Sparse form for IPC: [bucket, count] pairs. */
export type HistogramData = [number, number][];

export class Histogram {
  private counts = new Float64Array(BUCKETS);
  count = 0;
  max = 0;

  record(ms: number): void {
    const us = Math.max(MIN_US, ms * 1000);
    const index = Math.min(BUCKETS - 1, Math.floor(Math.log(us / MIN_US) / LOG_GROWTH));
    this.counts[index]! += 1;
    this.count += 1;
    if (ms > this.max) this.max = ms;
  }

  /** The value (ms) below which `fraction` of the samples lie; the bucket's upper edge. */
  percentile(fraction: number): number {
    if (this.count === 0) return NaN;
    const rank = Math.max(1, Math.ceil(fraction * this.count));
    let seen = 0;
    for (let index = 0; index < BUCKETS; index++) {
      seen += this.counts[index]!;
      if (seen >= rank) return Math.min(this.max, (MIN_US * GROWTH ** (index + 1)) / 1000);
    }
    return this.max;
  }

  merge(other: Histogram | HistogramData, max?: number): void {
    if (other instanceof Histogram) {
      for (let index = 0; index < BUCKETS; index++) this.counts[index]! += other.counts[index]!;
      this.count += other.count;
      this.max = Math.max(this.max, other.max);
      return;
    }
    for (const [index, count] of other) {
      this.counts[index]! += count;
      this.count += count;
    }
    if (max !== undefined) this.max = Math.max(this.max, max);
  }

  toData(): HistogramData {
    const data: HistogramData = [];
    for (let index = 0; index < BUCKETS; index++) if (this.counts[index]! > 0) data.push([index, this.counts[index]!]);
    return data;
  }

  reset(): void {
    this.counts.fill(0);
    this.count = 0;
    this.max = 0;
  }
}
