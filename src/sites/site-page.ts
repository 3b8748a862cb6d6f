import type { StallsService } from '../stalls/stalls-service.js';
import type { StickersService } from '../stickers/stickers-service.js';
import { FORMAT_LABELS } from '../vocabulary/sticker-format-labels.js';
import type { SitesService } from './sites-service.js';

/** Everything the site page shows; shared by its GET and by every form on it that may be re-rendered. */
export function createSitePage(sites: SitesService, stalls: StallsService, stickers: StickersService) {
  return (siteId: number, filters: { status: string; query: string } = { status: '', query: '' }) => {
    const site = sites.getSite(siteId);
    return {
      title: site.name,
      site,
      stalls: stalls.listForSite(site.id, filters),
      filters,
      printable: stickers.countPrintable(site.id),
      formatLabels: FORMAT_LABELS,
    };
  };
}

export type SitePage = ReturnType<typeof createSitePage>;
