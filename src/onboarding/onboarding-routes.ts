import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import type { Actor } from '../actor.js';
import { withForm, type PageBuilder, type PageLocals } from '../http/form-context.js';
import { photoOf } from '../http/multipart.js';
import { parsePageNumber, pagerView, windowOf } from '../http/pagination.js';
import { actorOf, type ParamLoader } from '../http/params.js';
import type { SiteRow } from '../sites/sites-service.js';
import type { OnboardingService } from './onboarding-service.js';
import { searchCutNotice, searchQuery } from '../text/search-query.js';

export interface OnboardingRoutesDeps {
  readonly onboarding: OnboardingService;
  readonly formPage: PageBuilder<[Actor, number]>;
  readonly siteParam: ParamLoader<SiteRow>;
}

/** /onboard: the guided flow at the counter — pick the site, then register stall + account. */
export function onboardingRoutes({ onboarding, formPage, siteParam }: OnboardingRoutesDeps): Router {
  const router = Router();
  router.param('siteId', siteParam.param);

  router.get('/', async (req, res) => {
    const search = searchQuery(req.query.q);
    const pick = await onboarding.pickSite(actorOf(req), search.text);
    // One page of the matches: a short word ("chợ") matches most of a province's sites.
    const { rows, pagination } = windowOf(pick.results, parsePageNumber(req.query.page));
    res.render('onboarding/pick-site', {
      title: 'Thêm sạp tại quầy',
      ...pick,
      results: rows,
      pager: pagerView(pagination, { path: '/onboard', query: { q: search.text }, noun: 'địa điểm' }),
      query: search.text,
      searchNotice: searchCutNotice(search),
    });
  });

  router.get('/sites/:siteId', async (req, res) => {
    const locals: PageLocals = await formPage(actorOf(req), siteParam.of(res).id);
    res.render('onboarding/form', { ...locals, values: { idempotency_key: randomUUID() } });
  });

  router.post('/sites/:siteId', async (req, res) => {
    const siteId = siteParam.of(res).id;
    withForm(res, 'onboarding/form', () => formPage(actorOf(req), siteId));
    const result = await onboarding.onboard(actorOf(req), siteId, req.body ?? {}, photoOf(req));
    // The phone's offline queue sends with fetch and only needs where the stall landed, not the next page.
    if (req.accepts(['html', 'json']) === 'json') {
      res.json({ stallId: result.stallId, resultUrl: result.resultUrl, replayed: result.replayed });
      return;
    }
    res.redirect(303, result.resultUrl);
  });

  return router;
}
