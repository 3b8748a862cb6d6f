import type { DataAccess } from '../db/data-access.js';
import { siteInReach } from '../db/reach-sql.js';
import type { PayeeChangeKind, PayeeChangeStatus } from '../vocabulary/payee-changes.js';
import type { Reach } from '../vocabulary/reach.js';
import type { RetireReason } from '../vocabulary/retire-reasons.js';

/** A request to change a stall's payee (migrations/0014_payee_changes.sql). */
export interface PayeeChangeRow {
  id: number;
  stall_id: number;
  kind: PayeeChangeKind;
  account_id: number;
  from_account_id: number | null;
  reason: string;
  retire_reason: RetireReason | null;
  requested_by: number;
  requested_at: string;
  status: PayeeChangeStatus;
  decided_by: number | null;
  decided_at: string | null;
  decision_note: string;
}

/** A pending request with what the work list shows beside it: the stall, its site, the accounts, who asked. */
export interface PendingPayeeChangeRow extends PayeeChangeRow {
  stall_label: string;
  business_name: string;
  site_id: number;
  site_name: string;
  requester_name: string;
  bin: string;
  account_number: string;
  from_bin: string | null;
  from_account_number: string | null;
}

export interface NewPayeeChange {
  stallId: number;
  kind: PayeeChangeKind;
  accountId: number;
  fromAccountId: number | null;
  reason: string;
  retireReason: RetireReason | null;
  by: number;
  at: string;
}

const COLUMNS = [
  'pc.id',
  'pc.stall_id',
  'pc.kind',
  'pc.account_id',
  'pc.from_account_id',
  'pc.reason',
  'pc.retire_reason',
  'pc.requested_by',
  'pc.requested_at',
  'pc.status',
  'pc.decided_by',
  'pc.decided_at',
  'pc.decision_note',
] as const;

export function createPayeeChangesRepo(data: DataAccess) {
  const requests = () => data.db().selectFrom('payee_changes as pc').select(COLUMNS);

  /** Pending requests of the stalls whose site lies in the reach, with what the work list shows, oldest first. */
  function pending(reach: Reach) {
    return data
      .db()
      .selectFrom('payee_changes as pc')
      .innerJoin('stalls as st', 'st.id', 'pc.stall_id')
      .innerJoin('sites as si', 'si.id', 'st.site_id')
      .innerJoin('users as u', 'u.id', 'pc.requested_by')
      .innerJoin('stall_accounts as a', 'a.id', 'pc.account_id')
      .leftJoin('stall_accounts as f', 'f.id', 'pc.from_account_id')
      .where('pc.status', '=', 'pending')
      .where((eb) => siteInReach(reach, { siteId: eb.ref('si.id'), communeCode: eb.ref('si.commune_code') }));
  }

  /** Pending requests with what the work list and the stall page show of them. */
  const pendingView = (reach: Reach) =>
    pending(reach)
      .select(COLUMNS)
      .select([
        'st.label as stall_label',
        'st.business_name',
        'si.id as site_id',
        'si.name as site_name',
        'u.display_name as requester_name',
        'a.bin',
        'a.account_number',
        'f.bin as from_bin',
        'f.account_number as from_account_number',
      ]);

  return {
    /**
     * Whether the stall's sticker is out in the world: printed at least once (a row of the print log; issuing a
     * sticker always logs its print in the same transaction) for any of its accounts, whatever its status now.
     */
    async stallWasPrinted(stallId: number): Promise<boolean> {
      const row = await data
        .db()
        .selectFrom('sticker_prints as p')
        .innerJoin('stickers as s', 's.id', 'p.sticker_id')
        .select('p.id')
        .where('s.stall_id', '=', stallId)
        .limit(1)
        .executeTakeFirst();
      return row !== undefined;
    },

    findById: (id: number): Promise<PayeeChangeRow | undefined> =>
      requests().where('pc.id', '=', id).executeTakeFirst(),

    findPending: (stallId: number): Promise<PayeeChangeRow | undefined> =>
      requests().where('pc.stall_id', '=', stallId).where('pc.status', '=', 'pending').executeTakeFirst(),

    /** One pending request with its display columns, or undefined (any reach: the caller checked the stall's). */
    findPendingView: (stallId: number, reach: Reach): Promise<PendingPayeeChangeRow | undefined> =>
      pendingView(reach).where('pc.stall_id', '=', stallId).executeTakeFirst(),

    listPending: (reach: Reach, limit: number): Promise<PendingPayeeChangeRow[]> =>
      pendingView(reach).orderBy('pc.requested_at').orderBy('pc.id').limit(limit).execute(),

    async countPending(reach: Reach): Promise<number> {
      const row = await pending(reach)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },

    async insert(request: NewPayeeChange): Promise<number> {
      const result = await data
        .db()
        .insertInto('payee_changes')
        .values({
          stall_id: request.stallId,
          kind: request.kind,
          account_id: request.accountId,
          from_account_id: request.fromAccountId,
          reason: request.reason,
          retire_reason: request.retireReason,
          requested_by: request.by,
          requested_at: request.at,
        })
        .executeTakeFirstOrThrow();
      return Number(result.insertId);
    },

    /** Closes a pending request; false when it was no longer pending (decided meanwhile). */
    async close(
      id: number,
      values: { status: Exclude<PayeeChangeStatus, 'pending'>; by: number; at: string; note: string },
    ): Promise<boolean> {
      const result = await data
        .db()
        .updateTable('payee_changes')
        .set({ status: values.status, decided_by: values.by, decided_at: values.at, decision_note: values.note })
        .where('id', '=', id)
        .where('status', '=', 'pending')
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
  };
}

export type PayeeChangesRepo = ReturnType<typeof createPayeeChangesRepo>;
