import { fork } from 'node:child_process';
import { setPriority } from 'node:os';
import { WorkerFailure, type WorkerLimits } from './run-in-worker.js';

/**
 * Like runInWorker, but in a child process of its own: for work whose memory must go back to the system
 * when it ends. A worker thread's buffers are freed into the process's allocator, which keeps them (a 20 MP
 * photo left the server ~350 MB larger for good); a process that exits returns every page.
 *
 * The child is the module `entry` (see workerModule): it receives `input` as its first message and answers
 * with one message. It is killed after `timeoutMs`; its V8 heap is limited by `maxOldGenerationSizeMb`.
 */
export function runInProcess<T>(entry: URL, input: unknown, limits: WorkerLimits): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const heap = limits.resourceLimits.maxOldGenerationSizeMb;
    const execArgv = heap ? [`--max-old-space-size=${heap}`] : [];
    // From the sources (tests, tsx) the child loads TypeScript through tsx, a development dependency.
    if (entry.pathname.endsWith('.ts')) execArgv.push('--import', import.meta.resolve('tsx/esm'));
    const child = fork(entry, [], {
      execArgv,
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    // Below the server's own priority: on a busy machine the pages a volunteer waits for come first.
    if (child.pid !== undefined) setPriority(child.pid, 10);
    let settled = false;
    const settle = (finish: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.kill('SIGKILL');
      finish();
    };
    const timer = setTimeout(
      () => settle(() => reject(new WorkerFailure('timeout', `child took more than ${limits.timeoutMs} ms`))),
      limits.timeoutMs,
    );
    child.once('message', (message: T) => settle(() => resolve(message)));
    child.once('error', (error) =>
      settle(() => reject(new WorkerFailure('crashed', `child failed: ${error.message}`, { cause: error }))),
    );
    child.once('exit', (code, signal) =>
      settle(() => reject(new WorkerFailure('crashed', `child exited (${code ?? signal}) without answering`))),
    );
    child.send(input as object);
  });
}
