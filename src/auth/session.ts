import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import { ForbiddenError, SESSION_EXPIRED_MESSAGE, UnauthorizedError } from '../http/errors.js';
import type { UsersService } from '../users/users-service.js';
import type { Reach } from '../vocabulary/reach.js';
import type { Role } from '../vocabulary/roles.js';
import type { SessionsRepo } from './sessions-repo.js';

export const SESSION_COOKIE = 'phoqr_session';
/**
 * A visitor who has not logged in still needs a CSRF token for the public forms (logging in, a customer's
 * report): it lives in this cookie and in the form (double submit), so a visitor writes no session row.
 */
export const FORM_TOKEN_COOKIE = 'phoqr_form';
const FORM_TOKEN_MS = 24 * 60 * 60 * 1000;
const FORM_TOKEN_PATTERN = /^[A-Za-z0-9_-]{32}$/;

export interface ActiveSession {
  readonly tokenHash: string;
  readonly userId: number | null;
  readonly csrfToken: string;
}

export interface CurrentUser {
  readonly id: number;
  readonly username: string;
  readonly displayName: string;
  readonly role: Role;
  readonly reach: Reach;
  readonly mustChangePassword: boolean;
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      session?: ActiveSession;
      user?: CurrentUser;
    }
  }
}

function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const index = part.indexOf('=');
    if (index > 0 && part.slice(0, index).trim() === name) return part.slice(index + 1).trim();
  }
  return undefined;
}

export interface SessionsDeps {
  readonly sessions: SessionsRepo;
  /** Whose session it is: the session stores only the user's id. */
  readonly users: UsersService;
  readonly config: Config;
  readonly clock: Clock;
}

export function createSessions({ sessions, users, config, clock }: SessionsDeps) {
  function setCookie(res: Response, token: string, maxAgeMs: number): void {
    res.cookie(SESSION_COOKIE, token, {
      httpOnly: true,
      sameSite: 'lax',
      secure: config.secureCookies,
      path: '/',
      maxAge: maxAgeMs,
    });
  }

  /**
   * The CSRF token of a public form for a visitor without a session: the one their cookie holds, or a new one
   * set in a cookie only this site's own pages send (SameSite=Strict, not readable by scripts). No row.
   */
  function formToken(req: Request, res: Response): string {
    const held = readCookie(req.headers.cookie, FORM_TOKEN_COOKIE);
    const token = held && FORM_TOKEN_PATTERN.test(held) ? held : randomBytes(24).toString('base64url');
    if (token !== held) {
      res.cookie(FORM_TOKEN_COOKIE, token, {
        httpOnly: true,
        sameSite: 'strict',
        secure: config.secureCookies,
        path: '/',
        maxAge: FORM_TOKEN_MS,
      });
    }
    res.locals.csrfToken = token;
    return token;
  }

  /** Starts a new session (anonymous or for a user), replacing the request's old one to prevent fixation. */
  async function start(req: Request, res: Response, userId: number | null): Promise<ActiveSession> {
    if (req.session) await sessions.remove(req.session.tokenHash);
    const now = clock.now();
    const lifetime = userId === null ? FORM_TOKEN_MS : config.sessionDays * 24 * 60 * 60 * 1000;
    const token = randomBytes(32).toString('base64url');
    const session = { tokenHash: sha256(token), userId, csrfToken: randomBytes(24).toString('base64url') };
    await sessions.removeExpired(now.toISOString());
    await sessions.insert({
      token_hash: session.tokenHash,
      user_id: userId,
      csrf_token: session.csrfToken,
      created_at: now.toISOString(),
      expires_at: new Date(now.getTime() + lifetime).toISOString(),
    });
    setCookie(res, token, lifetime);
    req.session = session;
    res.locals.csrfToken = session.csrfToken;
    return session;
  }

  async function end(req: Request, res: Response): Promise<void> {
    if (req.session) await sessions.remove(req.session.tokenHash);
    req.session = undefined;
    req.user = undefined;
    res.clearCookie(SESSION_COOKIE, { path: '/' });
  }

  /**
   * Loads the session and its user from the cookie; an unknown, expired or disabled one is ignored. Async: express 5
   * sends a rejected promise to the error handler.
   */
  async function load(req: Request, _res: Response, next: NextFunction): Promise<void> {
    const token = readCookie(req.headers.cookie, SESSION_COOKIE);
    if (token) {
      const row = await sessions.findActive(sha256(token), clock.now().toISOString());
      if (row) {
        req.session = { tokenHash: row.token_hash, userId: row.user_id, csrfToken: row.csrf_token };
        const user = row.user_id === null ? undefined : await users.findWithReach(row.user_id);
        if (user?.active) {
          const { id, username, displayName, role, reach, mustChangePassword } = user;
          req.user = { id, username, displayName, role, reach, mustChangePassword };
        }
      }
    }
    next();
  }

  /** Ends every session of the user at once, wherever they are logged in; returns how many there were. */
  function endAllFor(userId: number): Promise<number> {
    return sessions.removeForUser(userId);
  }

  return { start, end, load, endAllFor, formToken };
}

export type Sessions = ReturnType<typeof createSessions>;

function tokensEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

const STALE_FORM = 'Phiên làm việc không hợp lệ hoặc đã hết hạn. Hãy tải lại trang rồi thử lại.';

/** The forms anyone may send: the login form and a customer's report from a sticker's check page. */
function isPublicForm(path: string): boolean {
  return path === '/login' || /^\/v\/[^/]+\/report$/.test(path);
}

/**
 * Every state-changing request must echo its session's CSRF token (form field `_csrf` or header); a public
 * form sent without a session, the token of its form cookie (see formToken).
 */
export function verifyCsrf(req: Request, res: Response, next: NextFunction): void {
  if (SAFE_METHODS.has(req.method)) return next();
  // No session at all: it expired (or was never there). Behind the login there is nothing to forge a request
  // for, so the answer is "log in again"; the public forms (logging in, a customer's report) have no login
  // to go back to, and say to reload the page.
  const body = req.body as Record<string, unknown> | undefined;
  const sent = typeof body?._csrf === 'string' ? body._csrf : req.get('x-csrf-token');
  if (!req.session) {
    if (!isPublicForm(req.path)) return next(new UnauthorizedError(SESSION_EXPIRED_MESSAGE));
    const held = readCookie(req.headers.cookie, FORM_TOKEN_COOKIE);
    if (!sent || !held || !tokensEqual(sent, held)) return next(new ForbiddenError(STALE_FORM));
    // The form drawn again (a wrong password, a field to fix) carries the same token.
    res.locals.csrfToken = held;
    return next();
  }
  if (!sent || !tokensEqual(sent, req.session.csrfToken)) {
    return next(new ForbiddenError(STALE_FORM));
  }
  next();
}
