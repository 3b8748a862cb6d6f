import { Router } from 'express';
import type { AdoptionService } from '../adoption/adoption-service.js';
import type { AdoptionScope } from '../adoption/adoption-types.js';
import type { Clock } from '../clock.js';
import { vietnamDate } from '../calendar/calendar.js';

/** The whole programme, the dashboard's default scope. */
const PROGRAMME: AdoptionScope = { kind: 'all' };

/**
 * The programme at a glance, as of today (Vietnam): its figures and every site, furthest behind its target
 * first. Everything comes from the adoption engine, as on /dashboard, so the two pages cannot disagree on
 * whether a site is đạt (a site in a campaign is measured against the campaign's target, not its own).
 */
export function homeRoutes(adoption: AdoptionService, clock: Clock): Router {
  const router = Router();
  router.get('/', async (_req, res) => {
    const asOf = vietnamDate(clock.now());
    res.render('home/index', {
      title: 'Tổng quan',
      asOf,
      figures: await adoption.figures(PROGRAMME, asOf),
      sites: await adoption.sites(PROGRAMME, asOf),
    });
  });
  return router;
}
