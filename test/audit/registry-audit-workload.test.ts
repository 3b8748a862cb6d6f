import { describe, expect, it } from 'vitest';
import type { Actor } from '../../src/actor.js';
import { toBankHolderName } from '../../src/vietqr/holder-name.js';
import { createDemoTestContext } from '../helpers/app.js';
import { printDelivered } from '../helpers/stickers.js';

/** A small deterministic generator, so a failure can be replayed. */
function generator(seed: number) {
  let state = seed;
  const next = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
  const digits = (n: number) => Array.from({ length: n }, () => String(int(10))).join('');
  return { int, pick, digits, chance: (p: number) => next() < p };
}

const FAMILY = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Huỳnh', 'Võ', 'Đặng', 'Bùi', 'Đỗ', 'Hồ'];
const MIDDLE = ['Thị', 'Văn', 'Ngọc', 'Minh', 'Thanh', 'Hữu'];
const GIVEN = ['Lan', 'Hoa', 'Tùng', 'Dũng', 'Hạnh', 'Phúc', 'Xuân', 'Quyên', 'Khải', 'Thoa'];
const GOODS = ['rau_cu', 'thit', 'tap_hoa', 'hai_san'];
const BANKS = ['970436', '970418', '970405', '970422'];

describe('audit trail under a mixed registry workload', () => {
  it(
    'when stalls, accounts, name checks, stickers, customers’ reports, payee changes, status changes, ' +
      'follow-ups, withdrawals and erasures run on the demo programme, ' +
      'then no audit row holds an owner name, phone, holder name, full account number or note of the registry',
    async () => {
      const { db, services, createUser, clock } = await createDemoTestContext();
      const { stalls, accounts, stickers, users, stickerReports } = services;
      const admin: Actor = await (async () => {
        const user = (await users.findWithReach(await createUser('quantri.audit', 'admin')))!;
        return { id: user.id, role: user.role, reach: user.reach };
      })();
      const volunteerUser = (await users.findWithReach(
        db.prepare("SELECT id FROM users WHERE username = 'tnv.hoalu1'").pluck().get() as number,
      ))!;
      const volunteer: Actor = { id: volunteerUser.id, role: volunteerUser.role, reach: volunteerUser.reach };
      const lead: Actor = await (async () => {
        const user = (await users.findWithReach(await createUser('totruong.audit', 'team_lead')))!;
        return { id: user.id, role: user.role, reach: user.reach };
      })();
      const hoaLu = db.prepare("SELECT id FROM sites WHERE commune_code = '23575' ORDER BY id").pluck().get() as number;
      const siteIds = db.prepare('SELECT id FROM sites ORDER BY id').pluck().all() as number[];

      const random = generator(20261201);
      const typed: string[] = [];
      const person = () => `${random.pick(FAMILY)} ${random.pick(MIDDLE)} ${random.pick(GIVEN)} ${random.digits(2)}`;
      const phone = () => `09${random.digits(8)}`;
      const before = db.prepare('SELECT count(*) FROM audit_log').pluck().get() as number;

      /**
       * The stall's pending payee-change request, if the last change filed one, decided by a second person
       * (approved, or refused with a note naming the trader) or withdrawn by whoever asked.
       */
      const decidePending = async (stallId: number, requester: Actor, owner: string, ownerPhone: string) => {
        const id = db
          .prepare("SELECT id FROM payee_changes WHERE stall_id = ? AND status = 'pending'")
          .pluck()
          .get(stallId) as number | undefined;
        if (id === undefined) return;
        const decider = requester.id === lead.id ? admin : lead;
        const choice = random.int(3);
        if (choice === 0) await accounts.approvePayeeChange(decider, id);
        else if (choice === 1) {
          const note = `Chưa gặp được ${owner}, gọi ${ownerPhone} không được`;
          typed.push(note);
          await accounts.refusePayeeChange(decider, id, { note });
        } else await accounts.cancelPayeeChange(requester, id);
        clock.advance(60_000);
      };
      const changeReason = (owner: string, ownerPhone: string, number: string) => {
        const reason = `Chị ${owner} (${ownerPhone}) chuyển sang tài khoản ${number}`;
        typed.push(reason);
        return reason;
      };

      for (let i = 0; i < 40; i++) {
        const onHoaLu = random.chance(0.3);
        const actor = onHoaLu ? volunteer : admin;
        const siteId = onHoaLu ? hoaLu : random.pick(siteIds);
        const owner = person();
        const ownerPhone = phone();
        typed.push(owner, ownerPhone);
        const stall = {
          label: `Sạp K${i}`,
          business_name: `Cửa hàng số ${i}`,
          owner_name: owner,
          phone: ownerPhone,
          goods_category: random.pick(GOODS),
          consent: 'yes',
          confirm_duplicate_label: 'yes',
          confirm_duplicate_phone: 'yes',
        };
        const stallId = await stalls.createStall(actor, siteId, stall);
        clock.advance(60_000);
        if (random.chance(0.5)) {
          const renamed = person();
          const rephoned = phone();
          typed.push(renamed, rephoned);
          await stalls.updateStall(actor, stallId, { ...stall, owner_name: renamed, phone: rephoned });
        }
        if (random.chance(0.15)) {
          const note = `Chị ${owner} hẹn lại, gọi ${ownerPhone}`;
          typed.push(note);
          await stalls.changeStatus(actor, stallId, { status: 'refused', refusal_reason: 'other', note });
          continue;
        }
        const accountNumber = random.digits(8 + random.int(6));
        const holder = toBankHolderName(owner);
        typed.push(accountNumber, holder);
        const accountId = await accounts.addAccount(
          actor,
          stallId,
          { bank_bin: random.pick(BANKS), account_number: accountNumber, holder_name: holder },
          undefined,
        );
        if (random.chance(0.2)) {
          await accounts
            .checkName(actor, stallId, accountId, { name_seen: toBankHolderName(person()) })
            .catch(() => undefined);
        }
        if (random.chance(0.8)) {
          await accounts.checkName(actor, stallId, accountId, { name_seen: holder });
          await printDelivered(stickers, actor, stallId, random.pick(['a6', 'a5', 'small']));
          if (random.chance(0.3)) await printDelivered(stickers, actor, stallId, 'a6');
          if (random.chance(0.6)) await stalls.markInstalled(actor, stallId);
          if (random.chance(0.5)) {
            // A customer doubts the sticker at the counter and reports it from its public page; a lead closes some.
            const code = db
              .prepare("SELECT verification_code FROM stickers WHERE stall_id = ? AND status = 'valid'")
              .pluck()
              .get(stallId) as string;
            const customerPhone = phone();
            const detail = `Quét ra tên ${person()}, không phải ${owner}`;
            typed.push(customerPhone, detail);
            const reportId = await stickerReports.submit(
              code,
              stickerReports.parseReportForm({
                problem: random.pick(['name_differs', 'covers_other', 'owner_denies', 'other']),
                detail,
                phone: customerPhone,
              }),
              '127.0.0.1',
            );
            if (random.chance(0.5)) {
              const closeNote = `Đã gọi ${customerPhone}, gặp ${owner}`;
              typed.push(closeNote);
              await stickerReports.close(admin, reportId, { outcome: 'sticker_ok', note: closeNote });
            }
          }
          if (random.chance(0.5)) {
            const note = `Gặp ${owner}, số ${ownerPhone}, tài khoản ${accountNumber}`;
            typed.push(note);
            await stalls.recordFollowUp(actor, stallId, {
              sticker_displayed: random.pick(['yes', 'no', 'replaced']),
              transfer_share: String(random.int(101)),
              note,
            });
          }
        }
        if (random.chance(0.4)) {
          const secondNumber = random.digits(10);
          const secondHolder = toBankHolderName(person());
          typed.push(secondNumber, secondHolder);
          const second = await accounts.addAccount(
            actor,
            stallId,
            {
              bank_bin: random.pick(BANKS),
              account_number: secondNumber,
              holder_name: secondHolder,
              confirm_duplicate_account: 'yes',
            },
            undefined,
          );
          if (random.chance(0.5)) {
            const change_reason = changeReason(owner, ownerPhone, secondNumber);
            await accounts.setPrimary(actor, stallId, second, { change_reason });
            await decidePending(stallId, actor, owner, ownerPhone);
          }
          if (random.chance(0.5)) {
            const change_reason = changeReason(owner, ownerPhone, accountNumber);
            await accounts.retireAccount(actor, stallId, accountId, {
              reason: 'new_account',
              confirm: 'yes',
              change_reason,
            });
            await decidePending(stallId, actor, owner, ownerPhone);
          }
        }
        // A printed stall left without a primary: the account added for it waits for a second person too.
        if (!db.prepare('SELECT 1 FROM stall_accounts WHERE stall_id = ? AND is_primary = 1').get(stallId)) {
          const thirdNumber = random.digits(11);
          const thirdHolder = toBankHolderName(person());
          typed.push(thirdNumber, thirdHolder);
          await accounts.addAccount(
            actor,
            stallId,
            {
              bank_bin: random.pick(BANKS),
              account_number: thirdNumber,
              holder_name: thirdHolder,
              confirm_duplicate_account: 'yes',
              change_reason: changeReason(owner, ownerPhone, thirdNumber),
            },
            undefined,
          );
          await decidePending(stallId, actor, owner, ownerPhone);
        }
        clock.advance(60_000);
      }

      // The trader's rights on some of them: consent withdrawn, data erased (after a withdrawal or at once).
      const { dataRights } = services;
      const created = db.prepare("SELECT id FROM stalls WHERE label LIKE 'Sạp K%' ORDER BY id").pluck().all();
      const reasons = ['trader_request', 'stopped_trading', 'no_longer_wants_qr', 'other'] as const;
      for (const stallId of created as number[]) {
        const request = { rights_reason: random.pick(reasons), confirm: 'yes' };
        if (random.chance(0.25)) {
          await dataRights.withdrawConsent(admin, stallId, request).catch(() => undefined);
          clock.advance(60_000);
        }
        if (random.chance(0.25)) await dataRights.erase(admin, stallId, request);
        clock.advance(60_000);
      }

      const written = (db.prepare('SELECT count(*) FROM audit_log').pluck().get() as number) - before;
      expect(written).toBeGreaterThan(150);
      const actions = new Set(db.prepare('SELECT DISTINCT action FROM audit_log').pluck().all());
      for (const action of [
        'stall.create',
        'stall.update',
        'stall.status',
        'stall.installed',
        'stall.follow_up',
        'account.add',
        'account.name_check',
        'account.primary',
        'account.retire',
        'sticker.issue',
        'sticker.print',
        'sticker.revoke',
        'sticker.report',
        'sticker_report.close',
        'payee_change.request',
        'payee_change.approve',
        'payee_change.refuse',
        'payee_change.cancel',
        'consent.withdraw',
        'stall.erase',
        'redaction.apply',
      ]) {
        expect(actions).toContain(action);
      }

      // Everything personal the registry now holds, plus everything typed along the way (renamed owners too).
      const column = (sql: string) => db.prepare(sql).pluck().all() as (string | null)[];
      const personal = new Set(
        [
          ...column('SELECT owner_name FROM stalls'),
          ...column('SELECT phone FROM stalls'),
          ...column('SELECT holder_name FROM stall_accounts'),
          ...column('SELECT account_number FROM stall_accounts'),
          ...column('SELECT verified_name_seen FROM stall_accounts'),
          ...column('SELECT note FROM visits'),
          ...column('SELECT note FROM stall_status_history'),
          ...column('SELECT detail FROM sticker_reports'),
          ...column('SELECT phone FROM sticker_reports'),
          ...column('SELECT close_note FROM sticker_reports'),
          ...column('SELECT reason FROM payee_changes'),
          ...column('SELECT decision_note FROM payee_changes'),
          ...typed,
        ].filter((value): value is string => typeof value === 'string' && value.trim().length >= 4),
      );
      expect(personal.size).toBeGreaterThan(100);
      const logged = db.prepare('SELECT id, changes FROM audit_log').all() as { id: number; changes: string }[];
      // JSON.stringify keeps non-ASCII letters as they are, so a plain substring search finds any leaked value.
      const leaks = logged.flatMap((row) =>
        [...personal].filter((value) => row.changes.includes(value)).map((value) => ({ id: row.id, value })),
      );
      expect(leaks).toEqual([]);
      // Every kind of request ran, and every one was decided or withdrawn.
      const kinds = db.prepare('SELECT DISTINCT kind FROM payee_changes ORDER BY kind').pluck().all();
      expect(kinds).toEqual(['add_primary', 'retire_primary', 'set_primary']);
      expect(db.prepare("SELECT count(*) FROM payee_changes WHERE status = 'pending'").pluck().get()).toBe(0);
    },
  );
});
