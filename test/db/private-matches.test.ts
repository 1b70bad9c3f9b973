import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createFairDice, newMatch, type LoggedPlayer } from '../../src/engine/index.js';
import { listMatches, matchesOfUser } from '../../src/db/records.js';
import { MatchRecorder } from '../../src/rooms/match-recorder.js';
import type { Services } from '../../src/services.js';
import { sharedTestServices } from '../support/database.js';

describe('private matches in the records', function () {
  this.timeout(30_000);
  let services: Services;
  const [ann, ben, cat] = [randomUUID(), randomUUID(), randomUUID()];
  let publicMatch: string;
  let privateMatch: string;

  /** Records the start of a match between two accounts, as a match room does. */
  function startMatch(white: string, black: string, isPrivate: boolean): string {
    const players: [LoggedPlayer, LoggedPlayer] = [
      { userId: white, name: `w-${white.slice(0, 8)}`, rating: 1500 },
      { userId: black, name: `b-${black.slice(0, 8)}`, rating: 1500 },
    ];
    const recorder = new MatchRecorder(services.journal, { roomId: randomUUID(), match: newMatch({ matchLength: 3 }), players, rated: false, private: isPrivate, fairDice: createFairDice() });
    return recorder.matchId;
  }

  const ids = (listed: { items: { id: string }[] }) => listed.items.map((match) => match.id).sort();
  const page = { page: 1, pageSize: 100 };

  before(async () => {
    services = await sharedTestServices();
    publicMatch = startMatch(ann, cat, false);
    privateMatch = startMatch(ann, ben, true);
    await services.journal.flushed();
  });

  it('remembers that a match is private', async () => {
    const em = services.database.em();
    const [stored] = await em.getConnection().execute<{ id: string; private: boolean }[]>('select id, private from matches where id = ?', [privateMatch]);
    assert.equal(stored?.private, true);
  });

  it('leaves private matches out of the list of matches', async () => {
    const playing = ids(await listMatches(services.database.em(), 'playing', page));
    assert.ok(playing.includes(publicMatch), 'the public match is listed');
    assert.ok(!playing.includes(privateMatch), 'the private match is not listed');
  });

  it("shows a player's private matches to the players of that match only", async () => {
    const em = () => services.database.em();
    assert.deepEqual(ids(await matchesOfUser(em(), ann, page)), [publicMatch], 'nobody signed in sees public matches only');
    assert.deepEqual(ids(await matchesOfUser(em(), ann, page, cat)), [publicMatch], 'a player of another match of hers does not see it');
    assert.deepEqual(ids(await matchesOfUser(em(), ann, page, randomUUID())), [publicMatch], 'a stranger does not see it');
    assert.deepEqual(ids(await matchesOfUser(em(), ann, page, ann)), [privateMatch, publicMatch].sort(), 'she sees her own');
    assert.deepEqual(ids(await matchesOfUser(em(), ann, page, ben)), [privateMatch, publicMatch].sort(), 'her opponent sees it');
    assert.equal((await matchesOfUser(em(), ann, page, cat)).total, 1, 'the total counts what the viewer may see');
    assert.deepEqual(ids(await matchesOfUser(em(), ben, page, ben)), [privateMatch]);
  });
});
