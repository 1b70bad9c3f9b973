import assert from 'node:assert/strict';
import { rejoinMatch } from '../../examples/rejoin-client.js';
import { TEST_PORT, useTestServer } from '../support/match-clients.js';

describe('the example client that comes back to its match', function () {
  this.timeout(60_000);
  useTestServer();

  it('reconnects to its seat after a drop, then takes the seat from another device', async () => {
    const rejoined = await rejoinMatch(`http://127.0.0.1:${TEST_PORT}`);
    assert.ok(rejoined.sameSession, 'the reconnection resumed the dropped session');
    assert.equal(rejoined.seatBack.seat, 0);
    assert.equal(rejoined.otherDevice.seat, 0);
    assert.equal(rejoined.otherDevice.colour, 'white');
    assert.equal(rejoined.olderConnection.seat, null);
    assert.match(rejoined.olderConnection.reason ?? '', /another connection/);
  });
});
