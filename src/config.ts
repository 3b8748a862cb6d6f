import { availableParallelism } from 'node:os';
import path from 'node:path';
import { projectRoot } from './paths.js';

/** scrypt's cost of new password hashes, as log2 of N (src/users/password.ts says why 15). */
export const DEFAULT_PASSWORD_HASH_COST = 15;
export const MIN_PASSWORD_HASH_COST = 1;
/** 2^20 needs 1 GiB per hash: more than that is a typo, not a policy. */
export const MAX_PASSWORD_HASH_COST = 20;

/**
 * How many days an installed stall may go without a follow-up visit before it is due one: the data-quality
 * check ("Chưa thăm lại") and the volunteers' work lists use this one threshold, so the two never disagree.
 */
export const DEFAULT_FOLLOW_UP_DAYS = 60;
export const MAX_FOLLOW_UP_DAYS = 365;

export type Environment = 'development' | 'production' | 'test';

/**
 * How many customers' reports /v/CODE/report accepts per window: from one address (many phones share one
 * behind a carrier's NAT, so not too few) and about one sticker (a handful is enough for the team lead to
 * go and look; more would only bury the other reports).
 */
export interface StickerReportLimits {
  readonly windowMinutes: number;
  readonly perAddress: number;
  readonly perSticker: number;
}

export const DEFAULT_STICKER_REPORT_LIMITS: StickerReportLimits = Object.freeze({
  windowMinutes: 60,
  perAddress: 10,
  perSticker: 5,
});

/**
 * The worker pool that renders meeting reports and large exports off the event loop
 * (src/workers/document-pool.ts): threads, how many may wait beyond them before a request is told the server
 * is busy (503), how long one may take, and below how many cells a table is written inline instead.
 */
export interface DocumentPoolLimits {
  readonly threads: number;
  readonly maxQueue: number;
  readonly timeoutMs: number;
  readonly inlineCells: number;
}

/** One core is left to the event loop (at least one thread on a one-core box). */
export const DEFAULT_DOCUMENT_POOL: DocumentPoolLimits = Object.freeze({
  threads: Math.max(1, availableParallelism() - 1),
  maxQueue: 16,
  timeoutMs: 30_000,
  inlineCells: 20_000,
});

export interface Config {
  /** NODE_ENV: development shows stack traces on the error page; production and test do not. */
  readonly env: Environment;
  /** PORT: where the server listens (default 3000). */
  readonly port: number;
  /** DATABASE_PATH: the SQLite file (default data/phoqr.sqlite under the project). */
  readonly databasePath: string;
  /** PHOQR_ADMIN_PASSWORD: password of the first admin when the database has no users; generated if unset. */
  readonly adminPassword: string | undefined;
  /** PUBLIC_BASE_URL: absolute address used in printed verification links (default http://localhost:PORT). */
  readonly publicBaseUrl: string;
  /** SESSION_DAYS: how long a login lasts (default 14). */
  readonly sessionDays: number;
  /** Cookies get the Secure flag when the public address is https. */
  readonly secureCookies: boolean;
  /**
   * TRUST_PROXY: whose X-Forwarded-For counts as the client's address (rate limits, the audit trail), in
   * express's terms: 'loopback' (default: a proxy on the same machine), a number of proxy hops, or a list of
   * addresses and subnets; 'false' trusts none.
   */
  readonly trustProxy: boolean | number | string;
  /** PHOQR_SEED_DEMO: "0" skips loading the demo programme into a new database (default: load it). */
  readonly seedDemo: boolean;
  /** PHOQR_HELP_LINE: the programme's help line printed on every sticker. */
  readonly helpLine: string;
  /**
   * PHOQR_ERASURE_JOURNAL: the file every withdrawal and erasure is appended to (default erasures.jsonl beside
   * the database), for `phoqr reapply-erasures` after a backup is restored; null for an in-memory database.
   */
  readonly erasureJournalPath: string | null;
  /** PHOQR_PASSWORD_COST: scrypt cost of new password hashes as log2 of N (default 15, N=2^15). */
  readonly passwordHashCost: number;
  /** Limits of the public report form (not read from the environment; tests set small ones). */
  readonly stickerReportLimits: StickerReportLimits;
  /** The report and export worker pool (not read from the environment; tests set small ones). */
  readonly documentPool: DocumentPoolLimits;
  /**
   * BACKUP_DIR: where the server writes a backup of the database once a day (phoqr-YYYY-MM-DD.sqlite, the
   * Vietnam day); unset: no automatic backups. BACKUP_KEEP: how many of those files to keep (default 14).
   */
  readonly dailyBackups: { readonly dir: string; readonly keep: number } | null;
  /**
   * PHOQR_FOLLOW_UP_DAYS: an installed stall with no follow-up visit (nor installation) for this many days is
   * due one, on the data-quality page and in the work lists alike (default 60, 1–365).
   */
  readonly followUpDays: number;
  /**
   * WEB_CONCURRENCY: how many worker processes serve HTTP on the one port (node:cluster, src/server.ts); unset:
   * one per core (os.availableParallelism()), or, in development, the one process serves with none forked.
   */
  readonly webConcurrency: number | undefined;
}

/** More workers than this is a typo: each holds its own copy of the adoption figures in memory. */
export const MAX_WEB_CONCURRENCY = 256;

/** Two weeks of daily backups: enough to go back past a mistake noticed at the next weekly meeting. */
export const DEFAULT_BACKUP_KEEP = 14;
/** An erasure cannot reach into a backup, so none is kept longer than the 30 days the README promises. */
export const MAX_BACKUP_KEEP = 30;

const DEFAULT_HELP_LINE = 'Cần hỗ trợ? Liên hệ Đoàn Thanh niên xã, phường nơi đặt sạp';

export class ConfigError extends Error {}

function parseInteger(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(`${name} phải là số nguyên, nhận được "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(`${name} phải trong khoảng ${min}–${max}, nhận được ${value}`);
  return value;
}

/** Unset means production: a server started without thinking must not show stack traces to users. */
/** TRUST_PROXY as express's 'trust proxy' takes it; 'true' (trust anyone's header) is refused as unsafe. */
function parseTrustProxy(raw: string | undefined): boolean | number | string {
  const value = (raw ?? '').trim();
  if (value === '') return 'loopback';
  if (value === 'false') return false;
  if (/^\d+$/.test(value)) return Number(value);
  if (value === 'true') {
    throw new ConfigError(
      'TRUST_PROXY=true tin mọi địa chỉ do người gửi tự khai; hãy ghi số proxy (ví dụ 1) hoặc địa chỉ của proxy.',
    );
  }
  if (!/^[0-9a-fA-F:.,/ a-z]+$/.test(value)) {
    throw new ConfigError(`TRUST_PROXY phải là loopback, false, một số, hoặc danh sách địa chỉ; nhận được "${value}"`);
  }
  return value;
}

/** PHOQR_SEED_DEMO: "1" or "0"; anything else ("false", "no") would silently load the demo. */
function parseSeedDemo(raw: string | undefined): boolean {
  if (raw === undefined || raw === '' || raw === '1') return true;
  if (raw === '0') return false;
  throw new ConfigError(`PHOQR_SEED_DEMO phải là 1 (nạp dữ liệu mẫu) hoặc 0 (không nạp), nhận được "${raw}"`);
}

function parseEnvironment(raw: string | undefined): Environment {
  if (raw === undefined || raw === '') return 'production';
  if (raw === 'development' || raw === 'production' || raw === 'test') return raw;
  throw new ConfigError(`NODE_ENV phải là development, production hoặc test, nhận được "${raw}"`);
}

/** Parses the environment once into a frozen object; a bad value fails start-up with a clear message. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  const port = parseInteger('PORT', source.PORT, 3000, 0, 65535);
  const publicBaseUrl = (source.PUBLIC_BASE_URL ?? `http://localhost:${port}`).replace(/\/+$/, '');
  // Printed on every sticker's verification link: only a web address a phone can open will do.
  if (!URL.canParse(publicBaseUrl) || !/^https?:$/.test(new URL(publicBaseUrl).protocol)) {
    throw new ConfigError(`PUBLIC_BASE_URL phải là địa chỉ http:// hoặc https:// hợp lệ, nhận được "${publicBaseUrl}"`);
  }
  if (source.BACKUP_KEEP && !source.BACKUP_DIR) {
    throw new ConfigError('BACKUP_KEEP chỉ có tác dụng khi có BACKUP_DIR (thư mục chứa bản sao lưu hằng ngày).');
  }
  const databasePath = path.resolve(projectRoot, source.DATABASE_PATH ?? 'data/phoqr.sqlite');
  return Object.freeze({
    env: parseEnvironment(source.NODE_ENV),
    port,
    databasePath,
    erasureJournalPath: source.PHOQR_ERASURE_JOURNAL
      ? path.resolve(projectRoot, source.PHOQR_ERASURE_JOURNAL)
      : path.join(path.dirname(databasePath), 'erasures.jsonl'),
    adminPassword: source.PHOQR_ADMIN_PASSWORD || undefined,
    publicBaseUrl,
    sessionDays: parseInteger('SESSION_DAYS', source.SESSION_DAYS, 14, 1, 365),
    secureCookies: publicBaseUrl.startsWith('https://'),
    trustProxy: parseTrustProxy(source.TRUST_PROXY),
    seedDemo: parseSeedDemo(source.PHOQR_SEED_DEMO),
    helpLine: (source.PHOQR_HELP_LINE ?? DEFAULT_HELP_LINE).normalize('NFC').trim() || DEFAULT_HELP_LINE,
    passwordHashCost: parseInteger(
      'PHOQR_PASSWORD_COST',
      source.PHOQR_PASSWORD_COST,
      DEFAULT_PASSWORD_HASH_COST,
      MIN_PASSWORD_HASH_COST,
      MAX_PASSWORD_HASH_COST,
    ),
    stickerReportLimits: DEFAULT_STICKER_REPORT_LIMITS,
    documentPool: DEFAULT_DOCUMENT_POOL,
    dailyBackups: source.BACKUP_DIR
      ? Object.freeze({
          dir: path.resolve(projectRoot, source.BACKUP_DIR),
          keep: parseInteger('BACKUP_KEEP', source.BACKUP_KEEP, DEFAULT_BACKUP_KEEP, 1, MAX_BACKUP_KEEP),
        })
      : null,
    followUpDays: parseInteger(
      'PHOQR_FOLLOW_UP_DAYS',
      source.PHOQR_FOLLOW_UP_DAYS,
      DEFAULT_FOLLOW_UP_DAYS,
      1,
      MAX_FOLLOW_UP_DAYS,
    ),
    webConcurrency: source.WEB_CONCURRENCY
      ? parseInteger('WEB_CONCURRENCY', source.WEB_CONCURRENCY, 1, 1, MAX_WEB_CONCURRENCY)
      : undefined,
  });
}

/**
 * A configuration for tests: in-memory values, nothing read from the environment. Passwords are hashed at the
 * cheapest scrypt cost (N=2): a test that logs in then costs microseconds instead of ~100 ms per hash.
 */
export function testConfig(overrides: Partial<Config> = {}): Config {
  return Object.freeze({
    env: 'test' as const,
    port: 0,
    databasePath: ':memory:',
    adminPassword: undefined,
    publicBaseUrl: 'http://localhost:3000',
    sessionDays: 14,
    secureCookies: false,
    trustProxy: 'loopback',
    seedDemo: false,
    helpLine: DEFAULT_HELP_LINE,
    passwordHashCost: MIN_PASSWORD_HASH_COST,
    stickerReportLimits: DEFAULT_STICKER_REPORT_LIMITS,
    documentPool: DEFAULT_DOCUMENT_POOL,
    erasureJournalPath: null,
    dailyBackups: null,
    followUpDays: DEFAULT_FOLLOW_UP_DAYS,
    webConcurrency: undefined,
    ...overrides,
  });
}
