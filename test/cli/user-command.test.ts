import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openRegistry } from '../../src/bootstrap.js';
import { runUserCommand } from '../../src/cli/user-command.js';
import { fixedClock } from '../../src/clock.js';
import { testConfig } from '../../src/config.js';
import { tempDir } from '../helpers/temp-dir.js';

const NOW = '2026-11-22T03:00:00Z';

function captureIo(databasePath?: string) {
  const out: string[] = [];
  const err: string[] = [];
  const io = {
    stdout: (t: string) => out.push(t),
    stderr: (t: string) => err.push(t),
    env: databasePath ? { DATABASE_PATH: databasePath } : {},
  };
  return { io, out, err };
}

describe('phoqr user unlock', () => {
  it('when the account is locked, then it is unlocked, recorded as by the command line, with exit 0', async () => {
    const databasePath = path.join(tempDir('unlock'), 'db.sqlite');
    const config = testConfig({ databasePath });
    const clock = fixedClock(NOW);
    const before = openRegistry(config, clock);
    for (let i = 0; i < 20; i++) await before.services.loginThrottle.recordFailure('tnv.lan', `10.0.0.${i}`);
    expect(await before.services.loginThrottle.isLocked('tnv.lan')).toBe(true);
    before.db.close();

    const { io, out } = captureIo(databasePath);
    expect(await runUserCommand(['unlock', 'tnv.lan'], io, clock)).toBe(0);
    expect(out.join('')).toBe('Đã mở khóa tài khoản tnv.lan.\n');

    const after = openRegistry(config, clock);
    expect(await after.services.loginThrottle.isLocked('tnv.lan')).toBe(false);
    expect(after.db.prepare('SELECT event, by_user FROM login_locks ORDER BY id').all()).toEqual([
      { event: 'locked', by_user: null },
      { event: 'unlocked', by_user: null },
    ]);
    after.db.close();
  });

  it('when the account is not locked, then it says so and exits 0', async () => {
    const databasePath = path.join(tempDir('unlock'), 'db.sqlite');
    const { io, out } = captureIo(databasePath);
    expect(await runUserCommand(['unlock', 'tnv.lan'], io, fixedClock(NOW))).toBe(0);
    expect(out.join('')).toContain('Tài khoản tnv.lan không bị khóa');
  });

  it('when the username or the action is missing, then it prints the usage and exits 2', async () => {
    for (const args of [[], ['unlock'], ['lock', 'tnv.lan'], ['unlock', 'a', 'b']]) {
      const { io, err } = captureIo();
      expect(await runUserCommand(args, io, fixedClock(NOW))).toBe(2);
      expect(err.join('')).toContain('Cách dùng: phoqr user unlock');
    }
  });
});
