import { parseArgs } from 'node:util';
import { openRegistry } from '../bootstrap.js';
import type { Clock } from '../clock.js';
import { loadConfig } from '../config.js';
import { EXIT_OK, EXIT_USAGE, type CliIo } from './cli-io.js';

const USAGE = 'Cách dùng: phoqr user unlock TÊN_ĐĂNG_NHẬP\n';

/**
 * `phoqr user unlock USERNAME`: lifts the lock that 20 failed logins put on an account, as a team lead or an
 * admin does in the app; the command line acts as nobody in particular (actor null).
 */
export async function runUserCommand(args: string[], io: CliIo, clock: Clock): Promise<number> {
  const { positionals } = parseArgs({ args, allowPositionals: true, options: {} });
  const [action, username, ...rest] = positionals;
  if (action !== 'unlock' || !username?.trim() || rest.length > 0) {
    io.stderr(USAGE);
    return EXIT_USAGE;
  }
  const { db, services } = openRegistry(loadConfig(io.env), clock);
  try {
    const { wasLocked } = await services.loginThrottle.unlock(null, username);
    io.stdout(
      wasLocked
        ? `Đã mở khóa tài khoản ${username}.\n`
        : `Tài khoản ${username} không bị khóa; các lần đăng nhập sai trước đây không còn được tính.\n`,
    );
    return EXIT_OK;
  } finally {
    db.close();
  }
}
