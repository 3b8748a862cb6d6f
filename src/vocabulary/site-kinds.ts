export const SITE_KINDS = ['street', 'market', 'trade_centre'] as const;
export type SiteKind = (typeof SITE_KINDS)[number];

export const SITE_KIND_LABELS: Record<SiteKind, string> = {
  street: 'Tuyến phố',
  market: 'Chợ',
  trade_centre: 'Trung tâm thương mại',
};

export function isSiteKind(value: unknown): value is SiteKind {
  return typeof value === 'string' && (SITE_KINDS as readonly string[]).includes(value);
}
