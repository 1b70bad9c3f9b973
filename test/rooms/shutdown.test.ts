import assert from 'node:assert/strict';
import { Match } from '../../src/db/entities.js';
import { eventsOf } from '../../src/db/records.js';
import { sharedTestServices } from '../support/database.js';
import { bootServer, enter, playOneStep, sdkClient, waitUntil } from '../support/match-clients.js';

describe('a server shutting down during a match', function () {
  this.timeout(30_000);

  it('hands the match over unfinished, its clients told the room it goes on in: nobody forfeits, nobody is rated', async () => {
    const server = await bootServer();
    const white = await enter(sdkClient().create('match', { clock: false }));
    const black = await enter(sdkClient().joinById(white.roomId));
    await waitUntil(white, () => ['moving', 'rolling'].includes(white.state.phase), 'the opening roll');
    await playOneStep([white, black]);
    const matchId = white.state.matchId;
    await server.shutdown();
    await waitUntil(white, () => white.received.some((entry) => entry.type === 'left'), 'the room to close');
    const moving = white.received.find((entry) => entry.type === 'moving')?.message;
    const { database, journal } = await sharedTestServices();
    await journal.flushed();
    const match = await database.em().findOneOrFail(Match, matchId);
    assert.equal(match.status, 'playing');
    assert.equal(match.serverId, null, 'no process plays it: the next to look claims it');
    assert.deepEqual(moving && { matchId: moving.matchId, roomId: moving.roomId }, { matchId, roomId: match.roomId });
    assert.notEqual(match.roomId, white.roomId, 'a room of its own');
    assert.equal(match.forfeitedBy, null);
    const types = (await eventsOf(database.em(), match.id)).map((event) => event.entry.type);
    assert.ok(!types.includes('forfeit') && !types.includes('match-end'), `log: ${types.join(', ')}`);
  });
});
