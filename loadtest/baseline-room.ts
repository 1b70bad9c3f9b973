/**
 * The framework's floor: a Colyseus room whose only state is a counter. `increment` adds one and
 * sends the patch at once, as the match room sends each change (neither has a patch timer). Only
 * loadtest/serve.ts registers it; it is not part of the product's server.
 */
import { Room } from '@colyseus/core';
import { schema, t } from '@colyseus/schema';
import { SENDS_ITS_OWN_PATCHES_MS } from '../src/rooms/patch-timer.js';

export const BASELINE_ROOM = 'loadtest-baseline';

export const CounterState = schema({ count: t.uint32() }, 'Counter');

export class BaselineRoom extends Room<{ state: InstanceType<typeof CounterState> }> {
  override maxMessagesPerSecond = 500;

  constructor() {
    super();
    this.maxClients = 2;
  }

  override onCreate(): void {
    this.state = new CounterState();
    this.state.count = 0;
    this.patchRate = SENDS_ITS_OWN_PATCHES_MS;
    this.onMessage('increment', () => {
      this.state.count += 1;
      this.broadcastPatch();
    });
  }
}
