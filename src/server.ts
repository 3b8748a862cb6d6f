import { buildApp } from './app.js';
import { scheduleDailyBackups } from './backups/daily-backups.js';
import { openMigratedDatabase } from './bootstrap.js';
import { systemClock } from './clock.js';
import { ConfigError, loadConfig } from './config.js';
import { sqliteDataAccess } from './db/data-access.js';
import { MigrationError } from './db/migrate.js';
import { seedDemo } from './demo/demo-seed.js';

// The only module with side effects: config → open database → migrate → compose → first admin → demo → warm → listen.
async function main(): Promise<void> {
  const config = loadConfig();
  const clock = systemClock;
  const { db, created, applied } = openMigratedDatabase(config);
  if (applied.length > 0) console.log(`Đã áp dụng migration ${applied.join(', ')} cho ${config.databasePath}`);

  const data = sqliteDataAccess(db);
  const { app, services } = buildApp({ data, config, clock });
  const admin = await services.users.ensureFirstAdmin(config.adminPassword);
  if (admin.generatedPassword) {
    console.log('──────────────────────────────────────────────');
    console.log('Đã tạo tài khoản quản trị đầu tiên (chỉ hiện một lần):');
    console.log(`  Tên đăng nhập: admin`);
    console.log(`  Mật khẩu:      ${admin.generatedPassword}`);
    console.log('──────────────────────────────────────────────');
  } else if (admin.created) {
    console.log('Đã tạo tài khoản quản trị "admin" với mật khẩu trong PHOQR_ADMIN_PASSWORD.');
  }

  // After the first admin: the demo brings its own volunteers, and "no users yet" must still mean a new install.
  if (created && config.seedDemo) {
    const summary = await seedDemo(data, clock, { passwordHashCost: config.passwordHashCost });
    console.log(`Đã nạp dữ liệu mẫu: ${summary.sites} địa điểm, ${summary.stalls} sạp.`);
  }

  // Users from before the search key (and the demo's, seeded in bulk) get theirs: a no-op once done.
  await services.users.fillSearchKeys();
  // Built before listening, so the first dashboard request does not wait for the snapshot.
  await services.adoption.warm();
  // Express 5 hands the listen error to this callback: a port in use must not be reported as running.
  const server = app.listen(config.port, (error?: NodeJS.ErrnoException) => {
    if (error) {
      console.error(`Không khởi động được: ${listenFailure(error, config.port)}`);
      process.exit(1);
    }
    console.log(`Phố QR đang chạy tại http://localhost:${config.port}`);
  });

  const backups = config.dailyBackups
    ? scheduleDailyBackups(
        { databasePath: config.databasePath, ...config.dailyBackups, clock },
        { info: (message) => console.log(message), error: (message, error) => console.error(message, error) },
      )
    : undefined;

  const shutdown = () => {
    backups?.stop();
    server.close(() => {
      // A download that finished as the server stopped still has its print to record.
      void services.stickers
        .settled()
        .then(() => services.documents.close())
        .then(() => data.close())
        .then(() => process.exit(0));
    });
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

function listenFailure(error: NodeJS.ErrnoException, port: number): string {
  if (error.code === 'EADDRINUSE') {
    return (
      `cổng ${port} đang được một chương trình khác dùng (có thể Phố QR đã chạy). ` +
      'Dừng chương trình đó hoặc đặt PORT khác.'
    );
  }
  if (error.code === 'EACCES') return `không được phép mở cổng ${port}; hãy dùng cổng từ 1024 trở lên.`;
  return `không mở được cổng ${port}: ${error.message}`;
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof MigrationError) {
    console.error(`Không khởi động được: ${error.message}`);
  } else {
    console.error(error);
  }
  process.exit(1);
});
