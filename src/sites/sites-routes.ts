import { Router, type Request } from 'express';
import type { Actor } from '../actor.js';
import { createAdminUnitsRepo } from '../admin-units/admin-units-legacy-repo.js';
import type { Db } from '../db/database.js';
import { NotFoundError } from '../http/errors.js';
import { withForm } from '../http/form-context.js';
import type { StallsService } from '../stalls/stalls-service.js';
import type { SitePage } from './site-page.js';
import { isSiteKind } from '../vocabulary/site-kinds.js';
import type { SitesService } from './sites-service.js';

export function actorOf(req: Request): Actor {
  return { id: req.user!.id, role: req.user!.role };
}

/** Route ids are positive integers; anything else is a 404, not a 500. */
export function parseId(raw: unknown): number {
  const id = typeof raw === 'string' && /^[1-9]\d{0,15}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(id)) throw new NotFoundError();
  return id;
}

function queryText(value: unknown): string {
  return typeof value === 'string' ? value.slice(0, 100) : '';
}

export function sitesRoutes(db: Db, sites: SitesService, stalls: StallsService, sitePage: SitePage): Router {
  const adminUnits = createAdminUnitsRepo(db);
  const router = Router();

  router.get('/', (req, res) => {
    const filters = {
      provinceCode: /^\d{2}$/.test(queryText(req.query.province)) ? queryText(req.query.province) : undefined,
      communeCode: /^\d{5}$/.test(queryText(req.query.commune)) ? queryText(req.query.commune) : undefined,
      kind: isSiteKind(req.query.kind) ? req.query.kind : undefined,
      query: queryText(req.query.q),
    };
    res.render('sites/list', {
      title: 'Địa điểm',
      sites: sites.listSites(filters),
      provinces: adminUnits.listProvinces(),
      selectedCommune: filters.communeCode ? adminUnits.findCommune(filters.communeCode) : undefined,
      filters,
    });
  });

  router.get('/new', (_req, res) => {
    res.render('sites/form', { title: 'Thêm địa điểm', site: undefined, values: { target_percent: '70' } });
  });

  router.post('/', (req, res) => {
    withForm(res, 'sites/form', { title: 'Thêm địa điểm', site: undefined });
    const id = sites.createSite(actorOf(req), req.body);
    res.redirect(303, `/sites/${id}`);
  });

  router.get('/:siteId', (req, res) => {
    const filters = { status: queryText(req.query.status), query: queryText(req.query.q) };
    res.render('sites/show', { ...sitePage(parseId(req.params.siteId), filters), values: {} });
  });

  router.get('/:siteId/edit', (req, res) => {
    const site = sites.getSite(parseId(req.params.siteId));
    res.render('sites/form', {
      title: `Sửa ${site.name}`,
      site,
      values: {
        kind: site.kind,
        name: site.name,
        commune_code: site.commune_code,
        commune_query: `${site.commune_name}, ${site.province_name}`,
        address: site.address,
        target_percent: String(site.target_percent),
        launched_on: site.launched_on ?? '',
        target_deadline: site.target_deadline ?? '',
        note: site.note,
      },
    });
  });

  router.post('/:siteId', (req, res) => {
    const site = sites.getSite(parseId(req.params.siteId));
    withForm(res, 'sites/form', { title: `Sửa ${site.name}`, site });
    sites.updateSite(actorOf(req), site.id, req.body);
    res.redirect(303, `/sites/${site.id}`);
  });

  router.post('/:siteId/stalls', (req, res) => {
    const page = sitePage(parseId(req.params.siteId));
    const { site } = page;
    withForm(res, 'sites/show', { ...page, addStallOpen: true });
    const id = stalls.createStall(actorOf(req), site.id, req.body);
    res.redirect(303, `/sites/${site.id}?added=${id}#stall-${id}`);
  });

  return router;
}
