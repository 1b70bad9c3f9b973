import { parentPort, workerData } from 'node:worker_threads';
import { playShare, type ShareJob } from './bots-share.js';

/** A bench:bots thread: plays its share of the pairs and sends back its players' timing. */
parentPort!.postMessage(playShare(workerData as ShareJob));
