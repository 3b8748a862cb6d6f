import type { DataAccess } from '../db/data-access.js';
import { siteInReach } from '../db/reach-sql.js';
import type { Reach } from '../vocabulary/reach.js';
import type { ReportOutcome, ReportProblem } from '../vocabulary/sticker-reports.js';

export type StickerStatus = 'valid' | 'revoked' | 'replaced';

/** The sticker a report is about, with where it is (for reach and the audit trail). */
export interface ReportedSticker {
  id: number;
  status: StickerStatus;
  stall_id: number;
  site_id: number;
  commune_code: string;
}

export interface NewStickerReport {
  stickerId: number;
  problem: ReportProblem;
  detail: string | null;
  phone: string | null;
  receivedAt: string;
}

/** A report as the work list shows it: with its sticker, stall and site. */
export interface StickerReportRow {
  id: number;
  sticker_id: number;
  problem: ReportProblem;
  detail: string | null;
  phone: string | null;
  received_at: string;
  status: 'open' | 'closed';
  outcome: ReportOutcome | null;
  serial: string;
  verification_code: string;
  sticker_status: StickerStatus;
  stall_id: number;
  stall_label: string;
  stall_status: string;
  site_id: number;
  site_name: string;
  commune_code: string;
}

export interface ReportClosing {
  by: number;
  at: string;
  outcome: ReportOutcome;
  note: string | null;
}

export function createStickerReportsRepo(data: DataAccess) {
  /** Reports joined to their sticker, stall and site, inside the reach (filtered here, in SQL). */
  function inReach(reach: Reach) {
    return data
      .db()
      .selectFrom('sticker_reports as r')
      .innerJoin('stickers as sk', 'sk.id', 'r.sticker_id')
      .innerJoin('stalls as st', 'st.id', 'sk.stall_id')
      .innerJoin('sites as si', 'si.id', 'st.site_id')
      .where((eb) => siteInReach(reach, { siteId: eb.ref('si.id'), communeCode: eb.ref('si.commune_code') }));
  }

  const REPORT_COLUMNS = [
    'r.id',
    'r.sticker_id',
    'r.problem',
    'r.detail',
    'r.phone',
    'r.received_at',
    'r.status',
    'r.outcome',
    'sk.serial',
    'sk.verification_code',
    'sk.status as sticker_status',
    'st.id as stall_id',
    'st.label as stall_label',
    'st.status as stall_status',
    'si.id as site_id',
    'si.name as site_name',
    'si.commune_code',
  ] as const;

  return {
    /** The sticker behind a verification code, whatever its status: an old sticker still in use is worth a report. */
    findSticker: (code: string): Promise<ReportedSticker | undefined> =>
      data
        .db()
        .selectFrom('stickers as sk')
        .innerJoin('stalls as st', 'st.id', 'sk.stall_id')
        .innerJoin('sites as si', 'si.id', 'st.site_id')
        .select(['sk.id', 'sk.status', 'sk.stall_id', 'si.id as site_id', 'si.commune_code'])
        .where('sk.verification_code', '=', code)
        .executeTakeFirst(),

    async insert(report: NewStickerReport): Promise<number> {
      const result = await data
        .db()
        .insertInto('sticker_reports')
        .values({
          sticker_id: report.stickerId,
          problem: report.problem,
          detail: report.detail,
          phone: report.phone,
          received_at: report.receivedAt,
        })
        .executeTakeFirstOrThrow();
      return Number(result.insertId);
    },

    /** Open reports inside the reach, newest first. */
    listOpen: (reach: Reach): Promise<StickerReportRow[]> =>
      inReach(reach)
        .select(REPORT_COLUMNS)
        .where('r.status', '=', 'open')
        .orderBy('r.received_at', 'desc')
        .orderBy('r.id', 'desc')
        .execute() as Promise<StickerReportRow[]>,

    async countOpen(reach: Reach): Promise<number> {
      const row = await inReach(reach)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('r.status', '=', 'open')
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },

    /** One report, open or closed, when it lies inside the reach. */
    findInReach: (id: number, reach: Reach): Promise<StickerReportRow | undefined> =>
      inReach(reach).select(REPORT_COLUMNS).where('r.id', '=', id).executeTakeFirst() as Promise<
        StickerReportRow | undefined
      >,

    /** Closes an open report and drops its phone (only kept for the call back); false when it was not open. */
    async close(id: number, closing: ReportClosing): Promise<boolean> {
      const result = await data
        .db()
        .updateTable('sticker_reports')
        .set({
          status: 'closed',
          closed_by: closing.by,
          closed_at: closing.at,
          outcome: closing.outcome,
          close_note: closing.note,
          phone: null,
        })
        .where('id', '=', id)
        .where('status', '=', 'open')
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
  };
}

export type StickerReportsRepo = ReturnType<typeof createStickerReportsRepo>;
