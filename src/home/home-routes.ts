import { Router } from 'express';
import type { AdoptionService } from '../adoption/adoption-service.js';
import type { AdoptionScope } from '../adoption/adoption-types.js';
import type { Clock } from '../clock.js';
import { vietnamDate } from '../calendar/calendar.js';
import { actorOf } from '../http/params.js';
import { isEmptyReach } from '../vocabulary/reach.js';

/** Everything in the user's reach, the dashboard's default scope. */
const MY_REACH: AdoptionScope = { kind: 'all' };

export interface HomeRoutesDeps {
  readonly adoption: AdoptionService;
  readonly clock: Clock;
}

/**
 * The user's part of the programme at a glance, as of today (Vietnam): the figures of their reach and its
 * every site, furthest behind its target first — where every role lands after login (a leader of Gia Lai
 * sees Gia Lai, a commune's volunteer their commune). Everything comes from the adoption engine, as on
 * /dashboard, so the two pages cannot disagree on whether a site is đạt (a site in a campaign is measured
 * against the campaign's target, not its own).
 */
export function homeRoutes({ adoption, clock }: HomeRoutesDeps): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    const { reach } = actorOf(req);
    const asOf = vietnamDate(clock.now());
    const figures = await adoption.figures(reach, MY_REACH, asOf);
    res.render('home/index', {
      title: figures.scope.limited ? `Tổng quan · ${figures.scope.name}` : 'Tổng quan',
      asOf,
      figures,
      sites: await adoption.sites(reach, MY_REACH, asOf),
      noReach: isEmptyReach(reach),
    });
  });
  return router;
}
