import type { MigrationObject } from '@mikro-orm/core';
import { Migration0001Initial } from './0001-initial.js';
import { Migration0002EventRuns } from './0002-event-runs.js';

/** Every migration, oldest first. */
export const MIGRATIONS: MigrationObject[] = [
  { name: '0001-initial', class: Migration0001Initial },
  { name: '0002-event-runs', class: Migration0002EventRuns },
];
