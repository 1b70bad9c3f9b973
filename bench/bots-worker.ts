import { parentPort, workerData } from 'node:worker_threads';
import { playShare, type ShareJob } from './bots-share.js';

/** A bench:bots thread: plays its share of the pairs (results and timing in shared memory), then says so. */
playShare(workerData as ShareJob);
parentPort!.postMessage('done');
