import { Piscina } from 'piscina';
import type { DocumentPoolLimits } from '../config.js';
import type { ExportTable } from '../exports/table.js';
import { toCsv, toXlsx } from '../exports/table.js';
import { ServerBusyError } from '../http/errors.js';
import type { ReportInput } from '../reports/adoption-report-layout.js';
import { workerModule } from './run-in-worker.js';

/**
 * Meeting reports and large exports are rendered on worker threads, never on the event loop: a province's
 * report or a site's 6,000-row table takes from tens to hundreds of milliseconds of synchronous work, during
 * which a single-threaded server would answer nobody. The caller gathers the data on the main thread (through
 * the services, with their reach checks) and hands plain, copyable input to the pool; the worker returns the
 * bytes.
 *
 * The pool is bounded: `threads` workers (one core is left to the event loop), at most `maxQueue` tasks
 * waiting beyond them — past that a request is refused at once with a 503 (ServerBusyError) rather than
 * waiting behind work it cannot see the end of — and each task stopped after `timeoutMs` (its worker is
 * ended, the request answered 503). Workers start at the first task and stay for a few idle minutes, so a
 * test or a CLI command that renders nothing starts none.
 */

export type ReportRenderInput = Omit<ReportInput, 'measure'>;

export type DocumentTask =
  | { readonly kind: 'adoption-report'; readonly input: ReportRenderInput; readonly now: string }
  | { readonly kind: 'csv'; readonly table: ExportTable }
  | { readonly kind: 'xlsx'; readonly table: ExportTable };

export interface DocumentResult {
  readonly bytes: Uint8Array;
  /** Reports only: the document's title and how many child rows its table shows. */
  readonly title?: string;
  readonly tableShown?: number;
}

export interface RenderedReportFile {
  readonly pdf: Buffer;
  readonly title: string;
  readonly tableShown: number;
}

/** Idle workers end after this long; the next task starts one again. */
const IDLE_TIMEOUT_MS = 5 * 60_000;

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function isAbort(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError');
}

export function createDocumentPool(limits: DocumentPoolLimits) {
  let pool: Piscina | undefined;
  let inFlight = 0;
  let closed = false;

  function started(): Piscina {
    if (pool) return pool;
    const entry = workerModule(import.meta.url, 'document-worker');
    // From the sources the worker is loaded through ts-worker-entry.mjs (see there); from dist/ directly.
    const fromSources = entry.pathname.endsWith('.ts');
    pool = new Piscina({
      filename: fromSources ? new URL('./ts-worker-entry.mjs', import.meta.url).href : entry.href,
      workerData: fromSources ? { tsx: import.meta.resolve('tsx/esm/api'), entry: entry.href } : undefined,
      minThreads: 0,
      maxThreads: Math.max(1, limits.threads),
      idleTimeout: IDLE_TIMEOUT_MS,
      // The queue is bounded below, by counting tasks in flight: the refusal is then exact and immediate.
      maxQueue: Infinity,
    });
    return pool;
  }

  async function run(task: DocumentTask): Promise<DocumentResult> {
    if (closed) throw new ServerBusyError();
    // Counted synchronously, so a burst of requests in one turn is bounded as exactly as a slow trickle.
    if (inFlight >= limits.threads + limits.maxQueue) throw new ServerBusyError();
    inFlight++;
    try {
      return (await started().run(task, { signal: AbortSignal.timeout(limits.timeoutMs) })) as DocumentResult;
    } catch (error) {
      // A task past its time: piscina ended its worker; the client is told to come back later.
      if (isAbort(error)) throw new ServerBusyError();
      throw error;
    } finally {
      inFlight--;
    }
  }

  /** Small tables are written inline: a worker's round trip would cost more than they do. */
  const isSmall = (table: ExportTable) => table.rows.length * Math.max(1, table.columns.length) < limits.inlineCells;

  return {
    /** The meeting report as PDF bytes; `now` is its CreationDate. */
    async adoptionReport(input: ReportRenderInput, now: Date): Promise<RenderedReportFile> {
      const result = await run({ kind: 'adoption-report', input, now: now.toISOString() });
      return { pdf: asBuffer(result.bytes), title: result.title ?? '', tableShown: result.tableShown ?? 0 };
    },

    /** The table as UTF-8 CSV bytes (see toCsv). */
    async csv(table: ExportTable): Promise<Buffer> {
      if (isSmall(table)) return Buffer.from(toCsv(table), 'utf8');
      return asBuffer((await run({ kind: 'csv', table })).bytes);
    },

    /** The table as an XLSX file (see toXlsx). */
    async xlsx(table: ExportTable): Promise<Buffer> {
      if (isSmall(table)) return toXlsx(table);
      return asBuffer((await run({ kind: 'xlsx', table })).bytes);
    },

    /** Tasks waiting or running now (for tests and the bench). */
    inFlight: () => inFlight,

    /** Waits for the tasks in flight, then ends the workers; later tasks are refused. */
    async close(): Promise<void> {
      closed = true;
      await pool?.close();
    },
  };
}

export type DocumentPool = ReturnType<typeof createDocumentPool>;
