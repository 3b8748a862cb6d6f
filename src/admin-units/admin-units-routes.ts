import { Router } from 'express';
import { actorOf } from '../http/params.js';
import { searchQuery } from '../text/search-query.js';
import type { AdminUnitsService } from './admin-units-service.js';

/**
 * JSON for the commune picker: `/api/v1/provinces` (all 34: public names) and `/api/v1/communes?q=…&province=…`
 * (only the communes the user's reach covers whole: the ones they may pick for a site or a volunteer; best first,
 * and `formerName` when a commune was found by an old name, e.g. "Phường Tam Quan Bắc").
 */
export function adminUnitsApiRoutes(adminUnits: AdminUnitsService): Router {
  const router = Router();

  router.get('/provinces', async (_req, res) => {
    const provinces = await adminUnits.listProvinces();
    res.json(provinces.map((p) => ({ code: p.code, name: p.name, type: p.unit_type })));
  });

  router.get('/communes', async (req, res) => {
    // A cut query is said in a header: the picker's answer stays the plain list it reads.
    const search = searchQuery(req.query.q);
    if (search.cut) res.set('X-Search-Cut', '1');
    const q = search.text;
    const province =
      typeof req.query.province === 'string' && /^\d{2}$/.test(req.query.province) ? req.query.province : undefined;
    const rawLimit = Number(req.query.limit ?? 20);
    const limit = Number.isInteger(rawLimit) && rawLimit > 0 ? Math.min(rawLimit, 100) : 20;
    // `near=52,23575`: the places the form is about, whose provinces rank first (at most 10 codes).
    const near = typeof req.query.near === 'string' ? req.query.near.split(',').slice(0, 10) : [];
    const communes = await adminUnits.searchCommunesFor(actorOf(req), q, province, limit, near);
    res.json(
      communes.map((c) => ({
        code: c.code,
        name: c.name,
        type: c.unit_type,
        province: { code: c.province_code, name: c.province_name },
        // Only when the commune was found by an old name: the picker shows "(trước đây: …)".
        ...(c.formerName ? { formerName: c.formerName } : {}),
      })),
    );
  });

  return router;
}
