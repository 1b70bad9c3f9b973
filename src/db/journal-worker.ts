/**
 * The journal's own thread when the data is in PostgreSQL: preparing statements, the driver's
 * protocol work and the socket writes all happen here, so writing never holds up the rooms.
 */
import { workerData, type MessagePort } from 'node:worker_threads';
import pg from 'pg';
import { serveJournal, type JournalSettings } from './journal-host.js';
import { poolTransactions } from './transactions.js';
import { nameThisThread } from '../thread-name.js';

const { url, port, settings } = workerData as { url: string; port: MessagePort; settings: JournalSettings };
nameThisThread('tavla-journal');

// A write takes tens of milliseconds: a query without an answer for a minute has lost its server
// (a host gone without closing the connection), and fails so that the write is retried.
// Every statement of the journal reads rows by key. Its statements are prepared once and their
// plan kept for the connection's life: a plan made while the tables were nearly empty scanned
// every match at each commit later on (about 0.8-1.2 ms of the database's CPU per commit at
// 2,000 matches, 0.5 ms with the keys used); with sequential scans off, the keys are always used.
const pool = new pg.Pool({
  connectionString: url,
  max: settings.lanes,
  connectionTimeoutMillis: 10_000,
  query_timeout: 60_000,
  keepAlive: true,
  application_name: 'tavla journal',
  options: '-c enable_seqscan=off',
});
// A connection that dies (the server restarts, its backend is killed) fails the query in flight,
// which the journal retries, and then emits 'error', possibly after it left the pool: every
// client gets a listener of its own, or that event would end the thread. The pool drops an idle
// one that dies; the next write opens another.
pool.on('connect', (client) => client.on('error', () => undefined));
pool.on('error', () => undefined);
serveJournal(port, poolTransactions(pool), settings);
// The server closes its end once the journal is written: the connections close and the thread ends.
port.once('close', () => void pool.end());
