import type { Actor } from '../actor.js';
import { pagerView } from '../http/pagination.js';
import type { SitesService } from '../sites/sites-service.js';
import type { StallsService } from '../stalls/stalls-service.js';
import type { StickersService } from '../stickers/stickers-service.js';
import { FORMAT_LABELS } from '../vocabulary/sticker-format-labels.js';
import { ROLE_LABELS } from '../vocabulary/roles.js';
import type { AssignmentsService } from '../worklists/assignments-service.js';

export interface SiteFilters {
  status: string;
  query: string;
  /** The page of the stall list asked for (1 when absent; past the end, the last). */
  page?: number;
  /** A stall just added: its page of the list is shown, whatever `page` says. */
  showing?: number;
}

/**
 * Everything the site page shows; its GET builds it, and every form on it when a submit fails. The services
 * check the actor's reach (404 outside) and leave owner names out for roles that do not work stalls.
 */
export function createSitePage(
  sites: SitesService,
  stalls: StallsService,
  stickers: StickersService,
  assignments: Pick<AssignmentsService, 'forSite'>,
) {
  return async (actor: Actor, siteId: number, filters: SiteFilters = { status: '', query: '' }) => {
    const site = await sites.getSite(actor, siteId);
    const listed = await stalls.listPageForSite(actor, site.id, filters, filters.page ?? 1, filters.showing);
    const query = { q: filters.query, status: filters.status };
    return {
      title: site.name,
      site,
      stalls: listed.stalls,
      pager: pagerView(listed.pagination, { path: `/sites/${site.id}`, query, fragment: 'stalls', noun: 'sạp' }),
      filters,
      printable: await stickers.countPrintable(actor, site.id),
      formatLabels: FORMAT_LABELS,
      // "Người phụ trách": who works the site, and whom a team lead may add.
      assignments: await assignments.forSite(actor, site.id),
      roleLabels: ROLE_LABELS,
    };
  };
}

export type SitePage = ReturnType<typeof createSitePage>;
