/**
 * Deletes stale guest accounts now: `npm run guests:cleanup` (uses DATABASE_URL or DATA_DIR like the server).
 * The server also does this once a day by itself.
 */
import { deleteStaleGuests, KEEP_GUEST_GAMES, STALE_GUEST_DAYS } from '../auth/accounts.js';
import { loadConfigOrExit } from '../config.js';
import { describeTarget, openDatabase } from '../db/orm.js';

const config = loadConfigOrExit();
const database = await openDatabase(config.database);
try {
  const deleted = await deleteStaleGuests(database.em());
  console.log(
    `${describeTarget(config.database)}: deleted ${deleted} guest account(s) with no log-in for ${STALE_GUEST_DAYS} days, ` +
      `no match in progress and fewer than ${KEEP_GUEST_GAMES} games`,
  );
} finally {
  await database.close();
}
