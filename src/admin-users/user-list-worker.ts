/** The worker thread that reads a list of users (see user-list-table.ts); started by user-list-file.ts. */
import { parentPort, workerData } from 'node:worker_threads';
import { readTable, type TableRequest } from './user-list-table.js';

parentPort!.postMessage(await readTable(workerData as TableRequest));
