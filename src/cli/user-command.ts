import { parseArgs } from 'node:util';
import { openRegistry } from '../bootstrap.js';
import type { Clock } from '../clock.js';
import { loadConfig } from '../config.js';
import { UnknownUserError } from '../users/users-service.js';
import { EXIT_NEGATIVE, EXIT_OK, EXIT_USAGE, type CliIo } from './cli-io.js';

const USAGE =
  'Cách dùng: phoqr user unlock TÊN_ĐĂNG_NHẬP\n' +
  '           phoqr user disable TÊN_ĐĂNG_NHẬP\n' +
  '           phoqr user enable TÊN_ĐĂNG_NHẬP\n' +
  '           phoqr user reset-password TÊN_ĐĂNG_NHẬP\n';

const ACTIONS = ['unlock', 'disable', 'enable', 'reset-password'] as const;
type Action = (typeof ACTIONS)[number];

function isAction(value: string | undefined): value is Action {
  return (ACTIONS as readonly (string | undefined)[]).includes(value);
}

/**
 * `phoqr user unlock USERNAME`: lifts the lock that 20 failed logins put on an account, as a team lead or an
 * admin does in the app. `phoqr user disable USERNAME` stops an account from logging in and ends its sessions at
 * once; `phoqr user enable USERNAME` lets it log in again. `phoqr user reset-password USERNAME` prints a one-time
 * password, once (it is stored only as a hash), ends the user's sessions and makes them choose their own at the
 * next login. The command line acts as nobody in particular (actor null). Exit 0 done, 1 no such user (disable,
 * enable, reset-password), 2 bad usage.
 */
export async function runUserCommand(args: string[], io: CliIo, clock: Clock): Promise<number> {
  const { positionals } = parseArgs({ args, allowPositionals: true, options: {} });
  const [action, username, ...rest] = positionals;
  if (!isAction(action) || !username?.trim() || rest.length > 0) {
    io.stderr(USAGE);
    return EXIT_USAGE;
  }
  const { db, services } = openRegistry(loadConfig(io.env), clock);
  try {
    io.stdout(await perform(action, username, services));
    return EXIT_OK;
  } catch (error) {
    if (!(error instanceof UnknownUserError)) throw error;
    io.stderr(`${error.message}\n`);
    return EXIT_NEGATIVE;
  } finally {
    db.close();
  }
}

type Services = ReturnType<typeof openRegistry>['services'];

/** Does the action and returns what to print. */
async function perform(action: Action, username: string, services: Services): Promise<string> {
  switch (action) {
    case 'unlock': {
      const { wasLocked } = await services.loginThrottle.unlock(null, username);
      return wasLocked
        ? `Đã mở khóa tài khoản ${username}.\n`
        : `Tài khoản ${username} không bị khóa; các lần đăng nhập sai trước đây không còn được tính.\n`;
    }
    case 'disable': {
      const { wasActive, endedSessions } = await services.accountAccess.disable(null, username);
      return wasActive
        ? `Đã vô hiệu hóa tài khoản ${username}; ${endedSessions} phiên đăng nhập đã kết thúc.\n`
        : `Tài khoản ${username} đã bị vô hiệu hóa từ trước.\n`;
    }
    case 'enable': {
      const { wasActive } = await services.accountAccess.enable(null, username);
      return wasActive
        ? `Tài khoản ${username} vẫn đang hoạt động.\n`
        : `Đã kích hoạt lại tài khoản ${username}; người dùng đăng nhập lại được.\n`;
    }
    case 'reset-password': {
      const { user, password, endedSessions } = await services.accountAccess.resetPassword(null, username);
      return (
        `Mật khẩu dùng một lần của ${username}: ${password}\n` +
        `Mật khẩu chỉ hiện lần này: hãy trao tận tay. Ở lần đăng nhập tới, người dùng phải đổi sang mật khẩu ` +
        `của riêng mình; ${endedSessions} phiên đăng nhập đã kết thúc.` +
        (user.active ? '' : ' Tài khoản đang bị vô hiệu hóa: dùng phoqr user enable để mở lại.') +
        '\n'
      );
    }
  }
}
