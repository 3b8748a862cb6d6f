import request from 'supertest';
import type TestAgent from 'supertest/lib/agent.js';
import { buildApp } from '../../src/app.js';
import { fixedClock } from '../../src/clock.js';
import { testConfig, type Config } from '../../src/config.js';
import { sqliteDataAccess } from '../../src/db/data-access.js';
import type { Db } from '../../src/db/database.js';
import { mayHaveWholeCountry, type ReachUnit } from '../../src/vocabulary/reach.js';
import type { Role } from '../../src/vocabulary/roles.js';
import { createTestDb } from './db.js';
import { createDemoTestDb } from './demo-db.js';

export const TEST_NOW = '2026-11-22T03:00:00.000Z';
export const TEST_PASSWORD = 'mat-khau-thu-nghiem';

export function csrfFrom(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match) throw new Error('no _csrf field in page');
  return match[1]!;
}

/**
 * A fresh database (migrated and empty unless one is given, e.g. a demo copy from createDemoTestContext),
 * the real app on it, and a fixed clock; nothing shared between tests. Users get testConfig()'s cheap password
 * hashes, in the app and here alike. `configOverrides` change the app's configuration (e.g. small report limits).
 */
export function createTestContext(db: Db = createTestDb(), configOverrides: Partial<Config> = {}) {
  const clock = fixedClock(TEST_NOW);
  const errors: unknown[] = [];
  const config = testConfig(configOverrides);
  const data = sqliteDataAccess(db);
  // The app's own services: a test creates users the way the app would, on the same DataAccess.
  const { app, services } = buildApp({ data, config, clock, log: (error) => errors.push(error) });
  const { users } = services;

  /**
   * A user of the role; without a reach, admins and leaders get the whole country and the other roles every
   * province (they may not have the whole country), so a test that is not about reach sees all its sites.
   */
  async function createUser(username: string, role: Role, reach?: readonly ReachUnit[]): Promise<number> {
    const everyProvince = () =>
      (db.prepare('SELECT code FROM provinces ORDER BY code').pluck().all() as string[]).map((code) => ({
        kind: 'province' as const,
        code,
      }));
    return users.createUser({
      username,
      role,
      password: TEST_PASSWORD,
      displayName: `Người dùng ${username}`,
      reach: reach ?? (mayHaveWholeCountry(role) ? [] : everyProvince()),
    });
  }

  /** An agent logged in as a new user of that role, with the CSRF token of its session. */
  async function loginAs(role: Role, username = `${role.replace('_', '')}1`, reach?: readonly ReachUnit[]) {
    const userId = await createUser(username, role, reach);
    const agent: TestAgent = request.agent(app);
    const loginPage = await agent.get('/login');
    await agent
      .post('/login')
      .type('form')
      .send({ _csrf: csrfFrom(loginPage.text), username, password: TEST_PASSWORD })
      .expect(303);
    const home = await agent.get('/').expect(200);
    return { agent, userId, csrf: csrfFrom(home.text) };
  }

  return { db, data, clock, app, services, errors, createUser, loginAs };
}

/** createTestContext on a fresh copy of the demo programme seeded at TEST_NOW (seeded once per test process). */
export async function createDemoTestContext() {
  return createTestContext(await createDemoTestDb(fixedClock(TEST_NOW)));
}
