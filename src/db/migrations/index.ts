import type { MigrationObject } from '@mikro-orm/core';
import { Migration0001Initial } from './0001-initial.js';
import { Migration0002EventRuns } from './0002-event-runs.js';
import { Migration0003LiveServers } from './0003-live-servers.js';
import { Migration0004PrivateMatches } from './0004-private-matches.js';
import { Migration0005TruthfulRatedFlag } from './0005-truthful-rated-flag.js';
import { Migration0006AdminAccounts } from './0006-admin-accounts.js';
import { Migration0007SealedDiceSeeds } from './0007-sealed-dice-seeds.js';
import { Migration0008GameAnalyses } from './0008-game-analyses.js';

/** Every migration, oldest first. */
export const MIGRATIONS: MigrationObject[] = [
  { name: '0001-initial', class: Migration0001Initial },
  { name: '0002-event-runs', class: Migration0002EventRuns },
  { name: '0003-live-servers', class: Migration0003LiveServers },
  { name: '0004-private-matches', class: Migration0004PrivateMatches },
  { name: '0005-truthful-rated-flag', class: Migration0005TruthfulRatedFlag },
  { name: '0006-admin-accounts', class: Migration0006AdminAccounts },
  { name: '0007-sealed-dice-seeds', class: Migration0007SealedDiceSeeds },
  { name: '0008-game-analyses', class: Migration0008GameAnalyses },
];
