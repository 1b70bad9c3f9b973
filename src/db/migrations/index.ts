import type { MigrationObject } from '@mikro-orm/core';
import { Migration0001Initial } from './0001-initial.js';

/** Every migration, oldest first. */
export const MIGRATIONS: MigrationObject[] = [{ name: '0001-initial', class: Migration0001Initial }];
