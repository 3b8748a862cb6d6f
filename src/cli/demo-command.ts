import { openRegistry } from '../bootstrap.js';
import type { Clock } from '../clock.js';
import { loadConfig } from '../config.js';
import { HttpError } from '../http/errors.js';
import { EXIT_NEGATIVE, EXIT_OK, EXIT_USAGE, type CliIo } from './cli-io.js';

const USAGE = 'Cách dùng: phoqr demo remove\n';

/**
 * `phoqr demo remove`: before a registry goes live, every row of the invented demo programme is deleted (its
 * users, sites, stalls and all recorded about them), in one transaction, recorded in the audit trail. Exit 0,
 * 1 when there is nothing to remove or a real row still refers to the demo (nothing deleted), 2 for bad usage.
 */
export async function runDemoCommand(args: string[], io: CliIo, clock: Clock): Promise<number> {
  if (args.length !== 1 || args[0] !== 'remove') {
    io.stderr(USAGE);
    return EXIT_USAGE;
  }
  const { db, services } = openRegistry(loadConfig(io.env), clock);
  try {
    const removed = await services.demo.remove();
    io.stdout(
      `Đã xóa dữ liệu mẫu: ${removed.sites} địa điểm, ${removed.stalls} sạp, ${removed.users} người dùng mẫu ` +
        `cùng mọi ghi nhận về chúng.\n`,
    );
    return EXIT_OK;
  } catch (error) {
    if (error instanceof HttpError) {
      io.stderr(`${error.message}\n`);
      return EXIT_NEGATIVE;
    }
    throw error;
  } finally {
    db.close();
  }
}
