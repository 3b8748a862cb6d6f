import { parseArgs } from 'node:util';
import { openMigratedDatabase, openRegistry } from '../bootstrap.js';
import type { Clock } from '../clock.js';
import { loadConfig } from '../config.js';
import { sqliteDataAccess } from '../db/data-access.js';
import { DemoAlreadyLoadedError, seedDemo } from '../demo/demo-seed.js';
import { ValidationError } from '../http/errors.js';
import { formatReachUnit, parseReachUnit, REACH_UNIT_HELP, type ReachUnit } from '../vocabulary/reach.js';
import { EXIT_NEGATIVE, EXIT_OK, EXIT_USAGE, type CliIo } from './cli-io.js';

export async function runMigrate(_args: string[], io: CliIo): Promise<number> {
  const config = loadConfig(io.env);
  const { db, applied } = openMigratedDatabase(config);
  db.close();
  io.stdout(
    applied.length > 0
      ? `Đã áp dụng migration ${applied.join(', ')} cho ${config.databasePath}\n`
      : `Cơ sở dữ liệu ${config.databasePath} đã ở phiên bản mới nhất.\n`,
  );
  return EXIT_OK;
}

export async function runSeedDemo(_args: string[], io: CliIo, clock: Clock): Promise<number> {
  const config = loadConfig(io.env);
  const { db } = openMigratedDatabase(config);
  try {
    const summary = await seedDemo(sqliteDataAccess(db), clock, { passwordHashCost: config.passwordHashCost });
    io.stdout(
      `Đã nạp chương trình mẫu: ${summary.sites} địa điểm, ${summary.stalls} sạp, ${summary.users} người dùng.\n`,
    );
    return EXIT_OK;
  } catch (error) {
    if (error instanceof DemoAlreadyLoadedError) {
      io.stderr(`${error.message}\n`);
      return EXIT_NEGATIVE;
    }
    throw error;
  } finally {
    db.close();
  }
}

const CREATE_USER_USAGE =
  'Cách dùng: phoqr create-user TÊN_ĐĂNG_NHẬP --role admin|leader|team_lead|volunteer|viewer [--name "Họ tên"]\n' +
  '          [--reach province:MÃ] [--reach commune:MÃ] [--reach site:ID] (lặp lại được; không có --reach là\n' +
  '          toàn quốc, chỉ dành cho admin và leader)';

export async function runCreateUser(
  args: string[],
  io: CliIo,
  clock: Clock,
  askPassword: (prompt: string) => Promise<string>,
): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { role: { type: 'string' }, name: { type: 'string' }, reach: { type: 'string', multiple: true } },
  });
  const username = positionals[0];
  if (!username || !values.role || positionals.length > 1) {
    io.stderr(`${CREATE_USER_USAGE}\n`);
    return EXIT_USAGE;
  }
  const reach: ReachUnit[] = [];
  for (const text of values.reach ?? []) {
    const unit = parseReachUnit(text);
    if (!unit) {
      io.stderr(`Phạm vi không hợp lệ: "${text}". ${REACH_UNIT_HELP}\n`);
      return EXIT_USAGE;
    }
    reach.push(unit);
  }
  const password = io.env.PHOQR_PASSWORD ?? (await askPassword(`Mật khẩu cho ${username}: `));
  const config = loadConfig(io.env);
  const { db, services } = openRegistry(config, clock);
  try {
    await services.users.createUser({ username, role: values.role, password, displayName: values.name, reach });
    const where = reach.length === 0 ? 'toàn quốc' : reach.map(formatReachUnit).join(', ');
    io.stdout(`Đã tạo người dùng ${username} (${values.role}), phạm vi: ${where}.\n`);
    return EXIT_OK;
  } catch (error) {
    if (error instanceof ValidationError) {
      for (const message of Object.values(error.fieldErrors)) io.stderr(`${message}\n`);
      return EXIT_USAGE;
    }
    throw error;
  } finally {
    db.close();
  }
}
