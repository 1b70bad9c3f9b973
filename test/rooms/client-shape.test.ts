import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { matchMaker } from '@colyseus/core';
import { sdkClient, enter, useTestServer } from '../support/match-clients.js';

setFlagsFromString('--allow-natives-syntax');
const hasFastProperties = new Function('object', 'return %HasFastProperties(object)') as (object: object) => boolean;
const haveSameMap = new Function('a', 'b', 'return %HaveSameMap(a, b)') as (a: object, b: object) => boolean;

/**
 * Every message and patch reads properties of the room's client objects. Colyseus deleted a
 * property of each client once it joined, which turns an object into a dictionary with a shape
 * of its own: with thousands of clients, every such read missed V8's caches (about a tenth of
 * the rooms' thread at 2,000 matches). patches/@colyseus+core+*.patch sets it to undefined instead.
 */
describe("a room's client objects", function () {
  this.timeout(30_000);
  const table = useTestServer();

  it('keep one shape, with fast properties, once their players have joined', async () => {
    const [white] = await table.seatTwo();
    const spectator = await enter(sdkClient('carol').joinById(white.roomId));
    table.open.push(spectator);
    const room = matchMaker.getLocalRoomById(white.roomId)!;
    const clients = [...room.clients];
    assert.equal(clients.length, 3);
    for (const client of clients) assert.ok(hasFastProperties(client), `client ${client.sessionId} has dictionary properties`);
    assert.ok(haveSameMap(clients[0]!, clients[1]!) && haveSameMap(clients[1]!, clients[2]!), 'the clients have different shapes');
  });
});
