import assert from 'node:assert/strict';
import { eventsOf } from '../../src/db/records.js';
import { IN_MEMORY } from '../../src/db/orm.js';
import { rebuildMatch, RebuildError } from '../../src/recovery/rebuild.js';
import { startServices, stopServices, type Services } from '../../src/services.js';
import { RandomRecordedMatch } from '../support/recorded-matches.js';
import { seededRandom } from '../support/random-games.js';

describe('a match rebuilt from its log', function () {
  this.timeout(60_000);
  let services: Services;

  before(async () => {
    services = await startServices({ kind: 'pglite', dataDir: IN_MEMORY });
  });
  after(async () => services && stopServices(services));

  async function recorded(seed: number, steps: number) {
    const played = new RandomRecordedMatch(services.journal, seededRandom(seed), { matchLength: 7 });
    for (let step = 0; step < steps && !played.over; step++) played.step();
    await services.journal.flushed();
    const { matchId } = played.result();
    return { played, matchId, events: await eventsOf(services.database.em(), matchId) };
  }

  for (const [seed, steps] of [[1, 0], [2, 1], [3, 37], [4, 120]] as const) {
    it(`is where the room left it, and rolls the dice it committed to (seed ${seed}, ${steps} actions)`, async () => {
      const { played, matchId, events } = await recorded(seed, steps);
      assert.ok(!played.over, 'a match still in progress');
      const kept = { serverSeed: played.fairDice.saveState().serverSeed, roomOptions: { matchLength: 7 }, inviteCode: null };
      const rebuilt = rebuildMatch(matchId, events, kept);
      assert.deepEqual(rebuilt.match, played.result().final);
      assert.equal(rebuilt.lastSeq, events.length);
      assert.equal(rebuilt.fairDice.commitment, played.fairDice.commitment);
      assert.equal(rebuilt.fairDice.nextIndex, played.fairDice.nextIndex);
      for (let roll = 0; roll < 5; roll++) assert.deepEqual(rebuilt.fairDice.roll(), played.fairDice.roll());
      assert.equal(rebuilt.clock?.view().runningSeat, null, 'the clock is stopped until the players are back');
    });
  }

  it('charges the clocks the time between the logged events, and not the time since the last one', async () => {
    const { played, matchId, events } = await recorded(7, 60);
    const longAgo = Date.UTC(2020, 0, 1);
    // Twenty seconds an event, six years ago: beyond the 12 s delay, so each turn costs its player reserve.
    const spaced = events.map((event, index) => ({ ...event, at: new Date(longAgo + index * 20_000) }));
    const kept = { serverSeed: played.fairDice.saveState().serverSeed, roomOptions: { matchLength: 7 }, inviteCode: null };
    const clock = rebuildMatch(matchId, spaced, kept).clock!.view();
    const full = 7 * 2 * 60_000;
    assert.equal(clock.runningSeat, null);
    for (const reserve of clock.reserveMs) assert.ok(reserve > 0 && reserve < full, `reserve ${reserve} of ${full}`);
    assert.equal(rebuildMatch(matchId, events, kept).clock!.view().reserveMs.every((reserve) => reserve === full), true, 'a match played fast has its reserves');
  });

  it('refuses a log with a gap, a match already over, and a seed the match did not commit to', async () => {
    const { played, matchId, events } = await recorded(5, 30);
    const serverSeed = played.fairDice.saveState().serverSeed;
    const kept = { serverSeed, roomOptions: {}, inviteCode: null };
    assert.throws(() => rebuildMatch(matchId, events.filter((event) => event.seq !== 10), kept), RebuildError);
    assert.throws(() => rebuildMatch(matchId, events, { ...kept, serverSeed: 'ab'.repeat(32) }), /not the one the match committed to/);
    const finished = new RandomRecordedMatch(services.journal, seededRandom(6), { matchLength: 1 }).playOut();
    await services.journal.flushed();
    assert.throws(() => rebuildMatch(finished.matchId, [], kept), /match-created/);
    const finishedEvents = await eventsOf(services.database.em(), finished.matchId);
    assert.throws(() => rebuildMatch(finished.matchId, finishedEvents, kept), /the match is over/);
  });
});
