import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/database.js';
import { loadMigrations, migrate } from '../../src/db/migrate.js';
import { migrationsDir } from '../../src/paths.js';
import { createDemoTestContext, createTestContext } from '../helpers/app.js';

const BANNER = '<strong>Dữ liệu mẫu</strong>';

describe('a database holding the demo programme says so on every page', () => {
  it('when the demo is loaded, then the login, the check and every page behind carry the banner', async () => {
    const context = await createDemoTestContext();
    expect((await request(context.app).get('/login').expect(200)).text).toContain(BANNER);
    expect((await request(context.app).get('/v').expect(200)).text).toContain(BANNER);
    const { agent } = await context.loginAs('admin', 'quan.tri');
    expect((await agent.get('/').expect(200)).text).toContain(BANNER);
    expect((await agent.get('/sites').expect(200)).text).toContain(BANNER);
    expect((await agent.get('/khong-co-trang-nay').expect(404)).text).toContain(BANNER);
  });

  it('when the registry is real (no demo), then no page carries it', async () => {
    const context = createTestContext();
    expect((await request(context.app).get('/login').expect(200)).text).not.toContain('Dữ liệu mẫu');
    const { agent } = await context.loginAs('admin', 'quan.tri');
    expect((await agent.get('/').expect(200)).text).not.toContain('Dữ liệu mẫu');
  });

  it('when a database was seeded before the mark existed, then the migration marks it by the demo team lead', () => {
    const migrations = loadMigrations(migrationsDir);
    const before = migrations.findIndex((migration) => migration.name.includes('demo_marker'));
    const db = openDatabase(':memory:');
    migrate(db, migrations, before);
    db.prepare(
      "INSERT INTO users (username, display_name, role, password_hash, created_at) VALUES ('totruong.hoalu', " +
        "'Trần Thị Thu Hà', 'team_lead', 'x', '2026-08-22T03:00:00.000Z')",
    ).run();
    migrate(db, migrations);
    expect(db.prepare('SELECT id, seeded_at FROM demo_programme').all()).toEqual([
      { id: 1, seeded_at: '2026-08-22T03:00:00.000Z' },
    ]);
  });
});
