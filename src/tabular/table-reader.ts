import { limitConcurrency, runInWorker, WorkerFailure, workerModule } from '../workers/run-in-worker.js';
import type { TableRequest, TableResult } from './table.js';

/** Reading stops here: a normal list is read in well under a second, a file made to be slow is given up. */
const READ_LIMITS = {
  timeoutMs: 15_000,
  resourceLimits: { maxOldGenerationSizeMb: 256, maxYoungGenerationSizeMb: 32 },
};

/** One file at a time across the app, whichever list it is: every upload shares the one worker slot. */
const inTurn = limitConcurrency(1);
const entry = workerModule(import.meta.url, 'table-worker');

export const UNREADABLE_FILE =
  'Không đọc được tệp: tệp quá phức tạp hoặc bị hỏng. Hãy lưu lại thành CSV UTF-8 rồi thử lại.';

export interface TableLimits {
  readonly maxBytes: number;
  /** Rows under the header. */
  readonly maxLines: number;
  /** What the answer says when the file is larger than maxBytes. */
  readonly tooLarge: string;
}

/**
 * Reads uploaded tables in a worker thread: parsing an XLSX means unzipping and walking XML, which on the
 * main thread would hold up every other request. The file's size is checked before anything is started.
 */
export function createTableReader(limits: TableLimits) {
  return async function readUploadedTable(
    bytes: Uint8Array,
    options: Pick<TableRequest, 'sheet' | 'windows1258'> = {},
  ): Promise<TableResult> {
    if (bytes.length > limits.maxBytes) return { ok: false, problem: limits.tooLarge };
    const request: TableRequest = { bytes, maxRecords: limits.maxLines + 1, ...options };
    try {
      return await inTurn(() => runInWorker<TableResult>(entry, request, READ_LIMITS));
    } catch (error) {
      if (!(error instanceof WorkerFailure)) throw error;
      return { ok: false, problem: UNREADABLE_FILE };
    }
  };
}

export type TableReader = ReturnType<typeof createTableReader>;
