/** The worker thread that reads an uploaded table (see table.ts); started by table-reader.ts. */
import { parentPort, workerData } from 'node:worker_threads';
import { readTable, type TableRequest } from './table.js';

parentPort!.postMessage(await readTable(workerData as TableRequest));
