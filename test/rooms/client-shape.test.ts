import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { matchMaker } from '@colyseus/core';
import { sdkClient, enter, playOneStep, useTestServer } from '../support/match-clients.js';
import { BaselineRoom } from '../../loadtest/baseline-room.js';

setFlagsFromString('--allow-natives-syntax');
const hasFastProperties = new Function('object', 'return %HasFastProperties(object)') as (object: object) => boolean;
const haveSameMap = new Function('a', 'b', 'return %HaveSameMap(a, b)') as (a: object, b: object) => boolean;

function assertOneFastShape(objects: readonly object[], what: string): void {
  for (const object of objects) assert.ok(hasFastProperties(object), `a ${what} has dictionary properties`);
  for (const object of objects.slice(1)) assert.ok(haveSameMap(objects[0]!, object), `the ${what}s have different shapes`);
}

/**
 * Every message and patch reads properties of the room and of its client objects. An object
 * whose properties V8 keeps as a dictionary (after a property is deleted, or a data property is
 * made an accessor) is read the slow way, and thousands of objects of as many shapes miss V8's
 * caches: patches/@colyseus+core+*.patch keeps both in one fast shape each.
 */
describe('the objects every action reads', function () {
  this.timeout(30_000);
  const table = useTestServer();

  it("a room's clients keep one shape, with fast properties, once their players have joined", async () => {
    const [white] = await table.seatTwo();
    const spectator = await enter(sdkClient('carol').joinById(white.roomId));
    table.open.push(spectator);
    const room = matchMaker.getLocalRoomById(white.roomId)!;
    const clients = [...room.clients];
    assert.equal(clients.length, 3);
    assertOneFastShape(clients, 'client');
  });

  it('match rooms keep one shape, with fast properties, while their matches are played', async () => {
    const tables = [await table.seatTwo(), await table.seatTwo()];
    for (let step = 0; step < 4; step++) for (const players of tables) await playOneStep(players);
    const rooms = tables.map(([white]) => matchMaker.getLocalRoomById(white.roomId)!);
    assertOneFastShape(rooms, 'match room');
    assert.equal(rooms[0]!.maxClients, Number.POSITIVE_INFINITY);
  });

  it("Colyseus's room accessors take a subclass's field, and baseline rooms keep fast properties", async () => {
    class FieldRoom extends BaselineRoom {
      override autoDispose = false;
    }
    matchMaker.defineRoomType('shape-baseline', BaselineRoom);
    matchMaker.defineRoomType('shape-field', FieldRoom);
    const created = await Promise.all(['shape-baseline', 'shape-baseline', 'shape-field'].map((name) => matchMaker.createRoom(name, {})));
    const rooms = created.map(({ roomId }) => matchMaker.getLocalRoomById(roomId)!);
    try {
      assertOneFastShape(rooms.slice(0, 2), 'baseline room');
      assert.equal(rooms[0]!.maxClients, 2);
      assert.equal(rooms[0]!.autoDispose, true);
      assert.equal(rooms[2]!.autoDispose, false);
      assert.equal(Object.hasOwn(rooms[2]!, 'autoDispose'), false);
    } finally {
      await Promise.all(rooms.map((room) => room.disconnect()));
      matchMaker.removeRoomType('shape-baseline');
      matchMaker.removeRoomType('shape-field');
    }
  });
});
