import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { onTestFinished } from 'vitest';

/** A fresh folder for the running test, removed when it ends, passed or failed. Call it inside a test. */
export function tempDir(name: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), `phoqr-${name}-`));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
