import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Fifo } from '../../src/db/fifo.js';

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

/** Lets the current job end, so V8 may clear weak references made in it. */
function nextJob(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

describe('Fifo', () => {
  it('gives items back front first across drops and the copies that free its front', () => {
    const fifo = new Fifo<number>();
    let next = 0;
    let expected = 0;
    for (let round = 0; round < 30; round++) {
      for (let i = 0; i < 1_000; i++) fifo.push(next++);
      const taken = fifo.front(700);
      assert.deepEqual(taken, Array.from({ length: 700 }, (_, i) => expected + i));
      fifo.drop(700);
      expected += 700;
      assert.equal(fifo.peek(), expected);
      assert.equal(fifo.length, next - expected);
    }
    assert.deepEqual([...fifo], Array.from({ length: next - expected }, (_, i) => expected + i));
    fifo.drop(fifo.length);
    assert.equal(fifo.length, 0);
    assert.equal(fifo.peek(), undefined);
  });

  it('lets go of a dropped item while items behind it wait', async () => {
    const fifo = new Fifo<object>();
    let dropped: WeakRef<object> | null = null;
    (() => {
      const item = { payload: new Array(1_000).fill(1) };
      dropped = new WeakRef(item);
      fifo.push(item);
    })();
    fifo.push({ waiting: true });
    fifo.drop(1);
    await nextJob();
    collectGarbage();
    assert.equal(dropped!.deref(), undefined, 'the dropped item is still referenced by the queue');
    assert.deepEqual(fifo.peek(), { waiting: true });
  });
});
