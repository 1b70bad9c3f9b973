/**
 * What several spawned servers share for one measurement: a PostgreSQL database created for it
 * and dropped after, and a Redis database index emptied before and after, so runs never see each
 * other's rooms (Colyseus's Redis presence and driver take no key prefix, but honour the index).
 */
import pg from 'pg';
import { Redis } from 'ioredis';

export interface ScratchDatabase {
  readonly url: string;
  drop(): Promise<void>;
}

/** A new, empty PostgreSQL database next to `adminUrl` (a database of the same server the user may create databases from). */
export async function createScratchDatabase(adminUrl: string, label: string): Promise<ScratchDatabase> {
  const name = `tavla_loadtest_${label}_${process.pid}`;
  await adminQuery(adminUrl, `drop database if exists ${name}`);
  await adminQuery(adminUrl, `create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => adminQuery(adminUrl, `drop database if exists ${name} with (force)`),
  };
}

async function adminQuery(adminUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Empties Redis database `url` names (its path: redis://host:6379/15). */
export async function emptyRedisDatabase(url: string): Promise<void> {
  const redis = new Redis(url, { maxRetriesPerRequest: 2, lazyConnect: true });
  try {
    await redis.connect();
    await redis.flushdb();
  } finally {
    redis.disconnect();
  }
}
