import assert from 'node:assert/strict';
import { registerGuest } from '../../src/auth/accounts.js';
import type { Database } from '../../src/db/orm.js';
import { DATABASE_KINDS, TestDatabase } from '../support/database.js';

for (const kind of DATABASE_KINDS) {
  describe(`guest sign-ins at the same moment on ${kind}`, function () {
    this.timeout(60_000);
    let testDatabase: TestDatabase;
    let database: Database;

    before(async function () {
      testDatabase = await TestDatabase.create(this, kind, 'guest_names');
      database = await testDatabase.open();
    });

    after(async () => {
      await database?.close();
      await testDatabase?.drop();
    });

    it('each get an account when they draw the same free name: the later ones draw again', async () => {
      const signIns = 8;
      let draws = 0;
      // The first draws all give one name, free when each checks it; later draws give distinct names.
      const drawName = () => (draws++ < signIns ? 'Guest-424242' : `Guest-${String(draws).padStart(6, '0')}`);
      const guests = await Promise.all(Array.from({ length: signIns }, () => registerGuest(database.em(), drawName)));
      assert.ok(draws > signIns, `the sign-ins met on one name (${draws} draws)`);
      assert.equal(new Set(guests.map((guest) => guest.name)).size, signIns, 'every guest has a name of its own');
      assert.equal(guests.filter((guest) => guest.name === 'Guest-424242').length, 1);
    });
  });
}
