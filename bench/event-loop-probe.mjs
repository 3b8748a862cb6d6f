/**
 * The campaign bench's window into the server's event loop, without an endpoint or a change to src/: loaded
 * into every server process with `--import` (NODE_OPTIONS carries it to node:cluster workers too), it runs
 * perf_hooks.monitorEventLoopDelay and writes what it saw to files in PHOQR_BENCH_PROBE_DIR.
 *
 * The bench names a measuring window by writing it to `control` (e.g. `step-3`). Every 250 ms each process
 * reads that file; when the name changes it writes the closing window's histogram to `<window>-<pid>.json`
 * and starts a new one. Without PHOQR_BENCH_PROBE_DIR the probe does nothing.
 */
import cluster from 'node:cluster';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setInterval } from 'node:timers';
import { isMainThread } from 'node:worker_threads';

const TICK_MS = 250;
const NS_PER_MS = 1e6;

/** The window the bench asks for now, or '' while it has not named one (or the file is mid-write). */
function wantedWindow(controlFile) {
  try {
    return readFileSync(controlFile, 'utf8').trim();
  } catch {
    return '';
  }
}

/** Written under a temporary name and renamed, so that the bench never reads half a file. */
function writeAtomically(file, value) {
  writeFileSync(`${file}.tmp`, JSON.stringify(value));
  renameSync(`${file}.tmp`, file);
}

function summary(histogram, window) {
  return {
    window,
    pid: process.pid,
    // In a cluster the primary only hands out connections: the bench reports the workers' loops.
    role: cluster.isPrimary ? 'primary' : 'worker',
    samples: histogram.count,
    p50Ms: histogram.count ? histogram.percentile(50) / NS_PER_MS : 0,
    p99Ms: histogram.count ? histogram.percentile(99) / NS_PER_MS : 0,
    maxMs: histogram.count ? histogram.max / NS_PER_MS : 0,
  };
}

function startProbe(dir) {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  const controlFile = path.join(dir, 'control');
  let window = wantedWindow(controlFile);
  const timer = setInterval(() => {
    const wanted = wantedWindow(controlFile);
    if (wanted === window) return;
    if (window) writeAtomically(path.join(dir, `${window}-${process.pid}.json`), summary(histogram, window));
    window = wanted;
    histogram.reset();
  }, TICK_MS);
  // The probe must never be what keeps a server alive after it was told to stop.
  timer.unref();
}

// Worker threads (the PDF pool) share the process id and do not serve requests: only main threads are watched.
if (process.env.PHOQR_BENCH_PROBE_DIR && isMainThread) startProbe(process.env.PHOQR_BENCH_PROBE_DIR);
