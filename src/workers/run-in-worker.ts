import { Worker, type ResourceLimits } from 'node:worker_threads';

/**
 * Running CPU-heavy work on input from users (a spreadsheet to unzip and parse, later perhaps a photo to
 * decode) off the main thread: while it runs, every other request is still served, and a file made to be
 * slow or huge stops its own worker (time limit, heap limits), not the app.
 */
export interface WorkerLimits {
  /** The worker is stopped after this long, and the work fails with reason 'timeout'. */
  readonly timeoutMs: number;
  /** The worker's own heaps: running out ends the worker (reason 'crashed'), not the process. */
  readonly resourceLimits: ResourceLimits;
}

export class WorkerFailure extends Error {
  constructor(
    readonly reason: 'timeout' | 'crashed',
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'WorkerFailure';
  }
}

/**
 * The worker module `name` next to the calling module, with the caller's own extension: `.ts` when the app
 * runs from its sources (tests, tsx), `.js` once built to dist/.
 */
export function workerModule(callerUrl: string, name: string): URL {
  return new URL(`./${name}${callerUrl.endsWith('.ts') ? '.ts' : '.js'}`, callerUrl);
}

function startWorker(entry: URL, workerData: unknown, resourceLimits: ResourceLimits): Worker {
  if (!entry.pathname.endsWith('.ts')) return new Worker(entry, { workerData, resourceLimits });
  // From the sources Node cannot load TypeScript in a worker by itself (a loader given in execArgv is not
  // applied there on Node 20): the worker imports it through tsx's API, a development dependency the built
  // app never reaches.
  const tsx = JSON.stringify(import.meta.resolve('tsx/esm/api'));
  const href = JSON.stringify(entry.href);
  const code = `import(${tsx}).then((tsx) => tsx.tsImport(${href}, ${href}));`;
  return new Worker(code, { eval: true, workerData, resourceLimits });
}

/**
 * Runs the worker module `entry` on `input` (its `workerData`, copied) and resolves with the first message it
 * posts; the worker is then stopped. Rejects with WorkerFailure when it throws, runs out of memory, exits
 * without answering or takes longer than allowed.
 */
export function runInWorker<T>(entry: URL, input: unknown, limits: WorkerLimits): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const worker = startWorker(entry, input, limits.resourceLimits);
    let settled = false;
    const settle = (finish: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      finish();
    };
    const timer = setTimeout(
      () => settle(() => reject(new WorkerFailure('timeout', `worker took more than ${limits.timeoutMs} ms`))),
      limits.timeoutMs,
    );
    worker.once('message', (message: T) => settle(() => resolve(message)));
    worker.once('error', (error) =>
      settle(() => reject(new WorkerFailure('crashed', `worker failed: ${error.message}`, { cause: error }))),
    );
    worker.once('exit', (code) =>
      settle(() => reject(new WorkerFailure('crashed', `worker exited with code ${code} without answering`))),
    );
  });
}

/**
 * At most `atOnce` pieces of work at a time, the others waiting their turn in order: a few admins uploading
 * lists together do not start a worker (and its heap) each.
 */
export function limitConcurrency(atOnce: number) {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async function run<T>(work: () => Promise<T>): Promise<T> {
    if (running < atOnce) running++;
    else await new Promise<void>((resume) => waiting.push(resume));
    try {
      return await work();
    } finally {
      // The slot passes straight to the next in line, so nobody arriving meanwhile can take it.
      const next = waiting.shift();
      if (next) next();
      else running--;
    }
  };
}
