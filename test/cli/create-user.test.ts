import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openMigratedDatabase } from '../../src/bootstrap.js';
import { runCreateUser } from '../../src/cli/registry-commands.js';
import { fixedClock } from '../../src/clock.js';
import { testConfig } from '../../src/config.js';
import { TEST_PASSWORD } from '../helpers/app.js';
import { tempDir } from '../helpers/temp-dir.js';

const clock = fixedClock('2026-11-22T03:00:00Z');
const noPrompt = () => Promise.reject(new Error('no terminal in tests'));

function captureIo(databasePath: string) {
  const out: string[] = [];
  const err: string[] = [];
  // The cheapest hash, as in every test; the password comes from the environment as in a script.
  const env = { DATABASE_PATH: databasePath, PHOQR_PASSWORD: TEST_PASSWORD, PHOQR_PASSWORD_COST: '1' };
  return { io: { stdout: (t: string) => out.push(t), stderr: (t: string) => err.push(t), env }, out, err };
}

function savedUsers(databasePath: string) {
  const { db } = openMigratedDatabase(testConfig({ databasePath }));
  try {
    return db
      .prepare(
        `SELECT u.username, u.role, u.whole_country, r.province_code, r.commune_code, r.site_id
           FROM users u LEFT JOIN user_reach r ON r.user_id = u.id ORDER BY u.id, r.id`,
      )
      .all();
  } finally {
    db.close();
  }
}

describe('phoqr create-user --reach', () => {
  it('when a volunteer is created without --reach, then it is refused with the reason and exit 2', async () => {
    const databasePath = path.join(tempDir('create-user'), 'db.sqlite');
    const { io, out, err } = captureIo(databasePath);
    expect(await runCreateUser(['tnv.lan', '--role', 'volunteer'], io, clock, noPrompt)).toBe(2);
    expect(err.join('')).toBe('Tình nguyện viên cần một phạm vi: tỉnh, xã/phường hoặc địa điểm mình phụ trách.\n');
    expect(out).toEqual([]);
    expect(savedUsers(databasePath)).toEqual([]);
  });

  it('when a volunteer is created with --reach commune:23575, then that reach is saved', async () => {
    const databasePath = path.join(tempDir('create-user'), 'db.sqlite');
    const { io, out } = captureIo(databasePath);
    const args = ['tnv.lan', '--role', 'volunteer', '--name', 'Nguyễn Thị Lan', '--reach', 'commune:23575'];
    expect(await runCreateUser(args, io, clock, noPrompt)).toBe(0);
    expect(out.join('')).toBe('Đã tạo người dùng tnv.lan (volunteer), phạm vi: commune:23575.\n');
    expect(savedUsers(databasePath)).toEqual([
      {
        username: 'tnv.lan',
        role: 'volunteer',
        whole_country: 0,
        province_code: null,
        commune_code: '23575',
        site_id: null,
      },
    ]);
  });

  it('when --name holds a terminal escape, then it is refused naming the character and nothing is saved', async () => {
    const databasePath = path.join(tempDir('create-user'), 'db.sqlite');
    const { io, out, err } = captureIo(databasePath);
    const args = ['tnv.lan', '--role', 'volunteer', '--name', 'Lan\u001b[2J', '--reach', 'commune:23575'];
    expect(await runCreateUser(args, io, clock, noPrompt)).toBe(2);
    expect(err.join('')).toContain('Có ký tự điều khiển không nhìn thấy (U+001B) — hãy gõ lại.');
    expect(out).toEqual([]);
    expect(savedUsers(databasePath)).toEqual([]);
  });

  it('when --reach is repeated or left out for an admin, then the units, or the whole country, are saved', async () => {
    const databasePath = path.join(tempDir('create-user'), 'db.sqlite');
    const { io } = captureIo(databasePath);
    const lead = ['totruong.gl', '--role', 'team_lead', '--reach', 'province:52', '--reach', 'xa:23887'];
    expect(await runCreateUser(lead, io, clock, noPrompt)).toBe(0);
    expect(await runCreateUser(['quan.tri', '--role', 'admin'], io, clock, noPrompt)).toBe(0);
    expect(savedUsers(databasePath)).toEqual([
      {
        username: 'totruong.gl',
        role: 'team_lead',
        whole_country: 0,
        province_code: '52',
        commune_code: null,
        site_id: null,
      },
      {
        username: 'totruong.gl',
        role: 'team_lead',
        whole_country: 0,
        province_code: null,
        commune_code: '23887',
        site_id: null,
      },
      { username: 'quan.tri', role: 'admin', whole_country: 1, province_code: null, commune_code: null, site_id: null },
    ]);
  });

  it('when a --reach is malformed or names an unknown commune, then nothing is saved and it exits 2', async () => {
    const databasePath = path.join(tempDir('create-user'), 'db.sqlite');
    const malformed = captureIo(databasePath);
    expect(
      await runCreateUser(['tnv.lan', '--role', 'volunteer', '--reach', 'xa-23575'], malformed.io, clock, noPrompt),
    ).toBe(2);
    expect(malformed.err.join('')).toContain('Phạm vi không hợp lệ: "xa-23575".');
    const unknown = captureIo(databasePath);
    expect(
      await runCreateUser(['tnv.lan', '--role', 'volunteer', '--reach', 'commune:99999'], unknown.io, clock, noPrompt),
    ).toBe(2);
    expect(unknown.err.join('')).toBe('Không có xã, phường này trong danh mục (commune:99999).\n');
    expect(savedUsers(databasePath)).toEqual([]);
  });
});
