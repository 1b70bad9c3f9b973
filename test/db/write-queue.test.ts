import assert from 'node:assert/strict';
import { WriteLanes, WriteQueue, type BatchWriter } from '../../src/db/write-queue.js';

interface Entry {
  readonly key: string;
  readonly seq: number;
}

/** Keeps what it was given; fails the first `failures` writes, as a database that is away would. */
class RecordingWriter implements BatchWriter<Entry> {
  readonly written: Entry[] = [];
  attempts = 0;
  constructor(private failures = 0) {}
  async write(batch: readonly Entry[]): Promise<void> {
    this.attempts += 1;
    await new Promise((resolve) => setTimeout(resolve, 1));
    if (this.failures > 0) {
      this.failures -= 1;
      throw new Error('database away');
    }
    this.written.push(...batch);
  }
}

const entries = (keys: number, perKey: number): Entry[] =>
  Array.from({ length: perKey }, (_, seq) => Array.from({ length: keys }, (_, key) => ({ key: `key-${key}`, seq }))).flat();

describe('the write-behind queue', () => {
  it('retries a failed batch until it is written: nothing lost, nothing twice, order kept', async () => {
    const writer = new RecordingWriter(3);
    const failures: number[] = [];
    const queue = new WriteQueue(writer, { maxBatch: 7, retryMinMs: 1, onError: (_, inARow) => failures.push(inARow) });
    const all = entries(5, 20);
    all.slice(0, 50).forEach((entry) => queue.append(entry));
    await new Promise((resolve) => setTimeout(resolve, 5));
    all.slice(50).forEach((entry) => queue.append(entry));
    await queue.flushed();
    assert.deepEqual(writer.written, all);
    assert.deepEqual(failures, [1, 2, 3]);
    assert.equal(queue.pending, 0);
  });

  it('writes at once when idle and gathers entries into spaced writes under load', async () => {
    const starts: number[] = [];
    const batches: number[] = [];
    const writer: BatchWriter<Entry> = {
      async write(batch) {
        starts.push(performance.now());
        batches.push(batch.length);
        await new Promise((resolve) => setTimeout(resolve, 1));
      },
    };
    const spacing = 200;
    const queue = new WriteQueue(writer, { writeSpacingMs: spacing });
    const appended = performance.now();
    queue.append({ key: 'a', seq: 0 });
    await queue.flushed();
    assert.ok(starts[0]! - appended < spacing / 2, `an idle queue wrote after ${starts[0]! - appended} ms`);
    for (let seq = 1; seq <= 100; seq++) {
      queue.append({ key: 'a', seq });
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await queue.flushed();
    assert.equal(batches.reduce((sum, size) => sum + size, 0), 101);
    for (let index = 1; index < starts.length; index++) {
      assert.ok(starts[index]! - starts[index - 1]! >= spacing - 2, `writes ${index - 1} and ${index} started ${starts[index]! - starts[index - 1]!} ms apart`);
    }
    assert.ok(starts.length < 101 / 5, `${starts.length} writes for 101 entries`);
  });

  it('tells of lanes failing and recovering together once, not once per lane', async () => {
    const errors: number[] = [];
    const recoveries: number[] = [];
    const lanes = new WriteLanes<Entry>(3, () => new RecordingWriter(2), (entry) => entry.key, {
      maxBatch: 10,
      retryMinMs: 1,
      onError: (_, inARow) => errors.push(inARow),
      onRecovered: (failures) => recoveries.push(failures),
    });
    entries(30, 2).forEach((entry) => lanes.append(entry));
    await lanes.flushed();
    assert.deepEqual(errors, [1, 2]);
    assert.deepEqual(recoveries, [2]);
    assert.equal(lanes.failuresInARow, 0);
  });

  it('spreads keys over lanes and keeps each key’s entries in order', async () => {
    const writers: RecordingWriter[] = [];
    const lanes = new WriteLanes<Entry>(3, () => (writers.push(new RecordingWriter()), writers.at(-1)!), (entry) => entry.key, { maxBatch: 10 });
    const all = entries(40, 15);
    all.forEach((entry) => lanes.append(entry));
    await lanes.flushed();
    assert.ok(writers.every((writer) => writer.written.length > 0), 'every lane wrote');
    const written = writers.flatMap((writer) => writer.written);
    assert.equal(written.length, all.length);
    for (let key = 0; key < 40; key++) {
      const ofKey = written.filter((entry) => entry.key === `key-${key}`).map((entry) => entry.seq);
      assert.deepEqual(ofKey, Array.from({ length: 15 }, (_, seq) => seq));
    }
    for (let key = 0; key < 40; key++) {
      const lanesOfKey = writers.filter((writer) => writer.written.some((entry) => entry.key === `key-${key}`));
      assert.equal(lanesOfKey.length, 1, `key-${key} went to one lane only`);
    }
  });
});
