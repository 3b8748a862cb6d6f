import { CHEAP_DEMO_HASHES } from '../helpers/db.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { buildApp } from '../../src/app.js';
import { openMigratedDatabase } from '../../src/bootstrap.js';
import { systemClock } from '../../src/clock.js';
import { testConfig } from '../../src/config.js';
import { sqliteDataAccess } from '../../src/db/data-access.js';
import type { Db } from '../../src/db/database.js';
import { seedDemo } from '../../src/demo/demo-seed.js';

export const ADMIN_PASSWORD = 'mat-khau-trinh-duyet';
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface BrowserHarness {
  readonly baseUrl: string;
  readonly db: Db;
  /** Demo users have random passwords: these get the admin's (ADMIN_PASSWORD), so a test can log in as them. */
  giveAdminPassword(...usernames: string[]): void;
  readonly browser: Browser;
  /** Waits until every sticker download so far is recorded (on its response's 'finish') or given up. */
  printsSettled(): Promise<void>;
  /**
   * A phone with a fresh context. Service workers are blocked unless asked for: playwright does not report a
   * worker's own fetches as the page's (a prefetch through it never "finishes", so networkidle never comes, and
   * bodies it answered read as redirects), which would blind the tests that watch the page's requests. The
   * offline tests ask for them with { serviceWorkers: 'allow' }.
   */
  newPhonePage(options?: { serviceWorkers?: 'allow' | 'block' }): Promise<{ context: BrowserContext; page: Page }>;
  /**
   * The line cut at the server too: every connection is dropped unanswered. playwright's setOffline does not
   * reach a service worker's own fetches in every version (microsoft/playwright#2311), so an offline test that
   * only set it could pass by the worker quietly using the network; with this the server is truly unreachable.
   */
  setServerReachable(reachable: boolean): void;
  /** Requests the server answered ("METHOD /path"), for a test to check what reached it. */
  readonly served: string[];
  close(): Promise<void>;
}

/**
 * The real app on a real SQLite file with the demo programme, served on a loopback port, and Debian's
 * chromium driven by playwright-core with a fresh profile and no background network.
 */
export async function startBrowserHarness(): Promise<BrowserHarness> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'phoqr-browser-'));
  const config = testConfig({ databasePath: path.join(dir, 'phoqr.sqlite') });
  const { db } = openMigratedDatabase(config);
  const data = sqliteDataAccess(db);
  const { app, services } = buildApp({ data, config, clock: systemClock });
  await services.users.ensureFirstAdmin(ADMIN_PASSWORD);
  await seedDemo(data, systemClock, CHEAP_DEMO_HASHES);
  let reachable = true;
  const served: string[] = [];
  const server: Server = await new Promise((resolve) => {
    const listening = createServer((req, res) => {
      if (!reachable) return req.socket.destroy();
      served.push(`${req.method} ${req.url}`);
      app(req, res);
    }).listen(0, '127.0.0.1', () => resolve(listening));
  });
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
      // No --user-data-dir here: playwright's launch() always passes a new empty temporary profile itself
      // (and refuses the flag), which is the fresh profile we want.
    ],
  });

  return {
    baseUrl,
    db,
    browser,
    printsSettled: () => services.stickers.settled(),
    served,
    setServerReachable(value) {
      reachable = value;
    },
    giveAdminPassword(...usernames) {
      const admins = db.prepare("SELECT password_hash FROM users WHERE username = 'admin'").pluck().get();
      const give = db.prepare('UPDATE users SET password_hash = ? WHERE username = ?');
      for (const username of usernames) {
        if (give.run(admins, username).changes !== 1) throw new Error(`no demo user ${username}`);
      }
    },
    async newPhonePage(options = {}) {
      const context = await browser.newContext({
        serviceWorkers: options.serviceWorkers ?? 'block',
        viewport: { width: 390, height: 844 },
        deviceScaleFactor: 2,
        isMobile: true,
        hasTouch: true,
        locale: 'vi-VN',
        baseURL: baseUrl,
      });
      const page = await context.newPage();
      return { context, page };
    },
    async close() {
      await browser.close();
      await new Promise((resolve) => server.close(resolve));
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function logIn(page: Page, username = 'admin', password = ADMIN_PASSWORD): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('Tên đăng nhập').fill(username);
  await page.getByLabel('Mật khẩu').fill(password);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
}

/** Screenshots land in test-output/ so a person can look at what the test saw. */
export async function screenshot(page: Page, name: string, fullPage = false): Promise<void> {
  await page.screenshot({ path: path.join('test-output', `${name}.png`), fullPage });
}

/** The page fits the phone's width: nothing makes the volunteer scroll sideways. */
export async function noSidewaysScroll(page: Page): Promise<void> {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
}
