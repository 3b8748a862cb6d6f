import type { RequestHandler } from 'express';

/**
 * What a logged-in user is sent (pages, exports, JSON) holds personal data or what only a login may see: no copy
 * of it may stay in the phone's cache, where the next person using the phone would find it through Back or the
 * history list. `no-store` also makes Back refetch the page, so after logout it answers with the login page.
 */
export const noStore: RequestHandler = (_req, res, next) => {
  res.set('Cache-Control', 'no-store');
  next();
};
