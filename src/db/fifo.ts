/**
 * A list taken from the front: pushing and dropping are cheap. A dropped item is let go at once
 * (a queue that never empties would otherwise hold everything that passed through it until the
 * next copy, long enough for V8 to move it all into the old generation); the array's own front
 * is freed a half at a time.
 */
export class Fifo<T> {
  private items: T[] = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  push(item: T): void {
    this.items.push(item);
  }

  /** The front item, left in place. */
  peek(): T | undefined {
    return this.items[this.head];
  }

  /** Up to `count` items from the front, left in place. */
  front(count: number): T[] {
    return this.items.slice(this.head, this.head + count);
  }

  /** Removes `count` items from the front. */
  drop(count: number): void {
    const end = Math.min(this.head + count, this.items.length);
    for (let index = this.head; index < end; index++) this.items[index] = undefined as T;
    this.head += count;
    if (this.head >= this.items.length) {
      this.items = [];
      this.head = 0;
    } else if (this.head > 10_000 && this.head * 2 > this.items.length) {
      // Dropping the front half copies no more than what was dropped since the last copy.
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }

  /** Every item, front first. */
  *[Symbol.iterator](): IterableIterator<T> {
    for (let index = this.head; index < this.items.length; index++) yield this.items[index]!;
  }
}
