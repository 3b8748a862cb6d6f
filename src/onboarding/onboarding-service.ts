import type { Actor } from '../actor.js';
import { resolveAccount, resolveHolderName, type ResolvedAccount, type UploadedPhoto } from '../accounts/account-source.js';
import { createAccountsRepo, type AccountRow } from '../accounts/accounts-repo.js';
import type { Clock } from '../clock.js';
import type { Db } from '../db/database.js';
import { assertNoFieldErrors, NotFoundError, ValidationError, type FieldErrors } from '../http/errors.js';
import { createIdempotency } from '../http/idempotency.js';
import { parseWholeNumber, textField, type FormInput } from '../http/validate.js';
import { createSitesRepo } from '../sites/sites-repo.js';
import { createStickersRepo } from '../stickers/stickers-repo.js';
import type { StallRow } from '../stalls/stalls-repo.js';
import { createStallsRepo } from '../stalls/stalls-repo.js';
import { ticked, type StallsService } from '../stalls/stalls-service.js';
import type { StallStatus } from '../vocabulary/stall-status.js';
import { toBankHolderName, holderNamesMatch } from '../vietqr/holder-name.js';
import type { BankDirectory, BankEntry } from '../vietqr/banks.js';
import { createVisitsRepo } from '../visits/visits-repo.js';

export const STICKER_CHECKS = ['yes', 'no', 'replaced'] as const;
export type StickerCheck = (typeof STICKER_CHECKS)[number];

/** Statuses before a verified account: verifying moves them on; later ones (installed, closed) stay. */
const BEFORE_VERIFIED: readonly StallStatus[] = ['surveyed', 'has_account', 'refused'];
const BEFORE_ACCOUNT: readonly StallStatus[] = ['surveyed', 'refused'];

export interface OnboardResult {
  stallId: number;
  resultUrl: string;
  /** True when this submit repeated an earlier one (same idempotency key): nothing new was written. */
  replayed: boolean;
}

export function createOnboardingService(db: Db, clock: Clock, banks: BankDirectory, stallsService: StallsService) {
  const stalls = createStallsRepo(db);
  const sites = createSitesRepo(db);
  const accounts = createAccountsRepo(db);
  const visits = createVisitsRepo(db);
  const idempotency = createIdempotency(db);
  const stickers = createStickersRepo(db);

  function requireStall(id: number): StallRow {
    const stall = stalls.findById(id);
    if (!stall) throw new NotFoundError('Không tìm thấy sạp này.');
    return stall;
  }

  function requireAccount(stall: StallRow, accountId: number): AccountRow {
    const account = accounts.findById(accountId);
    if (!account || account.stall_id !== stall.id) throw new NotFoundError('Không tìm thấy tài khoản này của sạp.');
    return account;
  }

  /** The same account on another stall is the QR-swap fraud pattern: warn, name the stall, require a tick. */
  function checkAccountElsewhere(account: ResolvedAccount, stallId: number, input: FormInput, errors: FieldErrors): void {
    const others = accounts.findOtherStallsWithAccount(account.bin, account.accountNumber, stallId);
    if (others.length > 0 && !ticked(input, 'confirm_duplicate_account')) {
      const other = others[0]!;
      const field = account.source === 'typed' ? 'account_number' : account.source === 'pasted' ? 'qr_text' : 'qr_photo';
      errors[field] = `Tài khoản ${account.bank.shortName} ${account.accountNumber} đã đăng ký cho sạp "${other.label}"${other.business_name ? ` (${other.business_name})` : ''} ở ${other.site_name}. Một tài khoản trên nhiều sạp không liên quan có thể là lừa đảo; chỉ lưu khi chắc chắn, bằng cách đánh dấu "Vẫn lưu".`;
      errors.confirm_duplicate_account = String(other.stall_id);
    }
  }

  function moveStatus(stall: StallRow, to: StallStatus, actor: Actor, at: string, note = ''): void {
    if (stall.status === to) return;
    stalls.changeStatus({ stallId: stall.id, from: stall.status, to, refusalReason: null, note, at, by: actor.id });
    stall.status = to;
  }

  function insertAccount(actor: Actor, stall: StallRow, account: ResolvedAccount, holderName: string, at: string): number {
    const isPrimary = !accounts.findPrimary(stall.id);
    const id = accounts.insert({
      stallId: stall.id,
      bin: account.bin,
      accountNumber: account.accountNumber,
      service: account.service,
      holderName,
      source: account.source,
      isPrimary,
      at,
      by: actor.id,
    });
    visits.record({ stallId: stall.id, userId: actor.id, at, action: 'account_added', accountId: id });
    if (BEFORE_ACCOUNT.includes(stall.status)) moveStatus(stall, 'has_account', actor, at);
    return id;
  }

  /** Bank, number and holder name from the form, or undefined when no account was given at all. */
  function checkAccountInput(input: FormInput, photo: UploadedPhoto | undefined, stallId: number, errors: FieldErrors) {
    const account = resolveAccount(input, photo, banks, errors);
    const anyAccountInput = Boolean(account || errors.bank_bin || errors.account_number || errors.qr_text || errors.qr_photo);
    if (!anyAccountInput) return undefined;
    const holderName = resolveHolderName(input, errors);
    if (account) checkAccountElsewhere(account, stallId, input, errors);
    return account ? { account, holderName } : undefined;
  }

  return {
    /** Sites this volunteer worked on lately, most recent first: what the flow offers before search. */
    recentSites(userId: number, limit = 5) {
      return db
        .prepare<[number, number], { id: number; name: string; commune_name: string; last_visit: string }>(
          `SELECT si.id, si.name, c.name AS commune_name, max(v.visited_at) AS last_visit
             FROM visits v JOIN stalls st ON st.id = v.stall_id JOIN sites si ON si.id = st.site_id
             JOIN communes c ON c.code = si.commune_code
            WHERE v.user_id = ? GROUP BY si.id ORDER BY last_visit DESC LIMIT ?`,
        )
        .all(userId, limit);
    },

    /** The picker's order: the banks most used on this site first, then the rest of the directory. */
    banksForSite(siteId: number): { frequent: BankEntry[]; others: BankEntry[] } {
      const usage = db
        .prepare<[number], { bin: string; n: number }>(
          `SELECT a.bin, count(*) AS n FROM stall_accounts a JOIN stalls st ON st.id = a.stall_id
            WHERE st.site_id = ? AND a.retired_at IS NULL GROUP BY a.bin ORDER BY n DESC, a.bin LIMIT 5`,
        )
        .all(siteId);
      const frequent = usage.map((row) => banks.byBin(row.bin)).filter((bank): bank is BankEntry => Boolean(bank?.transferSupported));
      const shown = new Set(frequent.map((bank) => bank.bin));
      const others = banks.banks
        .filter((bank) => bank.transferSupported && !shown.has(bank.bin))
        .sort((a, b) => a.shortName.localeCompare(b.shortName, 'vi'));
      return { frequent, others };
    },

    /**
     * Registers a stall with its first account in one transaction: stall, consent, account, status history,
     * visits and the idempotency key. A repeated key returns the first result and writes nothing.
     */
    onboard(actor: Actor, siteId: number, input: FormInput, photo: UploadedPhoto | undefined): OnboardResult {
      stallsService.assertCanManage(actor);
      if (!sites.findById(siteId)) throw new NotFoundError('Không tìm thấy địa điểm này.');
      const key = idempotency.parseKey(input.idempotency_key);
      const previous = idempotency.previousResult(key, actor.id);
      if (previous) return { stallId: Number(/\/stalls\/(\d+)/.exec(previous)?.[1]), resultUrl: previous, replayed: true };

      const errors: FieldErrors = {};
      const values = stallsService.checkStallInput(input, siteId, undefined, errors);
      const withAccount = checkAccountInput(input, photo, 0, errors);
      if (withAccount && !values.consentGiven) errors.consent = errors.consent ?? 'Cần đồng ý của tiểu thương trước khi lưu tài khoản ngân hàng.';
      assertNoFieldErrors(errors);

      const at = clock.now().toISOString();
      return db.transaction(() => {
        const stallId = stalls.insert(siteId, { ...values, searchFolded: stallsService.searchFolded(values), at, by: actor.id });
        visits.record({ stallId, userId: actor.id, at, action: 'onboarded' });
        if (withAccount) insertAccount(actor, requireStall(stallId), withAccount.account, withAccount.holderName, at);
        const resultUrl = withAccount ? `/stalls/${stallId}/name-check?new=1` : `/stalls/${stallId}?new=1`;
        idempotency.remember(key, actor.id, resultUrl, at);
        return { stallId, resultUrl, replayed: false };
      })();
    },

    /** Adds another account to a stall (traders often show 2–3 banks). */
    addAccount(actor: Actor, stallId: number, input: FormInput, photo: UploadedPhoto | undefined): number {
      stallsService.assertCanManage(actor);
      const stall = requireStall(stallId);
      const errors: FieldErrors = {};
      const withAccount = checkAccountInput(input, photo, stall.id, errors);
      if (!withAccount && Object.keys(errors).length === 0) errors.bank_bin = 'Chọn ngân hàng và nhập số tài khoản, hoặc dán/chụp mã QR của tiểu thương.';
      if (!stall.consent_at && !ticked(input, 'consent')) errors.consent = 'Cần đồng ý của tiểu thương trước khi lưu tài khoản ngân hàng.';
      assertNoFieldErrors(errors);
      const at = clock.now().toISOString();
      return db.transaction(() => {
        if (!stall.consent_at) db.prepare('UPDATE stalls SET consent_at = ?, consent_by = ? WHERE id = ?').run(at, actor.id, stall.id);
        return insertAccount(actor, stall, withAccount!.account, withAccount!.holderName, at);
      })();
    },

    /**
     * The name check: the volunteer scanned our code with their own bank app and typed the recipient name
     * it showed. Only a match (after folding) verifies the account; a corrected holder name may be sent
     * with it when the bank's spelling is the right one.
     */
    checkName(actor: Actor, stallId: number, accountId: number, input: FormInput): void {
      stallsService.assertCanManage(actor);
      const stall = requireStall(stallId);
      const account = requireAccount(stall, accountId);
      const errors: FieldErrors = {};
      const nameSeen = toBankHolderName(textField(input, 'name_seen'));
      if (!nameSeen) errors.name_seen = 'Nhập tên người nhận mà ứng dụng ngân hàng hiển thị.';
      const holderName = textField(input, 'holder_name') ? resolveHolderName(input, errors) : account.holder_name;
      if (account.retired_at) errors.name_seen = 'Tài khoản này đã ngừng dùng.';
      assertNoFieldErrors(errors);
      if (!holderNamesMatch(nameSeen, holderName)) {
        throw new ValidationError(
          { name_seen: `Không khớp: ứng dụng hiển thị "${nameSeen}", còn tên chủ tài khoản đã lưu là "${holderName}". Kiểm tra lại ngân hàng và số tài khoản; nếu tên ứng dụng hiển thị mới đúng, sửa tên chủ tài khoản rồi kiểm tra lại.` },
          'Tên người nhận không khớp: tài khoản chưa được xác minh.',
        );
      }
      const at = clock.now().toISOString();
      db.transaction(() => {
        accounts.markVerified(account.id, { at, by: actor.id, nameSeen, holderName });
        visits.record({ stallId: stall.id, userId: actor.id, at, action: 'name_checked', accountId: account.id });
        if (account.is_primary && BEFORE_VERIFIED.includes(stall.status)) moveStatus(stall, 'qr_verified', actor, at);
      })();
    },

    /** "Đã dán mã tại quầy": the sticker of a verified primary account is on the counter. */
    markInstalled(actor: Actor, stallId: number): void {
      stallsService.assertCanManage(actor);
      const stall = requireStall(stallId);
      const primary = accounts.findPrimary(stall.id);
      if (!primary?.verified_at) {
        throw new ValidationError({ installed: 'Cần kiểm tra tên người nhận của tài khoản chính trước khi dán mã.' });
      }
      if (stall.status === 'installed') return;
      const at = clock.now().toISOString();
      db.transaction(() => {
        moveStatus(stall, 'installed', actor, at);
        visits.record({ stallId: stall.id, userId: actor.id, at, action: 'installed', accountId: primary.id });
      })();
    },

    setPrimary(actor: Actor, stallId: number, accountId: number): void {
      stallsService.assertCanManage(actor);
      const stall = requireStall(stallId);
      const account = requireAccount(stall, accountId);
      if (account.retired_at) throw new ValidationError({ accounts: 'Tài khoản đã ngừng dùng không thể làm tài khoản chính.' });
      if (account.is_primary) return;
      const at = clock.now().toISOString();
      const previous = accounts.findPrimary(stall.id);
      db.transaction(() => {
        // Stickers of the old primary stay on counters: mark them replaced so /v/CODE says so.
        if (previous) stickers.revokeForAccount(previous.id, 'replaced', 'Sạp đã đổi tài khoản chính', at);
        accounts.setPrimary(stall.id, account.id);
        visits.record({ stallId: stall.id, userId: actor.id, at, action: 'primary_changed', accountId: account.id });
        // The sticker on the counter shows the old primary: the stall needs a new one before it counts again.
        if (stall.status === 'installed' || stall.status === 'qr_verified') {
          moveStatus(stall, account.verified_at ? 'qr_verified' : 'has_account', actor, at, 'Đổi tài khoản chính');
        }
      })();
    },

    /** Retires an account; it stays in the history with its verification. */
    retireAccount(actor: Actor, stallId: number, accountId: number): void {
      stallsService.assertCanManage(actor);
      const stall = requireStall(stallId);
      const account = requireAccount(stall, accountId);
      if (account.retired_at) return;
      const at = clock.now().toISOString();
      db.transaction(() => {
        accounts.retire(account.id, at, actor.id);
        stickers.revokeForAccount(account.id, 'revoked', 'Tài khoản đã ngừng dùng', at);
        visits.record({ stallId: stall.id, userId: actor.id, at, action: 'account_retired', accountId: account.id });
        if (account.is_primary && ['has_account', 'qr_verified', 'installed'].includes(stall.status)) {
          const remaining = accounts.listForStall(stall.id).some((a) => a.retired_at === null);
          moveStatus(stall, remaining ? 'has_account' : 'surveyed', actor, at, 'Ngừng dùng tài khoản chính');
        }
      })();
    },

    /** A follow-up visit: is the sticker still there, and how many customers pay by transfer (trader's estimate)? */
    recordFollowUp(actor: Actor, stallId: number, input: FormInput): StickerCheck {
      stallsService.assertCanManage(actor);
      const stall = requireStall(stallId);
      const errors: FieldErrors = {};
      const displayed = textField(input, 'sticker_displayed');
      if (!(STICKER_CHECKS as readonly string[]).includes(displayed)) errors.sticker_displayed = 'Chọn mã còn dán, không còn, hay bị thay bằng mã khác.';
      const shareText = textField(input, 'transfer_share').replace(/\s*%$/, '');
      const share = shareText === '' ? null : parseWholeNumber(shareText);
      if (share === undefined || (share !== null && share > 100)) errors.transfer_share = 'Tỷ lệ khách chuyển khoản là số nguyên từ 0 đến 100 (%).';
      const note = textField(input, 'note');
      if (note.length > 500) errors.note = `Ghi chú tối đa 500 ký tự (hiện có ${note.length}).`;
      assertNoFieldErrors(errors);
      const sticker = displayed as StickerCheck;
      const at = clock.now().toISOString();
      db.transaction(() => {
        visits.record({ stallId: stall.id, userId: actor.id, at, action: 'follow_up', stickerDisplayed: sticker, transferShare: share ?? null, note });
        // Without our sticker on the counter the stall no longer accepts VietQR: it leaves the coverage.
        if (sticker !== 'yes' && stall.status === 'installed') {
          moveStatus(stall, 'qr_verified', actor, at, sticker === 'replaced' ? 'Mã tại quầy bị thay bằng mã khác' : 'Mã không còn dán tại quầy');
        }
      })();
      return sticker;
    },

    accountsOf: (stallId: number) => accounts.listForStall(requireStall(stallId).id),
  };
}

export type OnboardingService = ReturnType<typeof createOnboardingService>;
