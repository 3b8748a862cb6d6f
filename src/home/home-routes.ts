import { Router } from 'express';
import type { AdoptionService } from '../adoption/adoption-service.js';
import type { AdoptionScope } from '../adoption/adoption-types.js';
import type { Clock } from '../clock.js';
import { vietnamDate } from '../calendar/calendar.js';
import { parsePageNumber, pagerView, windowOf } from '../http/pagination.js';
import { actorOf } from '../http/params.js';
import { foldForSearch } from '../text/fold.js';
import { searchCutNotice, searchQuery, searchWords } from '../text/search-query.js';
import { isEmptyReach } from '../vocabulary/reach.js';
import type { WorklistsService } from '../worklists/worklists-service.js';
import { sitesBehind, targetsLabel } from '../adoption/sites-behind.js';

/** Everything in the user's reach, the dashboard's default scope. */
const MY_REACH: AdoptionScope = { kind: 'all' };

export interface HomeRoutesDeps {
  readonly adoption: AdoptionService;
  readonly clock: Clock;
  readonly worklists: Pick<WorklistsService, 'summary'>;
}

/**
 * The user's part of the programme at a glance, as of today (Vietnam): the figures of their reach and its
 * every site, furthest behind its target first — where every role lands after login (a leader of Gia Lai
 * sees Gia Lai, a commune's volunteer their commune). Everything comes from the adoption engine, as on
 * /dashboard, so the two pages cannot disagree on whether a site is đạt (a site in a campaign is measured
 * against the campaign's target, not its own).
 *
 * A volunteer's home is their work: the sites they are assigned to (or, without any, the sites of their reach,
 * with a word that nobody assigned them yet) and what waits there (worklists-service.ts).
 */
export function homeRoutes({ adoption, clock, worklists }: HomeRoutesDeps): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    const actor = actorOf(req);
    const { reach } = actor;
    const asOf = vietnamDate(clock.now());
    const figures = await adoption.figures(reach, MY_REACH, asOf);
    const work = actor.role === 'volunteer' ? await worklists.summary(actor) : null;
    const allSites = await adoption.sites(reach, MY_REACH, asOf);
    // Assigned sites lie inside the reach, so the engine's list of the reach holds each one's coverage.
    const assigned = new Set(work?.sites.map((site) => site.id) ?? []);
    const mine = assigned.size > 0 ? allSites.filter((site) => assigned.has(Number(site.key))) : allSites;
    // The engine gives every site of the reach, furthest behind first; the page shows one window of them, searched
    // by the site's or its commune's name (accent-insensitive), so the page stays small at 10,000 sites.
    const search = searchQuery(req.query.q);
    const words = searchWords(search.text);
    const matching =
      words.length === 0
        ? mine
        : mine.filter((site) => {
            const text = foldForSearch(`${site.name} ${site.commune.name}`);
            return words.every((word) => text.includes(word));
          });
    const { rows, pagination } = windowOf(matching, parsePageNumber(req.query.page));
    res.render('home/index', {
      title: figures.scope.limited ? `Tổng quan · ${figures.scope.name}` : 'Tổng quan',
      asOf,
      figures,
      sites: rows,
      siteCount: mine.length,
      query: search.text,
      searchNotice: searchCutNotice(search),
      pager: pagerView(pagination, { path: '/', query: { q: search.text }, fragment: 'sites', noun: 'địa điểm' }),
      noReach: isEmptyReach(reach),
      work,
      // The leader's way to "which sites are behind?" (one tap to /dashboard#behind) and the targets set.
      ...behindLink(allSites),
    });
  });
  return router;
}

/** The home's link to the dashboard's sites-behind list (its count) and the targets set on the reach's sites. */
function behindLink(sites: Parameters<typeof sitesBehind>[0]) {
  const behind = sitesBehind(sites);
  return { behindCount: behind.rows.length, targets: targetsLabel(behind.targets) };
}
