#!/usr/bin/env node
import { systemClock } from '../clock.js';
import { runAdminUnitsCommand } from './admin-units-command.js';
import { ConfigError } from '../config.js';
import { MigrationError } from '../db/migrate.js';
import { EXIT_USAGE, processIo, type CliIo } from './cli-io.js';
import { runBackupCommand, runRestoreCommand } from './backup-command.js';
import { runDemoCommand } from './demo-command.js';
import { runQrCommand } from './qr-command.js';
import { readPassword } from './read-password.js';
import { runCreateUser, runMigrate, runSeedDemo } from './registry-commands.js';
import { runStickersCommand } from './stickers-command.js';
import { runExportCommand } from './export-command.js';
import { runImportCommand } from './import-command.js';
import { runReapplyErasuresCommand } from './reapply-erasures-command.js';
import { runUserCommand } from './user-command.js';

const USAGE = `Phố QR — dòng lệnh

  phoqr migrate                               áp dụng migration cho cơ sở dữ liệu (DATABASE_PATH)
  phoqr seed-demo                             nạp chương trình mẫu vào cơ sở dữ liệu chưa có địa điểm
  phoqr backup --out TỆP.sqlite [--force]     sao lưu cơ sở dữ liệu trong khi ứng dụng vẫn chạy
  phoqr restore TỆP.sqlite                    khôi phục từ bản sao lưu (dừng ứng dụng trước)
  phoqr demo remove                           xóa mọi dữ liệu mẫu (người dùng, địa điểm, sạp mẫu) trước
                                              khi dùng thật
  phoqr create-user TÊN --role VAI_TRÒ [--reach province:52|commune:23575|site:ID ...]
                                              tạo người dùng (mật khẩu từ PHOQR_PASSWORD hoặc nhập);
                                              không có --reach: toàn quốc, chỉ cho admin và leader
  phoqr user unlock TÊN                       mở khóa tài khoản bị khóa do đăng nhập sai nhiều lần
  phoqr user disable TÊN                      vô hiệu hóa tài khoản và kết thúc mọi phiên đăng nhập của nó
  phoqr user enable TÊN                       kích hoạt lại tài khoản đã bị vô hiệu hóa
  phoqr user reset-password TÊN               in một mật khẩu dùng một lần (đổi ở lần đăng nhập tới)
                                              và kết thúc mọi phiên đăng nhập của người dùng
  phoqr qr decode MÃ | --image TỆP            kiểm tra một mã VietQR (in JSON)
  phoqr qr encode --bin B --account A [...]   tạo mã VietQR tĩnh hoặc động
  phoqr stickers --site ID --format a4-2x2 --out TỆP.pdf [--only-unprinted]
                                              in mã QR của cả địa điểm ra tệp PDF
  phoqr export stalls --out TỆP.csv|.xlsx     xuất mọi sạp với địa điểm, xã, tình trạng, ngày
  phoqr import stalls --site ID TỆP.csv|.xlsx [--commit] [--as TÊN] [--sheet TRANG] [--consent-on-paper]
                                              nhập danh sách sạp của ban quản lý chợ; không có --commit
                                              chỉ in bản xem trước từng dòng, không ghi gì
  phoqr import sites --commune MÃ_XÃ TỆP.csv|.xlsx [--commit] [--as TÊN]
                                              nhập các địa điểm (chợ, tuyến phố) của một xã/phường
  phoqr reapply-erasures --as TÊN [--journal TỆP]
                                              sau khi khôi phục bản sao lưu: làm lại mọi lần rút lại
                                              đồng ý và xóa dữ liệu cá nhân mà bản sao lưu chưa có
  phoqr admin-units update --from TỆP.json [--commit] [--as TÊN] [--reprint-csv TỆP.csv]
                                              cập nhật tỉnh, xã theo nghị quyết (đổi tên, nhập, chia…);
                                              không có --commit chỉ in các thay đổi, không ghi gì
`;

export async function run(argv: string[], io: CliIo): Promise<number> {
  const [command, ...args] = argv;
  switch (command) {
    case 'migrate':
      return runMigrate(args, io);
    case 'seed-demo':
      return runSeedDemo(args, io, systemClock);
    case 'backup':
      return runBackupCommand(args, io);
    case 'restore':
      return runRestoreCommand(args, io);
    case 'demo':
      return runDemoCommand(args, io, systemClock);
    case 'create-user':
      return runCreateUser(args, io, systemClock, readPassword);
    case 'user':
      return runUserCommand(args, io, systemClock);
    case 'qr':
      return runQrCommand(args, io);
    case 'stickers':
      return runStickersCommand(args, io, systemClock);
    case 'export':
      return runExportCommand(args, io, systemClock);
    case 'import':
      return runImportCommand(args, io, systemClock);
    case 'admin-units':
      return runAdminUnitsCommand(args, io, systemClock);
    case 'reapply-erasures':
      return runReapplyErasuresCommand(args, io, systemClock);
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      io.stdout(USAGE);
      return command === undefined ? EXIT_USAGE : 0;
    default:
      io.stderr(`Lệnh không rõ: ${command}\n\n${USAGE}`);
      return EXIT_USAGE;
  }
}

run(process.argv.slice(2), processIo).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const known =
      error instanceof ConfigError ||
      error instanceof MigrationError ||
      (error instanceof Error &&
        error.name === 'TypeError' &&
        'code' in error &&
        String(error.code).startsWith('ERR_PARSE_ARGS'));
    process.stderr.write(
      `${known && error instanceof Error ? error.message : String(error instanceof Error ? error.stack : error)}\n`,
    );
    process.exitCode = known ? EXIT_USAGE : 1;
  },
);
