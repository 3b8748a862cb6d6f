import cluster, { type Worker } from 'node:cluster';
import { createServer, type Server } from 'node:http';
import os from 'node:os';
import { buildApp } from './app.js';
import { scheduleDailyBackups } from './backups/daily-backups.js';
import { DatabaseOpenError, openMigratedDatabase, openRegistry } from './bootstrap.js';
import { systemClock } from './clock.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { sqliteDataAccess } from './db/data-access.js';
import { MigrationError } from './db/migrate.js';
import { seedDemo } from './demo/demo-seed.js';

/**
 * The only module with side effects. `npm start` runs one primary process and WEB_CONCURRENCY workers (one per
 * core by default) that serve HTTP on the one port (node:cluster hands them the connections in turn):
 * - the primary does the one-time work (open and migrate the database, first admin, demo, search keys), forks
 *   the workers one after another, restarts one that dies (with a back-off), runs the daily backups, and on
 *   SIGTERM/SIGINT stops the workers gracefully and exits 0;
 * - each worker opens its own connection, composes the app, warms the adoption figures and listens.
 * In development with WEB_CONCURRENCY unset, the one process does all of it and forks nothing.
 */

/** Messages between the primary and its workers. */
type WorkerMessage = { readonly type: 'ready'; readonly port: number };
type PrimaryMessage = { readonly type: 'stop' };

const clock = systemClock;

/** A worker that lived this long before dying is not part of a crash loop: the back-off starts again. */
const STABLE_AFTER_MS = 60_000;
const FIRST_RESTART_DELAY_MS = 500;
const MAX_RESTART_DELAY_MS = 30_000;
/** A worker still finishing its requests after this long at shutdown is killed. */
const STOP_GRACE_MS = 15_000;

async function main(): Promise<void> {
  const config = loadConfig();
  if (cluster.isWorker) return runWorker(config);
  const workers = config.webConcurrency ?? (config.env === 'development' ? 0 : os.availableParallelism());
  await prepareDatabase(config);
  if (workers === 0) return runSingleProcess(config);
  runPrimary(config, workers);
}

/** The one-time work, before any worker starts: no two processes migrate or seed the same file. */
async function prepareDatabase(config: Config): Promise<void> {
  const { data, services, created, applied } = openRegistry(config, clock);
  try {
    if (applied.length > 0) console.log(`Đã áp dụng migration ${applied.join(', ')} cho ${config.databasePath}`);
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
  } finally {
    await data.close();
  }
}

/**
 * One serving process: its own connection, the app, the warmed figures, the port. Resolves once listening;
 * `stop` closes the port, lets the open requests finish, closes the database and exits 0.
 */
async function serve(config: Config, workerId?: number): Promise<{ port: number; stop: () => void }> {
  const { db } = openMigratedDatabase(config);
  const data = sqliteDataAccess(db);
  const { app, services } = buildApp({ data, config, clock });
  // Built before listening, so the first dashboard request does not wait for the snapshot.
  await services.adoption.warm();
  // Which worker answered: for whoever reads a proxy's log, and for the test that both share one database.
  const server: Server = createServer((req, res) => {
    if (workerId !== undefined) res.setHeader('X-Phoqr-Worker', String(workerId));
    app(req, res);
  });
  const port = await new Promise<number>((resolve) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      console.error(`Không khởi động được: ${listenFailure(error, config.port)}`);
      process.exit(1);
    });
    server.listen(config.port, () => {
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : config.port);
    });
  });

  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    server.close(() => {
      // A download that finished as the server stopped still has its print to record.
      void services.stickers
        .settled()
        .then(() => services.documents.close())
        .then(() => data.close())
        .then(() => process.exit(0));
    });
    // Kept-alive connections with no request in flight would hold close() open until they time out.
    server.closeIdleConnections();
  };
  return { port, stop };
}

function scheduleBackups(config: Config) {
  return config.dailyBackups
    ? scheduleDailyBackups(
        { databasePath: config.databasePath, ...config.dailyBackups, clock },
        { info: (message) => console.log(message), error: (message, error) => console.error(message, error) },
      )
    : undefined;
}

async function runSingleProcess(config: Config): Promise<void> {
  const { port, stop } = await serve(config);
  const backups = scheduleBackups(config);
  console.log(`Phố QR đang chạy tại http://localhost:${port}`);
  const shutdown = () => {
    backups?.stop();
    stop();
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

async function runWorker(config: Config): Promise<void> {
  const { port, stop } = await serve(config, cluster.worker!.id);
  process.on('message', (message: PrimaryMessage) => {
    if (message.type === 'stop') stop();
  });
  // Ctrl-C reaches the whole process group; a primary gone without a word (killed) leaves nobody to answer to.
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  process.on('disconnect', stop);
  process.send!({ type: 'ready', port } satisfies WorkerMessage);
}

/**
 * Forks the workers one after another (each warms its figures in turn, so start-up never has two processes
 * reading the whole registry at once), then keeps them running. The daily backups run here: the primary
 * serves no request, lives as long as the service and is never restarted, so there is exactly one schedule
 * whatever happens to the workers.
 */
function runPrimary(config: Config, count: number): void {
  let started = false;
  let stopping = false;
  let backups: ReturnType<typeof scheduleBackups>;
  const bornAt = new Map<Worker, number>();
  const restarts = new Set<NodeJS.Timeout>();
  let crashesInARow = 0;

  const fork = (): Promise<number> =>
    new Promise((resolve) => {
      const worker = cluster.fork();
      bornAt.set(worker, Date.now());
      worker.on('message', (message: WorkerMessage) => {
        if (message.type !== 'ready') return;
        // Asked to stop while this one was still warming up: it could not hear it then.
        if (stopping) worker.send({ type: 'stop' } satisfies PrimaryMessage);
        resolve(message.port);
      });
    });

  cluster.on('exit', (worker, code, signal) => {
    const lived = Date.now() - (bornAt.get(worker) ?? Date.now());
    bornAt.delete(worker);
    if (stopping) {
      // 0 after a requested stop; 1 (exitCode) when start-up failed.
      if (bornAt.size === 0) process.exit();
      return;
    }
    const how = signal ? `tín hiệu ${signal}` : `mã ${code}`;
    if (!started) {
      // It printed why (a taken port, an unreadable database): start-up fails as a whole, never half running.
      console.error(`Không khởi động được: tiến trình phục vụ dừng khi đang khởi động (${how}).`);
      stopping = true;
      for (const other of bornAt.keys()) other.kill();
      process.exitCode = 1;
      if (bornAt.size === 0) process.exit();
      return;
    }
    crashesInARow = lived >= STABLE_AFTER_MS ? 0 : crashesInARow + 1;
    const delay = Math.min(MAX_RESTART_DELAY_MS, FIRST_RESTART_DELAY_MS * 2 ** Math.max(0, crashesInARow - 1));
    console.error(
      `Tiến trình phục vụ ${worker.id} dừng bất ngờ (${how}); khởi động lại sau ${(delay / 1000).toFixed(1)} giây.`,
    );
    const timer = setTimeout(() => {
      restarts.delete(timer);
      void fork();
    }, delay);
    restarts.add(timer);
  });

  const shutdown = () => {
    if (stopping) return;
    stopping = true;
    backups?.stop();
    for (const timer of restarts) clearTimeout(timer);
    if (bornAt.size === 0) process.exit(0);
    for (const worker of bornAt.keys()) {
      if (worker.isConnected()) worker.send({ type: 'stop' } satisfies PrimaryMessage);
    }
    setTimeout(() => {
      for (const worker of bornAt.keys()) worker.kill('SIGKILL');
    }, STOP_GRACE_MS).unref();
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);

  void (async () => {
    let port = config.port;
    for (let i = 0; i < count; i++) {
      port = await fork();
      if (stopping) return;
    }
    started = true;
    backups = scheduleBackups(config);
    console.log(`Phố QR đang chạy tại http://localhost:${port} (${count} tiến trình phục vụ)`);
  })();
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
  if (error instanceof ConfigError || error instanceof MigrationError || error instanceof DatabaseOpenError) {
    console.error(`Không khởi động được: ${error.message}`);
  } else {
    // Not foreseen: said in words first, the details after for whoever fixes it.
    console.error('Không khởi động được: lỗi không lường trước khi khởi động. Chi tiết:');
    console.error(error);
  }
  process.exit(1);
});
