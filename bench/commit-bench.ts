/**
 * What `synchronous = FULL` costs per commit against NORMAL on this disk (src/db/database.ts says why FULL):
 * 2,000 transactions of three small rows each, on a WAL file in the temp folder, modes alternated twice so a
 * noisy neighbour hits both. Prints ms per commit and the ratio FULL / NORMAL.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';

const COMMITS = 2000;

function msPerCommit(mode: 'NORMAL' | 'FULL', dir: string, run: number): number {
  const file = path.join(dir, `${mode}-${run}.sqlite`);
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${mode}`);
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)');
  const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
  const commit = db.transaction((v: string) => {
    for (let i = 0; i < 3; i++) insert.run(v);
  });
  const start = process.hrtime.bigint();
  for (let i = 0; i < COMMITS; i++) commit('x'.repeat(200));
  const ms = Number(process.hrtime.bigint() - start) / 1e6 / COMMITS;
  db.close();
  return ms;
}

const dir = mkdtempSync(path.join(tmpdir(), 'phoqr-commit-bench-'));
try {
  const times = { NORMAL: [] as number[], FULL: [] as number[] };
  for (let run = 0; run < 2; run++) {
    for (const mode of ['NORMAL', 'FULL'] as const) times[mode].push(msPerCommit(mode, dir, run));
  }
  const best = (list: number[]) => Math.min(...list);
  console.log(`synchronous=NORMAL: ${best(times.NORMAL).toFixed(3)} ms per commit`);
  console.log(`synchronous=FULL:   ${best(times.FULL).toFixed(3)} ms per commit`);
  console.log(`FULL / NORMAL: ${(best(times.FULL) / best(times.NORMAL)).toFixed(1)}×`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
