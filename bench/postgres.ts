import pg from 'pg';

/** The server's version, or null (said on the console) when nothing answers at `url`. */
export async function postgresAnswers(url: string): Promise<string | null> {
  const client = new pg.Client({ connectionString: `${url}/postgres`, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    const { rows } = await client.query<{ server_version: string }>('show server_version');
    return rows[0]!.server_version;
  } catch (error) {
    console.log(`PostgreSQL: skipped, nothing answers at ${url} (${error instanceof Error ? error.message : String(error)})`);
    return null;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** An empty database `name` on the server at `url`, dropped first if it was there. */
export async function freshPostgres(url: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: `${url}/postgres` });
  await client.connect();
  try {
    await client.query(`drop database if exists ${name} with (force)`);
    await client.query(`create database ${name}`);
  } finally {
    await client.end();
  }
}

export async function dropPostgres(url: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: `${url}/postgres` });
  await client.connect();
  await client.query(`drop database if exists ${name} with (force)`).finally(() => client.end());
}
