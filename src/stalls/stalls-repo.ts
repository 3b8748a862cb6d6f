import type { Db } from '../db/database.js';
import type { GoodsCategory } from '../vocabulary/goods-categories.js';
import type { RefusalReason, StallStatus } from '../vocabulary/stall-status.js';

export interface StallRow {
  id: number;
  site_id: number;
  label: string;
  business_name: string;
  owner_name: string;
  phone: string | null;
  goods_category: GoodsCategory;
  status: StallStatus;
  refusal_reason: RefusalReason | null;
  consent_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface StallHistoryRow {
  id: number;
  from_status: StallStatus | null;
  to_status: StallStatus;
  changed_at: string;
  changed_by_name: string | null;
  reason: string | null;
  note: string;
}

export interface StallValues {
  label: string;
  businessName: string;
  ownerName: string;
  phone: string | null;
  goodsCategory: GoodsCategory;
  /** The trader agreed to this submit's personal data being stored; recorded with time and volunteer. */
  consentGiven: boolean;
}

export interface StatusChange {
  stallId: number;
  from: StallStatus | null;
  to: StallStatus;
  refusalReason: RefusalReason | null;
  note: string;
  at: string;
  by: number;
}

const STALL_COLUMNS = `id, site_id, label, business_name, owner_name, phone, goods_category, status, refusal_reason,
  consent_at, created_at, updated_at`;

export function createStallsRepo(db: Db) {
  const byId = db.prepare<[number], StallRow>(`SELECT ${STALL_COLUMNS} FROM stalls WHERE id = ?`);
  const bySiteAndLabel = db.prepare<[number, string, number], StallRow>(
    `SELECT ${STALL_COLUMNS} FROM stalls WHERE site_id = ? AND label = ? COLLATE NOCASE AND id <> ? LIMIT 1`,
  );
  const insert = db.prepare(
    `INSERT INTO stalls (site_id, label, business_name, owner_name, phone, goods_category, status, search_folded,
                         consent_at, consent_by, created_at, created_by, updated_at, updated_by)
     VALUES (@siteId, @label, @businessName, @ownerName, @phone, @goodsCategory, 'surveyed', @searchFolded,
             CASE WHEN @consent THEN @at END, CASE WHEN @consent THEN @by END, @at, @by, @at, @by)`,
  );
  // Consent, once given, is kept with its first time; a later edit does not move it.
  const update = db.prepare(
    `UPDATE stalls SET label = @label, business_name = @businessName, owner_name = @ownerName, phone = @phone,
            goods_category = @goodsCategory, search_folded = @searchFolded, updated_at = @at, updated_by = @by,
            consent_at = CASE WHEN consent_at IS NULL AND @consent THEN @at ELSE consent_at END,
            consent_by = CASE WHEN consent_at IS NULL AND @consent THEN @by ELSE consent_by END
      WHERE id = @id`,
  );
  const byPhone = db.prepare<[string, number], { stall_id: number; label: string; business_name: string; site_id: number; site_name: string }>(
    `SELECT st.id AS stall_id, st.label, st.business_name, si.id AS site_id, si.name AS site_name
       FROM stalls st JOIN sites si ON si.id = st.site_id WHERE st.phone = ? AND st.id <> ? ORDER BY st.id LIMIT 5`,
  );
  const setStatus = db.prepare(
    `UPDATE stalls SET status = @to, refusal_reason = @refusalReason, updated_at = @at, updated_by = @by WHERE id = @stallId`,
  );
  const insertHistory = db.prepare(
    `INSERT INTO stall_status_history (stall_id, from_status, to_status, changed_at, changed_by, reason, note)
     VALUES (@stallId, @from, @to, @at, @by, @refusalReason, @note)`,
  );
  const history = db.prepare<[number], StallHistoryRow>(
    `SELECT h.id, h.from_status, h.to_status, h.changed_at, u.display_name AS changed_by_name, h.reason, h.note
       FROM stall_status_history h LEFT JOIN users u ON u.id = h.changed_by
      WHERE h.stall_id = ? ORDER BY h.changed_at DESC, h.id DESC`,
  );

  function recordStatus(change: StatusChange): void {
    setStatus.run(change);
    insertHistory.run(change);
  }

  return {
    findById: (id: number) => byId.get(id),
    findOtherWithLabel: (siteId: number, label: string, exceptId = 0) => bySiteAndLabel.get(siteId, label, exceptId),
    findOthersWithPhone: (phone: string, exceptId = 0) => byPhone.all(phone, exceptId),
    history: (stallId: number) => history.all(stallId),

    listForSite(siteId: number, filters: { status?: StallStatus; words?: string[] }): StallRow[] {
      const where = ['site_id = ?'];
      const params: (string | number)[] = [siteId];
      if (filters.status) {
        where.push('status = ?');
        params.push(filters.status);
      }
      for (const word of filters.words ?? []) {
        where.push('instr(search_folded, ?) > 0');
        params.push(word);
      }
      const sql = `SELECT ${STALL_COLUMNS} FROM stalls WHERE ${where.join(' AND ')} ORDER BY id`;
      return db.prepare<(string | number)[], StallRow>(sql).all(...params);
    },

    /** A new stall enters the census as `surveyed`, with its first history row, in one transaction. */
    insert(siteId: number, values: StallValues & { searchFolded: string; at: string; by: number }): number {
      return db.transaction(() => {
        const { consentGiven, ...rest } = values;
        const id = Number(insert.run({ ...rest, consent: consentGiven ? 1 : 0, siteId }).lastInsertRowid);
        insertHistory.run({ stallId: id, from: null, to: 'surveyed', at: values.at, by: values.by, refusalReason: null, note: '' });
        return id;
      })();
    },

    update(id: number, values: StallValues & { searchFolded: string; at: string; by: number }): void {
      const { consentGiven, ...rest } = values;
      update.run({ ...rest, consent: consentGiven ? 1 : 0, id });
    },

    /** The status and its history row change together or not at all. */
    changeStatus(change: StatusChange): void {
      db.transaction(recordStatus)(change);
    },
  };
}

export type StallsRepo = ReturnType<typeof createStallsRepo>;
