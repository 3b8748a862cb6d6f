import { Router } from 'express';
import { AUDIT_ACTION_LABELS, AUDIT_ENTITY_LABELS } from '../audit/audit-actions.js';
import { AUDIT_PER_PAGE, type AuditLogEntry, type AuditQuery, type AuditService } from '../audit/audit-service.js';
import { addDays, cutoffAfter, isIsoDate } from '../calendar/calendar.js';
import { formatDateTime } from '../http/format.js';
import { paginate, pagerView, parsePageNumber } from '../http/pagination.js';
import { actorOf } from '../http/params.js';
import type { DocumentPool } from '../workers/document-pool.js';

export interface AdminAuditRoutesDeps {
  readonly audit: AuditService;
  /** Writes the CSV: a long log is written on a worker thread (src/workers/document-pool.ts). */
  readonly documents: Pick<DocumentPool, 'csv'>;
}

/** The filters as typed in the form (kept to refill it and to build page links). */
interface AuditForm {
  readonly user: string;
  readonly entity: string;
  readonly action: string;
  readonly from: string;
  readonly to: string;
  readonly page: number;
}

/** Query text to filters: anything unknown is ignored, not an error (a link edited by hand). */
function formOf(query: Record<string, unknown>): AuditForm {
  const text = (name: string) => (typeof query[name] === 'string' ? (query[name] as string).trim().slice(0, 60) : '');
  return {
    user: text('user'),
    entity: Object.hasOwn(AUDIT_ENTITY_LABELS, text('entity')) ? text('entity') : '',
    action: /^[a-z_]+\.[a-z_]+$/.test(text('action')) ? text('action') : '',
    from: isIsoDate(text('from')) ? text('from') : '',
    to: isIsoDate(text('to')) ? text('to') : '',
    page: parsePageNumber(query.page),
  };
}

/** Vietnam calendar days, both included, as the ISO bounds of the log's `at`. */
function queryOf(form: AuditForm): AuditQuery {
  return {
    ...(form.user ? { username: form.user } : {}),
    ...(form.entity ? { entity: form.entity } : {}),
    ...(form.action ? { action: form.action } : {}),
    ...(form.from ? { from: cutoffAfter(addDays(form.from, -1)) } : {}),
    ...(form.to ? { to: cutoffAfter(form.to) } : {}),
  };
}

function linkOf(path: string, form: AuditForm): string {
  const query = new URLSearchParams();
  for (const name of ['user', 'entity', 'action', 'from', 'to'] as const) if (form[name]) query.set(name, form[name]);
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}

function whoOf(entry: AuditLogEntry): string {
  if (entry.user_id === null) return 'Hệ thống / công chúng';
  return entry.user_name ? `${entry.user_name} (${entry.username})` : `#${entry.user_id}`;
}

/**
 * /admin/audit: the processing log (Decree 356/2025) for admins (all of it) and team leads (the rows of their
 * reach's sites), filtered by user, kind of record, action and days, 50 rows a page, and the same rows as
 * CSV. Mounted at /admin, so that the CSV sits next to the page; every path is under /audit.
 */
export function adminAuditRoutes({ audit, documents }: AdminAuditRoutesDeps): Router {
  const router = Router();

  router.get('/audit', async (req, res) => {
    const form = formOf(req.query);
    const result = await audit.listFor(actorOf(req), queryOf(form), form.page);
    res.render('audit/list', {
      title: 'Nhật ký',
      ...result,
      form,
      actionLabels: AUDIT_ACTION_LABELS,
      entityLabels: AUDIT_ENTITY_LABELS,
      whoOf,
      csvUrl: linkOf('/admin/audit.csv', form),
      pager: pagerView(paginate(result.total, result.page, AUDIT_PER_PAGE), {
        path: '/admin/audit',
        query: { user: form.user, entity: form.entity, action: form.action, from: form.from, to: form.to },
        noun: 'dòng',
      }),
    });
  });

  router.get('/audit.csv', async (req, res) => {
    const entries = await audit.exportFor(actorOf(req), queryOf(formOf(req.query)));
    const csv = await documents.csv({
      sheetName: 'Nhật ký',
      columns: [
        { header: 'Thời điểm' },
        { header: 'Người thực hiện' },
        { header: 'Việc' },
        { header: 'Mã việc' },
        { header: 'Đối tượng' },
        { header: 'Mã đối tượng' },
        { header: 'Địa điểm' },
        { header: 'Thay đổi' },
        { header: 'Địa chỉ IP' },
      ],
      rows: entries.map((entry) => [
        formatDateTime(entry.at),
        whoOf(entry),
        entry.actionLabel,
        entry.action,
        entry.entityLabel,
        entry.entity_id,
        entry.site_name,
        entry.changeLines.join('; '),
        entry.address,
      ]),
    });
    res.type('text/csv; charset=utf-8');
    res.set('Content-Disposition', 'attachment; filename="nhat-ky.csv"');
    res.send(csv);
  });

  return router;
}
