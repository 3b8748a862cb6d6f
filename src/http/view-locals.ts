import type { RequestHandler } from 'express';
import { GOODS_CATEGORIES } from '../vocabulary/goods-categories.js';
import { REFUSAL_REASON_LABELS, STALL_STATUS_LABELS, STALL_STATUSES } from '../vocabulary/stall-status.js';
import { SITE_KIND_LABELS } from '../vocabulary/site-kinds.js';
import { RETIRE_REASON_LABELS } from '../vocabulary/retire-reasons.js';
import { RIGHTS_REASON_LABELS } from '../vocabulary/data-rights.js';
import { can, ROLE_LABELS, type Permission } from '../vocabulary/roles.js';
import { formatDecimal, formatSigned } from '../text/numbers.js';
import { formatDate, formatDateTime } from './format.js';

/** What every view may use: the user, the CSRF token, labels and formatters. */
export const viewLocals: RequestHandler = (req, res, next) => {
  const user = req.user;
  Object.assign(res.locals, {
    currentUser: user,
    csrfToken: req.session?.csrfToken ?? '',
    currentPath: req.path,
    currentQuery: req.query,
    can: (permission: Permission) => (user ? can(user.role, permission) : false),
    labels: {
      status: STALL_STATUS_LABELS,
      statuses: STALL_STATUSES,
      refusal: REFUSAL_REASON_LABELS,
      goods: GOODS_CATEGORIES,
      siteKind: SITE_KIND_LABELS,
      role: ROLE_LABELS,
      retireReason: RETIRE_REASON_LABELS,
      rightsReason: RIGHTS_REASON_LABELS,
    },
    formatDate,
    formatDateTime,
    formatDecimal,
    formatSigned,
    values: {},
    errors: {},
  });
  next();
};
