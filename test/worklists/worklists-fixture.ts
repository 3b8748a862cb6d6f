import type { Db } from '../../src/db/database.js';

/** Rows for the work-list tests, inserted as the app would leave them (status, history, visits, accounts). */
export function worklistFixture(db: Db) {
  const run = (sql: string, ...params: unknown[]) => Number(db.prepare(sql).run(...params).lastInsertRowid);
  const at = '2026-09-01T03:00:00.000Z';

  function site(name: string, communeCode: string): number {
    return run(
      `INSERT INTO sites (kind, name, name_folded, commune_code, created_at, updated_at)
       VALUES ('market', ?, ?, ?, ?, ?)`,
      name,
      name.toLowerCase(),
      communeCode,
      at,
      at,
    );
  }

  function stall(
    siteId: number,
    label: string,
    status: 'surveyed' | 'has_account' | 'qr_verified' | 'installed' | 'refused',
    since = at,
  ): number {
    const id = run(
      `INSERT INTO stalls (site_id, label, business_name, goods_category, status, refusal_reason, search_folded,
                           created_at, updated_at)
       VALUES (?, ?, ?, 'tap_hoa', ?, ?, ?, ?, ?)`,
      siteId,
      label,
      `Cửa hàng ${label}`,
      status,
      status === 'refused' ? 'prefers_cash' : null,
      label.toLowerCase(),
      at,
      at,
    );
    run(
      `INSERT INTO stall_status_history (stall_id, from_status, to_status, changed_at) VALUES (?, NULL, ?, ?)`,
      id,
      status,
      since,
    );
    return id;
  }

  function followUp(stallId: number, visitedAt: string, userId: number): void {
    run(
      `INSERT INTO visits (stall_id, user_id, visited_at, action, sticker_displayed)
       VALUES (?, ?, ?, 'follow_up', 'yes')`,
      stallId,
      userId,
      visitedAt,
    );
  }

  function account(stallId: number, verified: boolean, n: number): number {
    return run(
      `INSERT INTO stall_accounts (stall_id, bin, account_number, service, holder_name, source, is_primary,
                                   verified_at, verified_name_seen, created_at)
       VALUES (?, '970436', ?, 'account', 'NGUYEN VAN A', 'typed', 1, ?, ?, ?)`,
      stallId,
      `10123456789${String(n).padStart(2, '0')}`,
      verified ? at : null,
      verified ? 'NGUYEN VAN A' : null,
      at,
    );
  }

  function sticker(stallId: number, accountId: number, communeCode: string, printed: boolean, n: number): number {
    return run(
      `INSERT INTO stickers (serial, commune_code, sequence, verification_code, stall_id, account_id, payload,
                             print_count, created_at)
       VALUES (?, ?, ?, ?, ?, ?, 'payload', ?, ?)`,
      `52-${communeCode}-${String(n).padStart(6, '0')}`,
      communeCode,
      n,
      `WL${String(n).padStart(6, '0')}`,
      stallId,
      accountId,
      printed ? 1 : 0,
      at,
    );
  }

  function report(stickerId: number): number {
    return run(
      `INSERT INTO sticker_reports (sticker_id, problem, received_at) VALUES (?, 'name_differs', ?)`,
      stickerId,
      at,
    );
  }

  function payeeChange(stallId: number, accountId: number, requestedBy: number): number {
    return run(
      `INSERT INTO payee_changes (stall_id, kind, account_id, from_account_id, reason, retire_reason, requested_by,
                                  requested_at)
       VALUES (?, 'retire_primary', ?, ?, 'Chủ sạp đổi ngân hàng', 'new_account', ?, ?)`,
      stallId,
      accountId,
      accountId,
      requestedBy,
      at,
    );
  }

  function assign(siteId: number, userId: number, by: number | null = null): void {
    run(
      `INSERT INTO site_assignments (site_id, user_id, assigned_by, assigned_at) VALUES (?, ?, ?, ?)`,
      siteId,
      userId,
      by,
      at,
    );
  }

  return { site, stall, followUp, account, sticker, report, payeeChange, assign };
}
