import { Router, type NextFunction, type Request, type Response } from 'express';
import { AccountLockedError, ForbiddenError, TooManyRequestsError } from '../http/errors.js';
import { withForm } from '../http/form-context.js';
import type { AccountAccess } from './account-access.js';
import type { Sessions } from './session.js';

export const PASSWORD_PAGE = '/account/password';

export interface PasswordRoutesDeps {
  readonly accountAccess: Pick<AccountAccess, 'changeOwnPassword'>;
  readonly sessions: Pick<Sessions, 'start'>;
}

function field(body: unknown, name: string): string {
  const value = (body as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : '';
}

/**
 * /account/password: everyone changes their own password here (the current one, then the new one twice);
 * a user given a one-time password must, before anything else (requireChosenPassword).
 */
export function passwordRoutes({ accountAccess, sessions }: PasswordRoutesDeps): Router {
  const router = Router();
  const page = { title: 'Đổi mật khẩu' };

  router.use((_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });

  router.get('/password', (_req, res) => {
    res.render('account/password', page);
  });

  router.post('/password', async (req, res) => {
    const user = req.user!;
    withForm(res, 'account/password', () => page);
    const input = {
      current: field(req.body, 'current_password'),
      next: field(req.body, 'new_password'),
      confirmation: field(req.body, 'confirm_password'),
    };
    try {
      await accountAccess.changeOwnPassword(user, input, req.ip ?? '');
    } catch (error) {
      // Throttled or locked: the form again with the reason, as the login form does.
      if (!(error instanceof TooManyRequestsError || error instanceof AccountLockedError)) throw error;
      if (error instanceof TooManyRequestsError) res.set('Retry-After', String(error.retryAfterSeconds));
      res.status(error.status).render('account/password', { ...page, formMessage: error.message });
      return;
    }
    // Every session of the user ended with the change (a stolen one too); this request gets a fresh one.
    await sessions.start(req, res, user.id);
    res.redirect(303, `${PASSWORD_PAGE}?changed=1`);
  });

  return router;
}

/**
 * A user who logged in with a one-time password sees only the password page (and may log out) until they
 * have chosen their own: pages redirect there, anything else is refused with 403.
 */
export function requireChosenPassword(req: Request, res: Response, next: NextFunction): void {
  if (!req.user?.mustChangePassword) return next();
  if ((req.method === 'GET' || req.method === 'HEAD') && req.accepts(['html', 'json']) === 'html') {
    return res.redirect(PASSWORD_PAGE);
  }
  next(new ForbiddenError('Bạn cần đổi mật khẩu dùng một lần trước khi tiếp tục.'));
}
