/**
 * A synchronous request/reply channel between a thread that must not wait on its event loop
 * (a game loop asking for a move) and a worker thread that does the asynchronous I/O: one line
 * out, one line back, through shared memory. The asking thread blocks in Atomics.wait.
 */
const STATE = 0;
const LENGTH = 1;

/** Who holds the channel: what the last writer left in it. */
export const ChannelState = {
  /** The worker is still connecting. */
  connecting: 0,
  /** Connected, nothing asked yet. */
  idle: 1,
  request: 2,
  reply: 3,
  /** The worker failed for good: the text is why. */
  failed: 4,
} as const;
export type ChannelStateCode = (typeof ChannelState)[keyof typeof ChannelState];

const CAPACITY = 16_384;

export interface ChannelBuffers {
  readonly control: SharedArrayBuffer;
  readonly data: SharedArrayBuffer;
}

export function newChannelBuffers(): ChannelBuffers {
  return { control: new SharedArrayBuffer(8), data: new SharedArrayBuffer(CAPACITY) };
}

export class LineChannel {
  private readonly control: Int32Array;
  private readonly data: Uint8Array;

  constructor(buffers: ChannelBuffers) {
    this.control = new Int32Array(buffers.control);
    this.data = new Uint8Array(buffers.data);
  }

  state(): ChannelStateCode {
    return Atomics.load(this.control, STATE) as ChannelStateCode;
  }

  /** Leaves `text` and hands the channel over in `state`, waking the other side. */
  put(text: string, state: ChannelStateCode): void {
    const { written, read } = new TextEncoder().encodeInto(text, this.data);
    if (read < text.length) throw new Error(`a line of ${text.length} characters does not fit the channel (${CAPACITY} bytes)`);
    Atomics.store(this.control, LENGTH, written);
    this.setState(state);
  }

  setState(state: ChannelStateCode): void {
    Atomics.store(this.control, STATE, state);
    Atomics.notify(this.control, STATE);
  }

  text(): string {
    return new TextDecoder().decode(this.data.slice(0, Atomics.load(this.control, LENGTH)));
  }

  /** Blocks this thread while the channel is in `state`; false when `timeoutMs` ran out first. */
  waitWhile(state: ChannelStateCode, timeoutMs: number): boolean {
    const deadline = Date.now() + timeoutMs;
    while (this.state() === state) {
      const left = deadline - Date.now();
      if (left <= 0) return false;
      Atomics.wait(this.control, STATE, state, left);
    }
    return true;
  }

  /** Resolves once the channel is in `state` (for the worker, which must keep its event loop running). */
  async reaches(state: ChannelStateCode): Promise<void> {
    for (let now = this.state(); now !== state; now = this.state()) {
      const waiting = Atomics.waitAsync(this.control, STATE, now);
      if (waiting.async) await waiting.value;
    }
  }
}
