/**
 * The journal's own thread when the data is in PostgreSQL: preparing statements, the driver's
 * protocol work and the socket writes all happen here, so writing never holds up the rooms.
 */
import { workerData, type MessagePort } from 'node:worker_threads';
import pg from 'pg';
import { serveJournal, type JournalSettings } from './journal-host.js';
import { poolTransactions } from './transactions.js';

const { url, port, settings } = workerData as { url: string; port: MessagePort; settings: JournalSettings };

const pool = new pg.Pool({ connectionString: url, max: settings.lanes, connectionTimeoutMillis: 10_000, application_name: 'tavla journal' });
// A connection that dies while idle in the pool: the next write opens another one.
pool.on('error', () => undefined);
serveJournal(port, poolTransactions(pool), settings);
// The server closes its end once the journal is written: the connections close and the thread ends.
port.once('close', () => void pool.end());
