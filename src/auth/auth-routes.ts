import { Router, type NextFunction, type Request, type Response } from 'express';
import {
  AccountLockedError,
  SESSION_EXPIRED_MESSAGE,
  TooManyRequestsError,
  UnauthorizedError,
} from '../http/errors.js';
import { withForm } from '../http/form-context.js';
import type { AuthService } from './auth-service.js';
import type { Sessions } from './session.js';

/** Only local paths may follow a login, so a crafted link cannot send the user to another site. */
export function safeNextPath(raw: unknown): string {
  return typeof raw === 'string' && raw.startsWith('/') && !raw.startsWith('//') && !raw.startsWith('/\\') ? raw : '/';
}

/**
 * On a shared phone, logout asks the browser to drop what this site stored (drafts in localStorage, among
 * others). Only a help: browsers honour it over HTTPS and on localhost only (Chromium 61+, Firefox 63+, Safari
 * 17+) and ignore it elsewhere, so logout.js removes the user's drafts itself before the form is sent.
 * Not "cache": Chromium then clears the origin's whole HTTP cache before it goes on, which is known to hold a
 * logout for seconds (crbug.com/41343050, crbug.com/40233601; Rails' generated login and MDN's playground
 * dropped it for that), and with `no-store` on every logged-in answer the cache holds nothing personal.
 */
export const LOGOUT_CLEAR_SITE_DATA = '"storage"';

export function authRoutes(auth: AuthService, sessions: Sessions): Router {
  const router = Router();

  router.get('/login', async (req, res) => {
    if (req.user) return res.redirect(safeNextPath(req.query.next));
    if (!req.session) sessions.formToken(req, res);
    res.render('auth/login', { title: 'Đăng nhập', values: { next: safeNextPath(req.query.next) }, errors: {} });
  });

  router.post('/login', async (req, res) => {
    const body = req.body as Record<string, string | undefined>;
    withForm(res, 'auth/login', () => ({ title: 'Đăng nhập' }));
    const username = String(body.username ?? '');
    let userId: number;
    try {
      userId = await auth.authenticate(username, String(body.password ?? ''), req.ip ?? '');
    } catch (error) {
      // Throttled or locked: the login form again, with the reason next to it (a ValidationError is the
      // error handler's, which re-renders the form with 400).
      if (!(error instanceof TooManyRequestsError || error instanceof AccountLockedError)) throw error;
      if (error instanceof TooManyRequestsError) res.set('Retry-After', String(error.retryAfterSeconds));
      res.status(error.status).render('auth/login', {
        title: 'Đăng nhập',
        values: { username, next: safeNextPath(body.next) },
        errors: {},
        formMessage: error.message,
      });
      return;
    }
    await sessions.start(req, res, userId);
    res.redirect(303, safeNextPath(body.next));
  });

  router.post('/logout', async (req, res) => {
    await sessions.end(req, res);
    res.set('Cache-Control', 'no-store');
    // Stalls queued offline and not sent yet must survive the logout (they wait for this user, hidden from anyone
    // else): "storage" would wipe IndexedDB with them. logout.js then says so and has removed the drafts itself.
    const keepsQueue = (req.body as Record<string, unknown> | undefined)?.keep_offline_queue === '1';
    if (!keepsQueue) res.set('Clear-Site-Data', LOGOUT_CLEAR_SITE_DATA);
    res.redirect(303, '/login');
  });

  return router;
}

/** Pages need a logged-in user; a visitor is sent to /login and brought back afterwards. */
export function requireLogin(req: Request, res: Response, next: NextFunction): void {
  if (req.user) return next();
  if (req.method === 'GET' && req.accepts(['html', 'json']) === 'html') {
    return res.redirect(`/login?next=${encodeURIComponent(req.originalUrl)}`);
  }
  next(new UnauthorizedError(req.method === 'GET' ? undefined : SESSION_EXPIRED_MESSAGE));
}
