import { Router } from 'express';
import { addStatusCounts, coverage, emptyStatusCounts } from '../adoption/coverage.js';
import type { Clock } from '../clock.js';
import type { SitesService } from '../sites/sites-service.js';

/** Gap to target in percentage points; sites with no stalls sort last. */
function gapToTarget(site: { coverage: { ratio: number | null }; target_percent: number }): number {
  return site.coverage.ratio === null ? Number.POSITIVE_INFINITY : site.coverage.ratio * 100 - site.target_percent;
}

/** The programme at a glance: every site's coverage, furthest behind its target first. */
export function homeRoutes(sites: SitesService, clock: Clock): Router {
  const router = Router();
  router.get('/', (_req, res) => {
    const all = sites.listSites({});
    const ordered = [...all].sort((a, b) => gapToTarget(a) - gapToTarget(b));
    const total = all.reduce((sum, site) => addStatusCounts(sum, site.counts), emptyStatusCounts());
    res.render('home/index', {
      title: 'Tổng quan',
      sites: ordered,
      // Targets differ per site, so the programme total is shown as a figure, never as đạt / chưa đạt.
      programmeLabel: coverage(total, 100).label,
      achievedSites: all.filter((site) => site.coverage.achieved).length,
      asOf: clock.now().toISOString(),
    });
  });
  return router;
}
