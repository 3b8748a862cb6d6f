import { Router } from 'express';
import type { Actor } from '../actor.js';
import type { Commune, Province } from '../admin-units/admin-units-service.js';
import { withForm, type PageBuilder } from '../http/form-context.js';
import { parsePageNumber, pagerView } from '../http/pagination.js';
import { actorOf, type ParamLoader } from '../http/params.js';
import type { StallsService } from '../stalls/stalls-service.js';
import { searchCutNotice, searchQuery } from '../text/search-query.js';
import { isSiteKind } from '../vocabulary/site-kinds.js';
import type { SiteRow, SitesService } from './sites-service.js';

function queryText(value: unknown): string {
  return typeof value === 'string' ? value.slice(0, 100) : '';
}

export interface SitesRoutesDeps {
  readonly sites: SitesService;
  readonly stalls: StallsService;
  readonly adminUnits: {
    listProvinces(): Promise<Province[]>;
    findCommune(code: string): Promise<Commune | undefined>;
  };
  readonly sitePage: PageBuilder<[Actor, number, { status: string; query: string; page?: number; showing?: number }?]>;
  readonly siteParam: ParamLoader<SiteRow>;
}

/** /sites: the list, the site form, a site's page and adding a stall to it. */
export function sitesRoutes({ sites, stalls, adminUnits, sitePage, siteParam }: SitesRoutesDeps): Router {
  const router = Router();
  router.param('siteId', siteParam.param);

  router.get('/', async (req, res) => {
    const search = searchQuery(req.query.q);
    const filters = {
      provinceCode: /^\d{2}$/.test(queryText(req.query.province)) ? queryText(req.query.province) : undefined,
      communeCode: /^\d{5}$/.test(queryText(req.query.commune)) ? queryText(req.query.commune) : undefined,
      kind: isSiteKind(req.query.kind) ? req.query.kind : undefined,
      query: search.text,
    };
    const { sites: shown, pagination } = await sites.listSitesPage(
      actorOf(req),
      filters,
      parsePageNumber(req.query.page),
    );
    const query = {
      q: filters.query,
      province: filters.provinceCode,
      commune: filters.communeCode,
      kind: filters.kind,
    };
    res.render('sites/list', {
      title: 'Địa điểm',
      searchNotice: searchCutNotice(search),
      sites: shown,
      pager: pagerView(pagination, { path: '/sites', query, noun: 'địa điểm' }),
      provinces: await adminUnits.listProvinces(),
      selectedCommune: filters.communeCode ? await adminUnits.findCommune(filters.communeCode) : undefined,
      filters,
    });
  });

  router.get('/new', (req, res) => {
    sites.assertCanManage(actorOf(req));
    res.render('sites/form', { title: 'Thêm địa điểm', site: undefined, values: { target_percent: '70' } });
  });

  router.post('/', async (req, res) => {
    withForm(res, 'sites/form', () => ({ title: 'Thêm địa điểm', site: undefined }));
    const id = await sites.createSite(actorOf(req), req.body);
    res.redirect(303, `/sites/${id}?saved=site`);
  });

  router.get('/:siteId', async (req, res) => {
    const search = searchQuery(req.query.q);
    const addedId = Number(queryText(req.query.added));
    const filters = {
      status: queryText(req.query.status),
      query: search.text,
      page: parsePageNumber(req.query.page),
      ...(Number.isSafeInteger(addedId) && addedId > 0 && { showing: addedId }),
    };
    const page = await sitePage(actorOf(req), siteParam.of(res).id, filters);
    // Right after "Thêm sạp": the panel stays open for the next stall, saying which one was saved.
    const listed = page.stalls as readonly { id: number; label: string }[];
    const added = listed.find((stall) => String(stall.id) === queryText(req.query.added));
    res.render('sites/show', {
      ...page,
      searchNotice: searchCutNotice(search),
      values: {},
      ...(added && { addStallOpen: true, addedStall: { id: added.id, label: added.label }, focusLabel: true }),
    });
  });

  router.get('/:siteId/edit', async (req, res) => {
    const site = await sites.siteForEdit(actorOf(req), siteParam.of(res).id);
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

  router.post('/:siteId', async (req, res) => {
    const site = siteParam.of(res);
    withForm(res, 'sites/form', () => ({ title: `Sửa ${site.name}`, site }));
    await sites.updateSite(actorOf(req), site.id, req.body);
    res.redirect(303, `/sites/${site.id}?saved=site`);
  });

  router.post('/:siteId/stalls', async (req, res) => {
    const site = siteParam.of(res);
    withForm(res, 'sites/show', async () => ({ ...(await sitePage(actorOf(req), site.id)), addStallOpen: true }));
    const id = await stalls.createStall(actorOf(req), site.id, req.body);
    // No #fragment: a page opened at a fragment does not autofocus, and the label should have the cursor.
    res.redirect(303, `/sites/${site.id}?added=${id}`);
  });

  return router;
}
