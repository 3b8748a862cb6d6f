import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { viewsDir } from '../../src/paths.js';
import { createTestDb } from '../helpers/db.js';

/** The words of the consent checkbox as a trader reads them: the label's text, tags and spacing removed. */
function consentWords(): string {
  const partial = readFileSync(`${viewsDir}/partials/consent.ejs`, 'utf8');
  const label = /<label class="check consent">([\s\S]*?)<\/label>/.exec(partial)?.[1] ?? '';
  return label
    .replace(/<%[\s\S]*?%>/g, '')
    .replace(/<[^>]+>/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

describe('the consent text', () => {
  it('when the form shows the consent, then its words are the newest version kept in consent_texts', () => {
    const db = createTestDb();
    const newest = db.prepare('SELECT text FROM consent_texts ORDER BY version DESC LIMIT 1').pluck().get();
    // Changing the words on the form means adding a version (a migration), so that records show what was agreed.
    expect(consentWords()).toBe(newest);
  });

  it('when a consent text is kept, then it can be neither changed nor deleted', () => {
    const db = createTestDb();
    expect(() => db.prepare("UPDATE consent_texts SET text = 'khác' WHERE version = 1").run()).toThrow('never changed');
    expect(() => db.prepare('DELETE FROM consent_texts').run()).toThrow('never deleted');
  });

  it('when a consent is recorded on a stall, then a consent row follows with the newest version', () => {
    const db = createTestDb();
    const at = '2026-11-20T02:00:00.000Z';
    db.exec(`
      INSERT INTO users (id, username, display_name, role, password_hash, created_at)
        VALUES (1, 'tnv', 'Tình nguyện viên', 'volunteer', 'x', '${at}');
      INSERT INTO sites (id, kind, name, name_folded, commune_code, created_at, updated_at)
        VALUES (1, 'market', 'Chợ Hoa Lư', 'cho hoa lu', '23575', '${at}', '${at}');
      INSERT INTO stalls (id, site_id, label, goods_category, status, search_folded, created_at, updated_at,
                          consent_at, consent_by)
        VALUES (1, 1, 'Sạp 1', 'rau_cu', 'surveyed', 'sap 1', '${at}', '${at}', '${at}', 1),
               (2, 1, 'Sạp 2', 'rau_cu', 'surveyed', 'sap 2', '${at}', '${at}', NULL, NULL);
      UPDATE stalls SET consent_at = '${at}', consent_by = 1 WHERE id = 2;
    `);
    expect(db.prepare('SELECT stall_id, version, given_at, given_by, withdrawn_at FROM stall_consents').all()).toEqual([
      { stall_id: 1, version: 1, given_at: at, given_by: 1, withdrawn_at: null },
      { stall_id: 2, version: 1, given_at: at, given_by: 1, withdrawn_at: null },
    ]);
    expect(() => db.prepare("UPDATE stall_consents SET given_at = 'x'").run()).toThrow('only a withdrawal');
    expect(() => db.prepare('DELETE FROM stall_consents').run()).toThrow('never deleted');
  });

  it('when an account number is changed other than by its erasure, then the database refuses it', () => {
    const db = createTestDb();
    const at = '2026-11-20T02:00:00.000Z';
    db.exec(`
      INSERT INTO sites (id, kind, name, name_folded, commune_code, created_at, updated_at)
        VALUES (1, 'market', 'Chợ Hoa Lư', 'cho hoa lu', '23575', '${at}', '${at}');
      INSERT INTO stalls (id, site_id, label, goods_category, status, search_folded, created_at, updated_at)
        VALUES (1, 1, 'Sạp 1', 'rau_cu', 'has_account', 'sap 1', '${at}', '${at}');
      INSERT INTO stall_accounts (id, stall_id, bin, account_number, service, holder_name, source, created_at)
        VALUES (7, 1, '970436', '1012345678', 'account', 'NGUYEN VAN A', 'typed', '${at}');
    `);
    const update = (sql: string) => () => db.prepare(sql).run();
    expect(update("UPDATE stall_accounts SET account_number = '999' WHERE id = 7")).toThrow('never change');
    expect(update("UPDATE stall_accounts SET account_number = 'xoa:7' WHERE id = 7")).toThrow('never change');
    expect(
      update(
        `UPDATE stall_accounts SET account_number = 'xoa:8', erased_at = '${at}', retired_at = '${at}' WHERE id = 7`,
      ),
    ).toThrow('never change');
    update(`UPDATE stall_accounts SET account_number = 'xoa:7', holder_name = 'ĐÃ XÓA', erased_at = '${at}',
              retired_at = '${at}' WHERE id = 7`)();
    expect(update("UPDATE stall_accounts SET holder_name = 'NGUYEN VAN A' WHERE id = 7")).toThrow('stays erased');
  });
});
