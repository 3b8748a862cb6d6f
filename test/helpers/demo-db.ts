import type { Clock } from '../../src/clock.js';
import { openDatabase, type Db } from '../../src/db/database.js';
import { sqliteDataAccess } from '../../src/db/data-access.js';
import { seedDemo } from '../../src/demo/demo-seed.js';
import { CHEAP_DEMO_HASHES, createTestDb } from './db.js';

/** Serialized demo programmes of this test process, one per seeding instant. */
const demoImages = new Map<number, Promise<Buffer>>();

async function seededImage(clock: Clock): Promise<Buffer> {
  const template = createTestDb();
  await seedDemo(sqliteDataAccess(template), clock, CHEAP_DEMO_HASHES);
  const image = template.serialize();
  template.close();
  return image;
}

/**
 * A fresh in-memory database holding the demo programme as `seedDemo` writes it at `clock.now()`: one per
 * test, never shared. The demo is seeded once per test process and instant (seeding hashes 16 passwords
 * with scrypt, seconds on a loaded machine) and each test opens a copy with `openDatabase`. The copies share the
 * demo users' salted password hashes, which no test reads; tests that are about seeding itself (or need a
 * seed on a database they prepared) call `seedDemo` directly.
 */
export async function createDemoTestDb(clock: Clock): Promise<Db> {
  const at = clock.now().getTime();
  let image = demoImages.get(at);
  if (!image) {
    image = seededImage(clock);
    demoImages.set(at, image);
  }
  return openDatabase(await image);
}
