import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { shareOf } from '../../src/recovery/takeover.js';

describe('the matches of a process that is gone, shared out among the live ones', () => {
  const alive = [randomUUID(), randomUUID(), randomUUID()];
  const matchIds = Array.from({ length: 300 }, () => randomUUID());

  it('go each to exactly one live process, whichever of them asks, about a third each', () => {
    const takers = matchIds.map((matchId) => alive.filter((serverId) => shareOf(serverId, alive)(matchId)));
    assert.ok(takers.every((ids) => ids.length === 1));
    for (const serverId of alive) {
      const share = takers.filter(([taker]) => taker === serverId).length;
      assert.ok(share > 60 && share < 140, `${share} of 300`);
    }
  });

  it('all go to a process that does not find itself among the live ones (its presence lapsed, or no Redis)', () => {
    assert.ok(matchIds.every((matchId) => shareOf(randomUUID(), alive)(matchId)));
    assert.ok(matchIds.every((matchId) => shareOf(alive[0]!, [alive[0]!])(matchId)));
  });
});
