import { Router } from 'express';
import { assetsDir } from '../paths.js';

/**
 * GET /sw.js: the service worker of the offline queue, served from the root so its scope is the whole app
 * (a script under /static could only control /static). It holds no personal data and is public; `no-cache`
 * makes the browser check for a new version at every navigation instead of keeping a day-old one.
 */
export function serviceWorkerRoutes(): Router {
  const router = Router();
  router.get('/sw.js', (_req, res) => {
    res.set({ 'Cache-Control': 'no-cache', 'Content-Type': 'text/javascript; charset=utf-8' });
    res.sendFile(`${assetsDir}/public/js/sw.js`);
  });
  return router;
}

/**
 * GET /api/v1/session: who is logged in and the session's CSRF token, for the phone's offline queue. A queued
 * submit is sent with the token of the session at send time (a re-login changes it), and only by its own user:
 * without a login the answer is 401 and the queue waits.
 */
export function sessionApiRoutes(): Router {
  const router = Router();
  router.get('/session', (req, res) => {
    res.json({ userId: req.user!.id, csrf: req.session!.csrfToken });
  });
  return router;
}
