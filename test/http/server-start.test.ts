import { spawn } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/paths.js';
import { tempDir } from '../helpers/temp-dir.js';

/** Runs the real entry point from its sources until it exits; its exit code and what it printed. */
function runServer(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx/esm'), 'src/server.ts'], {
      cwd: projectRoot,
      env: { ...process.env, NODE_ENV: 'production', PHOQR_SEED_DEMO: '0', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('starting the server', () => {
  it('when the port is already in use, then it says so in Vietnamese and exits 1, never "đang chạy"', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '0.0.0.0', resolve));
    const port = (blocker.address() as AddressInfo).port;
    try {
      const result = await runServer({
        PORT: String(port),
        DATABASE_PATH: path.join(tempDir('server-start'), 'phoqr.sqlite'),
        PHOQR_ADMIN_PASSWORD: 'mat-khau-khoi-dong-thu',
      });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`Không khởi động được: cổng ${port} đang được một chương trình khác dùng`);
      expect(result.stdout).not.toContain('đang chạy');
    } finally {
      blocker.close();
    }
  });
});
