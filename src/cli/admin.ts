/**
 * Makes an account an administrator, or no longer one: `npm run admin -- grant <email>` or
 * `npm run admin -- revoke <email>` (uses DATABASE_URL or DATA_DIR like the server).
 */
import { z } from 'zod';
import { loadConfigOrExit } from '../config.js';
import { User } from '../db/entities.js';
import { describeTarget, openDatabase } from '../db/orm.js';

const command = z.tuple([z.enum(['grant', 'revoke']), z.email()]).safeParse(process.argv.slice(2));
if (!command.success) {
  console.error('usage: npm run admin -- grant <email> | revoke <email>');
  process.exit(2);
}
const [verb, email] = command.data;
const config = loadConfigOrExit();
const database = await openDatabase(config.database);
try {
  const em = database.em();
  const user = await em.findOne(User, { email: email.toLowerCase() });
  if (!user) {
    console.error(`${describeTarget(config.database)}: no account with the email ${email}`);
    process.exitCode = 1;
  } else {
    user.admin = verb === 'grant';
    await em.flush();
    console.log(`${describeTarget(config.database)}: ${user.name} (${email}) is ${user.admin ? 'now' : 'no longer'} an administrator`);
  }
} finally {
  await database.close();
}
