import { Router } from 'express';
import type { Db } from '../db/database.js';
import { createAdminUnitsRepo } from './admin-units-repo.js';

/** JSON for the commune picker: `/api/v1/provinces` and `/api/v1/communes?q=…&province=…`. */
export function adminUnitsApiRoutes(db: Db): Router {
  const repo = createAdminUnitsRepo(db);
  const router = Router();

  router.get('/provinces', (_req, res) => {
    res.json(repo.listProvinces().map((p) => ({ code: p.code, name: p.name, type: p.unit_type })));
  });

  router.get('/communes', (req, res) => {
    const q = typeof req.query.q === 'string' ? req.query.q : '';
    const province = typeof req.query.province === 'string' && /^\d{2}$/.test(req.query.province) ? req.query.province : undefined;
    const rawLimit = Number(req.query.limit ?? 20);
    const limit = Number.isInteger(rawLimit) && rawLimit > 0 ? Math.min(rawLimit, 100) : 20;
    res.json(
      repo.searchCommunes(q, province, limit).map((c) => ({
        code: c.code,
        name: c.name,
        type: c.unit_type,
        province: { code: c.province_code, name: c.province_name },
      })),
    );
  });

  return router;
}
