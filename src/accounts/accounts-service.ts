import type { AuditAction } from '../audit/audit-actions.js';
import type { Actor } from '../actor.js';
import { auditChanges, type AuditChanges, type AuditFields } from '../audit/audit-changes.js';
import type { AuditService } from '../audit/audit-service.js';
import type { Clock } from '../clock.js';
import { assertNoFieldErrors, NotFoundError, ValidationError, type FieldErrors } from '../http/errors.js';
import { textField, ticked, type FormInput } from '../http/validate.js';
import type { PhotoReader } from '../qr-photo/photo-reader.js';
import type { SitesService } from '../sites/sites-service.js';
import { OUTSIDE_REACH_MARK, type StallRow, type StallsService } from '../stalls/stalls-service.js';
import type { StickersService } from '../stickers/stickers-service.js';
import type { BankDirectory, BankEntry } from '../vietqr/banks.js';
import { holderNamesMatch, toBankHolderName } from '../vietqr/holder-name.js';
import type { VisitsService } from '../visits/visits-service.js';
import { maskAccount } from '../vocabulary/masking.js';
import { can } from '../vocabulary/roles.js';
import { isRetireReason, RETIRE_REASON_LABELS, type RetireReason } from '../vocabulary/retire-reasons.js';
import type { StallStatus } from '../vocabulary/stall-status.js';
import { resolveAccount, resolveHolderName, type ResolvedAccount, type UploadedPhoto } from './account-source.js';
import type { AccountRow, AccountsRepo } from './accounts-repo.js';

/** Statuses before a verified account: verifying moves them on; later ones (installed, closed) stay. */
const BEFORE_VERIFIED: readonly StallStatus[] = ['surveyed', 'has_account', 'refused'];
const BEFORE_ACCOUNT: readonly StallStatus[] = ['surveyed', 'refused'];

/**
 * How an account's fields enter the audit trail: the bank, kind, source and flags with their values; the
 * number masked; the holder name and the name the bank app showed only as "changed".
 */
export const ACCOUNT_AUDIT_FIELDS: AuditFields = {
  plain: ['bin', 'service', 'source', 'is_primary', 'verified', 'retired', 'retired_reason'],
  personal: ['holder_name', 'verified_name_seen'],
  accountNumbers: ['account_number'],
};

function auditedAccount(account: AccountRow): Record<string, unknown> {
  return {
    bin: account.bin,
    account_number: account.account_number,
    service: account.service,
    holder_name: account.holder_name,
    source: account.source,
    is_primary: account.is_primary === 1,
    verified: account.verified_at !== null,
    verified_name_seen: account.verified_name_seen,
    retired: account.retired_at !== null,
  };
}

export const CONSENT_FOR_ACCOUNT = 'Cần đồng ý của tiểu thương trước khi lưu tài khoản ngân hàng.';

/**
 * An account as the actor may see it: always the masked number ("•••• 3456"); the full number, the holder
 * name and the name the bank app showed only for roles that work stalls (null for leaders and viewers).
 */
export interface AccountView extends Omit<AccountRow, 'account_number' | 'holder_name' | 'verified_name_seen'> {
  masked: string;
  account_number: string | null;
  holder_name: string | null;
  verified_name_seen: string | null;
}

export function accountView(actor: Actor, account: AccountRow): AccountView {
  const masked = maskAccount(account.account_number);
  if (can(actor.role, 'readPersonalData')) return { ...account, masked };
  return { ...account, masked, account_number: null, holder_name: null, verified_name_seen: null, verified_by: null };
}

/** An account given on a form, checked and ready to save, with the holder name typed for it. */
export interface AccountInput {
  account: ResolvedAccount;
  holderName: string;
}

export interface AccountsServiceDeps {
  readonly accounts: AccountsRepo;
  /** Only to check a site's reach before telling which banks are used there. */
  readonly sites: Pick<SitesService, 'requireSite'>;
  readonly stalls: StallsService;
  readonly visits: VisitsService;
  readonly stickers: Pick<StickersService, 'revokeForAccount'>;
  readonly banks: BankDirectory;
  /** Reads the QR code of an uploaded photo, off the event loop. */
  readonly readPhoto: PhotoReader;
  readonly audit: Pick<AuditService, 'record'>;
  readonly transaction: <T>(work: () => Promise<T>) => Promise<T>;
  readonly clock: Clock;
}

/**
 * A stall's bank accounts: adding one (typed, pasted or from a photo), the name check, the primary account,
 * retiring one (its stickers revoked). Status moves these cause go through the stalls service, the only
 * writer of a stall's status.
 */
export function createAccountsService({
  accounts,
  sites,
  stalls,
  visits,
  stickers,
  banks,
  readPhoto,
  audit,
  transaction,
  clock,
}: AccountsServiceDeps) {
  /** One audit row about an account, placed at its stall's site, in the transaction of its change. */
  async function recordAccount(
    actor: Actor,
    action: AuditAction,
    stall: StallRow,
    accountId: number,
    changes: AuditChanges,
  ): Promise<void> {
    const place = await stalls.placeOfSite(stall.site_id);
    await audit.record({ actor, action, entity: 'account', entityId: accountId, place, changes });
  }

  async function requireAccount(stall: StallRow, accountId: number): Promise<AccountRow> {
    const account = await accounts.findById(accountId);
    if (!account || account.stall_id !== stall.id) throw new NotFoundError('Không tìm thấy tài khoản này của sạp.');
    return account;
  }

  /**
   * The same account on another stall is the QR-swap fraud pattern: warn, name the stall, require a tick.
   * A stall outside the actor's reach is not named: the warning says only that it is outside.
   */
  async function checkAccountElsewhere(
    actor: Actor,
    account: ResolvedAccount,
    stallId: number,
    input: FormInput,
    errors: FieldErrors,
  ) {
    const others = await accounts.findOtherStallsWithAccount(account.bin, account.accountNumber, stallId, actor.reach);
    if (others.length > 0 && !ticked(input, 'confirm_duplicate_account')) {
      const other = others[0]!;
      const field =
        account.source === 'typed' ? 'account_number' : account.source === 'pasted' ? 'qr_text' : 'qr_photo';
      const where = other.in_reach
        ? `sạp "${other.label}"${other.business_name ? ` (${other.business_name})` : ''} ở ${other.site_name}`
        : 'một sạp ngoài phạm vi bạn phụ trách';
      errors[field] =
        `Tài khoản ${account.bank.shortName} ${account.accountNumber} đã đăng ký cho ${where}. ` +
        `Một tài khoản trên nhiều sạp không liên quan có thể là lừa đảo; ` +
        `chỉ lưu khi chắc chắn, bằng cách đánh dấu "Vẫn lưu".`;
      errors.confirm_duplicate_account = other.in_reach ? String(other.stall_id) : OUTSIDE_REACH_MARK;
    }
  }

  /** Bank, number and holder name from the form, or undefined when no account was given at all. */
  async function checkAccountInput(
    actor: Actor,
    input: FormInput,
    photo: UploadedPhoto | undefined,
    stallId: number,
    errors: FieldErrors,
  ): Promise<AccountInput | undefined> {
    const account = await resolveAccount(input, photo, banks, readPhoto, errors);
    const anyAccountInput = Boolean(
      account || errors.bank_bin || errors.account_number || errors.qr_text || errors.qr_photo,
    );
    if (!anyAccountInput) return undefined;
    const holderName = resolveHolderName(input, errors);
    if (account) await checkAccountElsewhere(actor, account, stallId, input, errors);
    return account ? { account, holderName } : undefined;
  }

  /** Saves a checked account; the first one of a stall is its primary and moves it to "has account". */
  async function insertAccount(actor: Actor, stall: StallRow, given: AccountInput, at: string): Promise<number> {
    return transaction(async () => {
      const isPrimary = !(await accounts.findPrimary(stall.id));
      const { account, holderName } = given;
      const id = await accounts.insert({
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
      await visits.record({ stallId: stall.id, userId: actor.id, at, action: 'account_added', accountId: id });
      const added = {
        bin: account.bin,
        account_number: account.accountNumber,
        service: account.service,
        holder_name: holderName,
        source: account.source,
        is_primary: isPrimary,
        verified: false,
        retired: false,
      };
      await recordAccount(actor, 'account.add', stall, id, auditChanges(undefined, added, ACCOUNT_AUDIT_FIELDS));
      if (BEFORE_ACCOUNT.includes(stall.status)) await stalls.moveStatus(stall, 'has_account', actor, at);
      return id;
    });
  }

  return {
    checkAccountInput,
    insertAccount,

    /** A stall's accounts as the actor may see them (404 outside the reach; masked for leaders and viewers). */
    async accountsOf(actor: Actor, stallId: number): Promise<AccountView[]> {
      const stall = await stalls.getStall(actor, stallId);
      return (await accounts.listForStall(stall.id)).map((account) => accountView(actor, account));
    },

    /**
     * The account to name-check, whole (its payable QR is drawn from it): the one asked for, else the primary,
     * else the first active one; undefined when the stall has none. 404 outside the reach; 403 for a role
     * that does not work stalls, since the page shows the full number and a payable code.
     */
    async accountToCheck(
      actor: Actor,
      stallId: number,
      requestedId: number | undefined,
    ): Promise<{ stall: StallRow; account: AccountRow } | undefined> {
      const stall = await stalls.stallToWork(actor, stallId);
      const list = await accounts.listForStall(stall.id);
      const account =
        list.find((a) => (requestedId ? a.id === requestedId : a.is_primary === 1)) ?? list.find((a) => !a.retired_at);
      return account && { stall, account };
    },

    /** The picker's order: the banks most used on this site first, then the rest of the directory. */
    async banksForSite(actor: Actor, siteId: number): Promise<{ frequent: BankEntry[]; others: BankEntry[] }> {
      const site = await sites.requireSite(actor, siteId);
      const usage = await accounts.bankUsageForSite(site.id, 5);
      const frequent = usage
        .map((row) => banks.byBin(row.bin))
        .filter((bank): bank is BankEntry => Boolean(bank?.transferSupported));
      const shown = new Set(frequent.map((bank) => bank.bin));
      const others = banks.banks
        .filter((bank) => bank.transferSupported && !shown.has(bank.bin))
        .sort((a, b) => a.shortName.localeCompare(b.shortName, 'vi'));
      return { frequent, others };
    },

    /** Adds another account to a stall (traders often show 2–3 banks). */
    async addAccount(
      actor: Actor,
      stallId: number,
      input: FormInput,
      photo: UploadedPhoto | undefined,
    ): Promise<number> {
      const stall = await stalls.stallToWork(actor, stallId);
      const errors: FieldErrors = {};
      const given = await checkAccountInput(actor, input, photo, stall.id, errors);
      if (!given && Object.keys(errors).length === 0) {
        errors.bank_bin = 'Chọn ngân hàng và nhập số tài khoản, hoặc dán/chụp mã QR của tiểu thương.';
      }
      if (!stall.consent_at && !ticked(input, 'consent')) errors.consent = CONSENT_FOR_ACCOUNT;
      assertNoFieldErrors(errors);
      const at = clock.now().toISOString();
      return transaction(async () => {
        await stalls.recordConsent(stall, actor, at);
        return insertAccount(actor, stall, given!, at);
      });
    },

    /**
     * The name check: the volunteer scanned our code with their own bank app and typed the recipient name
     * it showed. Only a match (after folding) verifies the account; a corrected holder name may be sent
     * with it when the bank's spelling is the right one.
     */
    async checkName(actor: Actor, stallId: number, accountId: number, input: FormInput): Promise<void> {
      const stall = await stalls.stallToWork(actor, stallId);
      const account = await requireAccount(stall, accountId);
      const errors: FieldErrors = {};
      const nameSeen = toBankHolderName(textField(input, 'name_seen'));
      if (!nameSeen) errors.name_seen = 'Nhập tên người nhận mà ứng dụng ngân hàng hiển thị.';
      const holderName = textField(input, 'holder_name') ? resolveHolderName(input, errors) : account.holder_name;
      if (account.retired_at) errors.name_seen = 'Tài khoản này đã ngừng dùng.';
      assertNoFieldErrors(errors);
      if (!holderNamesMatch(nameSeen, holderName)) {
        throw new ValidationError(
          {
            name_seen:
              `Không khớp: ứng dụng hiển thị "${nameSeen}", còn tên chủ tài khoản đã lưu là "${holderName}". ` +
              `Kiểm tra lại ngân hàng và số tài khoản; ` +
              `nếu tên ứng dụng hiển thị mới đúng, sửa tên chủ tài khoản rồi kiểm tra lại.`,
          },
          'Tên người nhận không khớp: tài khoản chưa được xác minh.',
        );
      }
      const at = clock.now().toISOString();
      await transaction(async () => {
        await accounts.markVerified(account.id, { at, by: actor.id, nameSeen, holderName });
        await visits.record({ stallId: stall.id, userId: actor.id, at, action: 'name_checked', accountId: account.id });
        const before = auditedAccount(account);
        const after = { ...before, verified: true, holder_name: holderName, verified_name_seen: nameSeen };
        const changes = auditChanges(before, after, ACCOUNT_AUDIT_FIELDS);
        await recordAccount(actor, 'account.name_check', stall, account.id, changes);
        if (account.is_primary && BEFORE_VERIFIED.includes(stall.status)) {
          await stalls.moveStatus(stall, 'qr_verified', actor, at);
        }
      });
    },

    async setPrimary(actor: Actor, stallId: number, accountId: number): Promise<void> {
      const stall = await stalls.stallToWork(actor, stallId);
      const account = await requireAccount(stall, accountId);
      if (account.retired_at) {
        throw new ValidationError({ accounts: 'Tài khoản đã ngừng dùng không thể làm tài khoản chính.' });
      }
      if (account.is_primary) return;
      const at = clock.now().toISOString();
      const previous = await accounts.findPrimary(stall.id);
      await transaction(async () => {
        // Stickers of the old primary stay on counters: mark them replaced so /v/CODE says so.
        if (previous) {
          await stickers.revokeForAccount(actor, previous.id, 'replaced', 'Sạp đã đổi tài khoản chính', at);
        }
        await accounts.setPrimary(stall.id, account.id);
        const primary = (isPrimary: boolean) => ({ is_primary: isPrimary });
        if (previous) {
          const changes = auditChanges(primary(true), primary(false), ACCOUNT_AUDIT_FIELDS);
          await recordAccount(actor, 'account.primary', stall, previous.id, changes);
        }
        const changes = auditChanges(primary(false), primary(true), ACCOUNT_AUDIT_FIELDS);
        await recordAccount(actor, 'account.primary', stall, account.id, changes);
        await visits.record({
          stallId: stall.id,
          userId: actor.id,
          at,
          action: 'primary_changed',
          accountId: account.id,
        });
        // The sticker on the counter shows the old primary: the stall needs a new one before it counts again.
        if (stall.status === 'installed' || stall.status === 'qr_verified') {
          const to = account.verified_at ? 'qr_verified' : 'has_account';
          await stalls.moveStatus(stall, to, actor, at, 'Đổi tài khoản chính');
        }
      });
    },

    /** Retires an account and revokes its stickers; it stays in the history with its verification. */
    /**
     * Retires an account and revokes its stickers: the trader's code at the counter stops being valid, so it
     * takes a reason from the list and an explicit confirmation (field errors `reason`, `confirm`).
     */
    async retireAccount(actor: Actor, stallId: number, accountId: number, input: FormInput): Promise<void> {
      const stall = await stalls.stallToWork(actor, stallId);
      const account = await requireAccount(stall, accountId);
      if (account.retired_at) return;
      const reason = textField(input, 'reason');
      const errors: FieldErrors = {};
      if (!isRetireReason(reason)) errors.reason = 'Chọn lý do ngừng dùng tài khoản.';
      if (!ticked(input, 'confirm')) {
        errors.confirm = 'Đánh dấu ô xác nhận: ngừng dùng sẽ thu hồi mã QR của tài khoản này ngay.';
      }
      if (Object.keys(errors).length > 0) {
        throw new ValidationError(
          { ...errors, retire_account: String(account.id) },
          'Chưa ngừng dùng tài khoản: xem ô được đánh dấu ở mục "Tài khoản nhận tiền".',
        );
      }
      const why = reason as RetireReason;
      const at = clock.now().toISOString();
      await transaction(async () => {
        await accounts.retire(account.id, at, actor.id, why);
        const changes = auditChanges(
          { retired: false, retired_reason: null },
          { retired: true, retired_reason: why },
          ACCOUNT_AUDIT_FIELDS,
        );
        await recordAccount(actor, 'account.retire', stall, account.id, changes);
        const revokeReason = `Tài khoản đã ngừng dùng: ${RETIRE_REASON_LABELS[why].toLowerCase()}`;
        await stickers.revokeForAccount(actor, account.id, 'revoked', revokeReason, at);
        await visits.record({
          stallId: stall.id,
          userId: actor.id,
          at,
          action: 'account_retired',
          accountId: account.id,
        });
        if (account.is_primary && ['has_account', 'qr_verified', 'installed'].includes(stall.status)) {
          const remaining = (await accounts.listForStall(stall.id)).some((a) => a.retired_at === null);
          await stalls.moveStatus(
            stall,
            remaining ? 'has_account' : 'surveyed',
            actor,
            at,
            'Ngừng dùng tài khoản chính',
          );
        }
      });
    },
  };
}

export type AccountsService = ReturnType<typeof createAccountsService>;
