import { readFileSync } from 'node:fs';
import { Router } from 'express';
import type { StaticAssets } from '../http/static-assets.js';
import { assetsDir } from '../paths.js';

/**
 * sw.js as the phone gets it: each '/static/<file>' it names becomes that file's hashed URL (the shell it keeps
 * offline is then exactly what the pages load), and its VERSION carries the hash of all the files, so any new
 * CSS or script is a new service worker: the browser installs it, which fetches the new shell and drops the
 * old cache.
 */
export function serviceWorkerSource(source: string, assets: Pick<StaticAssets, 'urls' | 'version'>): string {
  return source
    .replace(/'\/static\/([^']+)'/g, (literal, file: string) => {
      const hashed = assets.urls.get(file);
      return hashed ? `'${hashed}'` : literal;
    })
    .replace(
      /const VERSION = '([^']*)';/,
      (_line, version: string) => `const VERSION = '${version}-${assets.version}';`,
    );
}

/**
 * GET /sw.js: the service worker of the offline queue, served from the root so its scope is the whole app
 * (a script under /static could only control /static). It holds no personal data and is public; `no-cache`
 * makes the browser check for a new version at every navigation instead of keeping a day-old one.
 */
export function serviceWorkerRoutes(assets: Pick<StaticAssets, 'urls' | 'version'>): Router {
  const router = Router();
  const source = serviceWorkerSource(readFileSync(`${assetsDir}/public/js/sw.js`, 'utf8'), assets);
  router.get('/sw.js', (_req, res) => {
    res.set({ 'Cache-Control': 'no-cache', 'Content-Type': 'text/javascript; charset=utf-8' });
    res.send(source);
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
