import { CompiledQuery } from 'kysely';
import type pg from 'pg';
import type { Database } from './orm.js';

/** Statements with bind parameters, inside one transaction. */
export interface SqlSession {
  query<Row>(text: string, parameters: readonly unknown[]): Promise<Row[]>;
}

/** Runs work in a transaction: committed when it returns, rolled back when it throws. */
export interface Transactions {
  transaction(work: (sql: SqlSession) => Promise<void>): Promise<void>;
  /** One statement, a transaction of its own: one round trip instead of four for a begin, a statement and a commit. */
  statement<Row>(text: string, parameters: readonly unknown[]): Promise<Row[]>;
}

/**
 * Transactions on the ORM's connection pool, on the calling thread. Kysely's managed
 * transaction, not MikroORM's `transactional`: when the connection dies mid-transaction, the
 * latter's failed rollback never hands the connection back to the pool, and every outage would
 * leak one until the pool is empty.
 */
export function ormTransactions(database: Database): Transactions {
  return {
    transaction: (work) =>
      database.em().getKysely().transaction().execute(async (trx) =>
        work({ query: async <Row>(text: string, parameters: readonly unknown[]) => [...(await trx.executeQuery<Row>(CompiledQuery.raw(text, [...parameters]))).rows] }),
      ),
    statement: async <Row>(text: string, parameters: readonly unknown[]) => [...(await database.em().getKysely().executeQuery<Row>(CompiledQuery.raw(text, [...parameters]))).rows],
  };
}

/**
 * Transactions on a pg pool: a connection whose rollback fails is dropped from the pool, not
 * handed back broken. The pool's clients need an 'error' listener of their own (see journal-worker.ts).
 */
export function poolTransactions(pool: pg.Pool): Transactions {
  return {
    async transaction(work) {
      const client = await pool.connect();
      const session: SqlSession = { query: async <Row>(text: string, parameters: readonly unknown[]) => (await client.query(text, [...parameters])).rows as Row[] };
      try {
        await client.query('begin');
        await work(session);
        await client.query('commit');
      } catch (error) {
        const rolledBack = await client.query('rollback').then(() => true, () => false);
        client.release(!rolledBack);
        throw error;
      }
      client.release();
    },
    statement: async <Row>(text: string, parameters: readonly unknown[]) => (await pool.query({ name: statementName(text), text, values: [...parameters] })).rows as Row[],
  };
}

const statementNames = new Map<string, string>();

/**
 * A name per statement text: each connection prepares a named statement once and then only
 * binds and runs it, where an unnamed one is parsed and planned on every call. `statement()`
 * serves the few texts run over and over (the journal's), so the names stay few.
 */
function statementName(text: string): string {
  let name = statementNames.get(text);
  if (name === undefined) {
    name = `tavla-statement-${statementNames.size + 1}`;
    statementNames.set(text, name);
  }
  return name;
}
