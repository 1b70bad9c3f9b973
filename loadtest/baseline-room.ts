/**
 * The framework's floor: a Colyseus room whose only state is a counter. `increment` adds one and
 * sends the patch at once, as the match room sends each change. Only loadtest/serve.ts registers
 * it; it is not part of the product's server.
 */
import { Room } from '@colyseus/core';
import { schema, t } from '@colyseus/schema';

export const BASELINE_ROOM = 'loadtest-baseline';

export const CounterState = schema({ count: t.uint32() }, 'Counter');

/** As the match room: a patch per message, the patch timer only for what nothing sent. */
const IDLE_PATCH_MS = 1_000;

export class BaselineRoom extends Room<{ state: InstanceType<typeof CounterState> }> {
  override maxClients = 2;
  override maxMessagesPerSecond = 500;

  override onCreate(): void {
    this.state = new CounterState();
    this.state.count = 0;
    this.patchRate = IDLE_PATCH_MS;
    this.onMessage('increment', () => {
      this.state.count += 1;
      this.broadcastPatch();
    });
  }
}
