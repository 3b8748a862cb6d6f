import type { RequestHandler } from 'express';
import { GOODS_CATEGORIES } from '../vocabulary/goods-categories.js';
import { REFUSAL_REASON_LABELS, STALL_STATUS_LABELS, STALL_STATUSES } from '../vocabulary/stall-status.js';
import { SITE_KIND_LABELS } from '../vocabulary/site-kinds.js';
import { RETIRE_REASON_LABELS } from '../vocabulary/retire-reasons.js';
import { RIGHTS_REASON_LABELS } from '../vocabulary/data-rights.js';
import { can, ROLE_LABELS, type Permission } from '../vocabulary/roles.js';
import { STICKER_STATUS_LABELS, TERMS } from '../vocabulary/terms.js';
import { formatDecimal, formatSigned } from '../text/numbers.js';
import { formatDate, formatDateTime } from './format.js';
import { formatCount } from './pagination.js';

function plainAsset(file: string): string {
  return `/static/${file}`;
}

/**
 * What every view may use, set first for every request: labels, formatters and a visitor with no session.
 * An error met before the session is read (a body too large, a malformed URL) still renders the app's page.
 */
export const viewLocals: RequestHandler = (req, res, next) => {
  Object.assign(res.locals, {
    // The content-hashed URL of a file under assets/public (app.locals.asset, static-assets.ts); the plain
    // path in an app built without it.
    asset: (req.app.locals.asset as ((file: string) => string) | undefined) ?? plainAsset,
    currentUser: undefined,
    csrfToken: '',
    currentPath: req.path,
    currentQuery: req.query,
    can: () => false,
    labels: {
      status: STALL_STATUS_LABELS,
      statuses: STALL_STATUSES,
      refusal: REFUSAL_REASON_LABELS,
      goods: GOODS_CATEGORIES,
      siteKind: SITE_KIND_LABELS,
      role: ROLE_LABELS,
      retireReason: RETIRE_REASON_LABELS,
      rightsReason: RIGHTS_REASON_LABELS,
      stickerStatus: STICKER_STATUS_LABELS,
    },
    // One name per thing (src/vocabulary/terms.ts): "Mã xác minh", "Số tem", …
    terms: TERMS,
    formatCount,
    formatDate,
    formatDateTime,
    formatDecimal,
    formatSigned,
    values: {},
    errors: {},
  });
  next();
};

/** The logged-in user (if any) and their CSRF token, once the session is read. */
export const userLocals: RequestHandler = (req, res, next) => {
  const user = req.user;
  Object.assign(res.locals, {
    currentUser: user,
    csrfToken: req.session?.csrfToken ?? '',
    can: (permission: Permission) => (user ? can(user.role, permission) : false),
  });
  next();
};
