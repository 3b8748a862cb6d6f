import type { AuditAction } from '../audit/audit-actions.js';
import type { Actor } from '../actor.js';
import { auditChanges, type AuditChanges, type AuditFields } from '../audit/audit-changes.js';
import type { AuditService } from '../audit/audit-service.js';
import type { Clock } from '../clock.js';
import {
  assertNoFieldErrors,
  ForbiddenError,
  NotFoundError,
  ValidationError,
  type FieldErrors,
} from '../http/errors.js';
import { TEXT_FIELDS } from '../http/text-fields.js';
import { checkedText, textField, ticked, type FormInput } from '../http/validate.js';
import type { PhotoReader } from '../qr-photo/photo-reader.js';
import type { SitesService } from '../sites/sites-service.js';
import { OUTSIDE_REACH_MARK, type StallRow, type StallsService } from '../stalls/stalls-service.js';
import type { StickersService } from '../stickers/stickers-service.js';
import type { BankDirectory, BankEntry } from '../vietqr/banks.js';
import { holderNamesMatch, toBankHolderName } from '../vietqr/holder-name.js';
import type { VisitsService } from '../visits/visits-service.js';
import { maskAccount } from '../vocabulary/masking.js';
import { PAYEE_CHANGE_KIND_LABELS, type PayeeChangeKind } from '../vocabulary/payee-changes.js';
import { can } from '../vocabulary/roles.js';
import { isRetireReason, RETIRE_REASON_LABELS, type RetireReason } from '../vocabulary/retire-reasons.js';
import type { StallStatus } from '../vocabulary/stall-status.js';
import { resolveAccount, resolveHolderName, type ResolvedAccount, type UploadedPhoto } from './account-source.js';
import type { AccountRow, AccountsRepo } from './accounts-repo.js';
import type { PayeeChangeRow, PayeeChangesRepo, PendingPayeeChangeRow } from './payee-changes-repo.js';

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

/**
 * How a payee-change request enters the audit trail: its kind, state and retire reason as they are; the
 * accounts masked; the reason and the decision note the people typed only as "changed".
 */
const PAYEE_CHANGE_AUDIT_FIELDS: AuditFields = {
  plain: ['kind', 'request_status', 'retire_reason'],
  personal: ['reason', 'decision_note'],
  accountNumbers: ['account_number', 'from_account_number'],
};

/** The most pending requests the work list shows at once; the count in the menu is complete. */
export const WORK_LIST_LIMIT = 200;

const REQUEST_NOT_FOUND = 'Không tìm thấy yêu cầu này.';
const ONE_PENDING =
  'Sạp đang có một yêu cầu đổi tài khoản nhận tiền chờ duyệt: chờ duyệt xong hoặc rút lại yêu cầu đó trước.';

/**
 * A pending payee-change request as a page shows it: accounts masked, the reason only for the roles that
 * read personal data, and what the actor may do with it.
 */
export interface PayeeChangeView {
  id: number;
  stallId: number;
  stallLabel: string;
  businessName: string;
  siteId: number;
  siteName: string;
  kind: PayeeChangeKind;
  kindLabel: string;
  accountId: number;
  /** Bank BIN and masked number of the primary when asked (null: none), and of the account concerned. */
  from: { bin: string; masked: string } | null;
  account: { bin: string; masked: string };
  /** For retire_primary: the retire reason's label. */
  retireReasonLabel: string | null;
  requestedBy: number;
  requesterName: string;
  requestedAt: string;
  /** The requester's words: null for roles that do not read personal data. */
  reason: string | null;
  /** Approve or refuse: a team lead or admin in reach who did not ask. */
  mayDecide: boolean;
  /** Withdraw: the requester, or whoever may decide. */
  mayCancel: boolean;
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
  readonly payeeChanges: PayeeChangesRepo;
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
  payeeChanges,
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
    actor: Actor | null,
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

  /**
   * Saves a checked account; the first one of a stall is its primary and moves it to "has account". With
   * `asPrimary: false` it is saved as a non-primary account whatever the stall has (an add_primary request
   * waiting for approval), and the stall keeps its status.
   */
  async function insertAccount(
    actor: Actor | null,
    stall: StallRow,
    given: AccountInput,
    at: string,
    options: { asPrimary?: boolean } = {},
  ): Promise<number> {
    return transaction(async () => {
      const isPrimary = options.asPrimary ?? !(await accounts.findPrimary(stall.id));
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
        by: actor?.id ?? null,
      });
      await visits.record({ stallId: stall.id, userId: actor?.id ?? null, at, action: 'account_added', accountId: id });
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
      if (options.asPrimary !== false && BEFORE_ACCOUNT.includes(stall.status)) {
        await stalls.moveStatus(stall, 'has_account', actor, at);
      }
      return id;
    });
  }

  /**
   * Makes `account` the stall's primary, the old primary's stickers replaced: the direct path, and what an
   * approved set_primary or add_primary request does (then `actor` is the one who approved). Inside the
   * caller's transaction.
   */
  async function applyPrimary(actor: Actor, stall: StallRow, account: AccountRow, at: string): Promise<void> {
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
      } else if (BEFORE_ACCOUNT.includes(stall.status)) {
        // A stall left without a primary (its old one retired) has an account again.
        await stalls.moveStatus(stall, 'has_account', actor, at, 'Đặt tài khoản chính');
      }
      if (account.verified_at && BEFORE_VERIFIED.includes(stall.status)) {
        await stalls.moveStatus(stall, 'qr_verified', actor, at, 'Đặt tài khoản chính');
      }
    });
  }

  /**
   * Retires an account and revokes its stickers, the primary's retirement moving the stall back: the direct
   * path, and what an approved retire_primary request does. Inside the caller's transaction.
   */
  async function applyRetire(
    actor: Actor,
    stall: StallRow,
    account: AccountRow,
    why: RetireReason,
    at: string,
  ): Promise<void> {
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
        await stalls.moveStatus(stall, remaining ? 'has_account' : 'surveyed', actor, at, 'Ngừng dùng tài khoản chính');
      }
    });
  }

  /**
   * Whether changing the stall's payee needs a second person: its sticker has been printed (for any of its
   * accounts, whatever that sticker's status now) or it is marked installed. Before that the volunteer works
   * alone.
   */
  async function needsApproval(stall: StallRow): Promise<boolean> {
    return stall.status === 'installed' || (await payeeChanges.stallWasPrinted(stall.id));
  }

  /** The reason a request carries (field `change_reason`): required, at most PAYEE_CHANGE_TEXT_MAX characters. */
  function changeReason(input: FormInput, errors: FieldErrors): string {
    const reason = checkedText(input, 'change_reason', TEXT_FIELDS.payeeChangeReason, errors);
    if (!reason) {
      errors.change_reason ??= 'Mã QR của sạp đã được in: ghi lý do đổi tài khoản nhận tiền để tổ trưởng xem và duyệt.';
    }
    return reason;
  }

  /** Refuses a second open request on a stall. */
  async function assertNoPending(stall: StallRow): Promise<void> {
    if (await payeeChanges.findPending(stall.id)) throw new ValidationError({ accounts: ONE_PENDING }, ONE_PENDING);
  }

  function auditedRequest(
    request: { kind: PayeeChangeKind; reason: string; retireReason: RetireReason | null },
    account: AccountRow,
    from: AccountRow | undefined,
  ): Record<string, unknown> {
    return {
      kind: request.kind,
      request_status: 'pending',
      reason: request.reason,
      retire_reason: request.retireReason,
      account_number: account.account_number,
      from_account_number: from?.account_number ?? null,
    };
  }

  /** Files a request, with its audit row, inside the caller's transaction. */
  async function fileRequest(
    actor: Actor,
    stall: StallRow,
    kind: PayeeChangeKind,
    account: AccountRow,
    reason: string,
    retireReason: RetireReason | null,
    at: string,
  ): Promise<number> {
    return transaction(async () => {
      const from = await accounts.findPrimary(stall.id);
      const id = await payeeChanges.insert({
        stallId: stall.id,
        kind,
        accountId: account.id,
        fromAccountId: from?.id ?? null,
        reason,
        retireReason,
        by: actor.id,
        at,
      });
      const after = auditedRequest({ kind, reason, retireReason }, account, from);
      await audit.record({
        actor,
        action: 'payee_change.request',
        entity: 'payee_change',
        entityId: id,
        place: await stalls.placeOfSite(stall.site_id),
        changes: auditChanges(undefined, after, PAYEE_CHANGE_AUDIT_FIELDS),
      });
      return id;
    });
  }

  function mayDecide(actor: Actor, request: Pick<PayeeChangeRow, 'requested_by'>): boolean {
    return can(actor.role, 'handleWork') && request.requested_by !== actor.id;
  }

  function presentRequest(actor: Actor, row: PendingPayeeChangeRow): PayeeChangeView {
    return {
      id: row.id,
      stallId: row.stall_id,
      stallLabel: row.stall_label,
      businessName: row.business_name,
      siteId: row.site_id,
      siteName: row.site_name,
      kind: row.kind,
      kindLabel: PAYEE_CHANGE_KIND_LABELS[row.kind],
      accountId: row.account_id,
      from:
        row.from_bin !== null && row.from_account_number !== null
          ? { bin: row.from_bin, masked: maskAccount(row.from_account_number) }
          : null,
      account: { bin: row.bin, masked: maskAccount(row.account_number) },
      retireReasonLabel: row.retire_reason ? RETIRE_REASON_LABELS[row.retire_reason] : null,
      requestedBy: row.requested_by,
      requesterName: row.requester_name,
      requestedAt: row.requested_at,
      reason: can(actor.role, 'readPersonalData') ? row.reason : null,
      mayDecide: mayDecide(actor, row),
      mayCancel: row.requested_by === actor.id || can(actor.role, 'handleWork'),
    };
  }

  /**
   * The request and its stall, for a decision: 404 when it does not exist or its stall lies outside the
   * actor's reach (one message for both); 403 for a role that may not decide, or for the one who asked.
   */
  async function requestToDecide(actor: Actor, id: number): Promise<{ request: PayeeChangeRow; stall: StallRow }> {
    const request = await payeeChanges.findById(id);
    if (!request) throw new NotFoundError(REQUEST_NOT_FOUND);
    await stallOfRequest(actor, request);
    if (!can(actor.role, 'handleWork')) {
      throw new ForbiddenError('Chỉ tổ trưởng hoặc quản trị viên được duyệt yêu cầu đổi tài khoản nhận tiền.');
    }
    if (request.requested_by === actor.id) {
      throw new ForbiddenError(
        'Bạn là người gửi yêu cầu này nên không thể tự duyệt hay từ chối: cần một tổ trưởng hoặc quản trị viên khác.',
      );
    }
    return { request, stall: await stalls.stallToWork(actor, request.stall_id) };
  }

  async function stallOfRequest(actor: Actor, request: PayeeChangeRow): Promise<void> {
    try {
      await stalls.getStall(actor, request.stall_id);
    } catch (error) {
      if (error instanceof NotFoundError) throw new NotFoundError(REQUEST_NOT_FOUND);
      throw error;
    }
  }

  function alreadyDecided(): ValidationError {
    const message = 'Yêu cầu này đã được xử lý hoặc đã rút lại.';
    return new ValidationError({ payee_change: message }, message);
  }

  function assertPending(request: PayeeChangeRow): void {
    if (request.status !== 'pending') throw alreadyDecided();
  }

  /**
   * Closes a request (refused or withdrawn) and records it. An add_primary account was saved only for its
   * request: it is retired with it, so no unapproved account lingers on the stall.
   */
  async function closeUnapplied(
    actor: Actor,
    request: PayeeChangeRow,
    stall: StallRow,
    status: 'refused' | 'cancelled',
    note: string,
  ): Promise<void> {
    const at = clock.now().toISOString();
    await transaction(async () => {
      if (!(await payeeChanges.close(request.id, { status, by: actor.id, at, note }))) throw alreadyDecided();
      if (request.kind === 'add_primary') {
        const account = await accounts.findById(request.account_id);
        if (account && !account.retired_at) await applyRetire(actor, stall, account, 'other', at);
      }
      await audit.record({
        actor,
        action: status === 'refused' ? 'payee_change.refuse' : 'payee_change.cancel',
        entity: 'payee_change',
        entityId: request.id,
        place: await stalls.placeOfSite(stall.site_id),
        changes: auditChanges(
          { request_status: 'pending', decision_note: '' },
          { request_status: status, decision_note: note },
          PAYEE_CHANGE_AUDIT_FIELDS,
        ),
      });
    });
  }

  return {
    checkAccountInput,
    insertAccount,

    /**
     * A stall's accounts as stored and whether changing its payee needs a second person (its sticker printed
     * or installed): what the import needs to tell an account it may add from a conflict.
     */
    async payeeFacts(stall: StallRow): Promise<{ accounts: AccountRow[]; needsApproval: boolean }> {
      return { accounts: await accounts.listForStall(stall.id), needsApproval: await needsApproval(stall) };
    },

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

    /**
     * Adds another account to a stall (traders often show 2–3 banks). When it would become the primary of a
     * stall whose sticker is out, it is saved as a non-primary account and an add_primary request is filed
     * (field `change_reason` required); the account becomes primary only when a second person approves.
     */
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
      const wouldBePrimary = !(await accounts.findPrimary(stall.id));
      const asRequest = wouldBePrimary && (await needsApproval(stall));
      const reason = asRequest ? changeReason(input, errors) : '';
      assertNoFieldErrors(errors);
      if (asRequest) await assertNoPending(stall);
      const at = clock.now().toISOString();
      return transaction(async () => {
        await stalls.recordConsent(stall, actor, at);
        if (!asRequest) return insertAccount(actor, stall, given!, at);
        const id = await insertAccount(actor, stall, given!, at, { asPrimary: false });
        const account = (await accounts.findById(id))!;
        await fileRequest(actor, stall, 'add_primary', account, reason, null, at);
        return id;
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
      const nameSeen = toBankHolderName(checkedText(input, 'name_seen', TEXT_FIELDS.nameSeen, errors));
      if (!nameSeen) errors.name_seen ??= 'Nhập tên người nhận mà ứng dụng ngân hàng hiển thị.';
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

    /**
     * Makes another account the primary. On a stall whose sticker is out this files a set_primary request
     * (field `change_reason`) and changes nothing until it is approved: the old sticker stays valid. Returns
     * whether it was only requested.
     */
    async setPrimary(
      actor: Actor,
      stallId: number,
      accountId: number,
      input: FormInput = {},
    ): Promise<'done' | 'requested'> {
      const stall = await stalls.stallToWork(actor, stallId);
      const account = await requireAccount(stall, accountId);
      if (account.retired_at) {
        throw new ValidationError({ accounts: 'Tài khoản đã ngừng dùng không thể làm tài khoản chính.' });
      }
      if (account.is_primary) return 'done';
      await assertNoPending(stall);
      const at = clock.now().toISOString();
      if (await needsApproval(stall)) {
        const errors: FieldErrors = {};
        const reason = changeReason(input, errors);
        if (Object.keys(errors).length > 0) {
          throw new ValidationError(
            { ...errors, primary_account: String(account.id) },
            'Chưa gửi yêu cầu đổi tài khoản chính: xem ô được đánh dấu ở mục "Tài khoản nhận tiền".',
          );
        }
        await fileRequest(actor, stall, 'set_primary', account, reason, null, at);
        return 'requested';
      }
      await applyPrimary(actor, stall, account, at);
      return 'done';
    },

    /**
     * Retires an account and revokes its stickers: the trader's code at the counter stops being valid, so it
     * takes a reason from the list and an explicit confirmation (field errors `reason`, `confirm`). Retiring
     * the primary of a stall whose sticker is out files a retire_primary request instead (field
     * `change_reason` too); a non-primary account is retired at once. Returns whether it was only requested.
     */
    async retireAccount(
      actor: Actor,
      stallId: number,
      accountId: number,
      input: FormInput,
    ): Promise<'done' | 'requested'> {
      const stall = await stalls.stallToWork(actor, stallId);
      const account = await requireAccount(stall, accountId);
      if (account.retired_at) return 'done';
      const asRequest = account.is_primary === 1 && (await needsApproval(stall));
      const reason = textField(input, 'reason');
      const errors: FieldErrors = {};
      if (!isRetireReason(reason)) errors.reason = 'Chọn lý do ngừng dùng tài khoản.';
      if (!ticked(input, 'confirm')) {
        errors.confirm = asRequest
          ? 'Đánh dấu ô xác nhận: khi được duyệt, mã QR của tài khoản này bị thu hồi ngay.'
          : 'Đánh dấu ô xác nhận: ngừng dùng sẽ thu hồi mã QR của tài khoản này ngay.';
      }
      const changeText = asRequest ? changeReason(input, errors) : '';
      if (Object.keys(errors).length > 0) {
        throw new ValidationError(
          { ...errors, retire_account: String(account.id) },
          'Chưa ngừng dùng tài khoản: xem ô được đánh dấu ở mục "Tài khoản nhận tiền".',
        );
      }
      const pending = await payeeChanges.findPending(stall.id);
      if (asRequest && pending) throw new ValidationError({ accounts: ONE_PENDING }, ONE_PENDING);
      if (pending?.account_id === account.id) {
        const message = 'Tài khoản này đang có yêu cầu chờ duyệt: rút lại yêu cầu trước khi ngừng dùng tài khoản.';
        throw new ValidationError({ accounts: message }, message);
      }
      const why = reason as RetireReason;
      const at = clock.now().toISOString();
      if (asRequest) {
        await fileRequest(actor, stall, 'retire_primary', account, changeText, why, at);
        return 'requested';
      }
      await applyRetire(actor, stall, account, why, at);
      return 'done';
    },

    /**
     * The stall's payee-change state for its page: whether a change needs a second person, and the pending
     * request if any (404 outside the reach).
     */
    async payeeChangeOf(
      actor: Actor,
      stallId: number,
    ): Promise<{ needsApproval: boolean; pending: PayeeChangeView | undefined }> {
      const stall = await stalls.getStall(actor, stallId);
      const row = await payeeChanges.findPendingView(stall.id, actor.reach);
      return {
        needsApproval: stall.status === 'installed' || (await payeeChanges.stallWasPrinted(stall.id)),
        pending: row && presentRequest(actor, row),
      };
    },

    /** The pending requests in the actor's reach, oldest first, for the work list: 403 for other roles. */
    async pendingPayeeChanges(actor: Actor): Promise<{ requests: PayeeChangeView[]; total: number }> {
      if (!can(actor.role, 'handleWork')) {
        throw new ForbiddenError('Chỉ tổ trưởng và quản trị viên có danh sách việc cần xử lý.');
      }
      const rows = await payeeChanges.listPending(actor.reach, WORK_LIST_LIMIT);
      const total = await payeeChanges.countPending(actor.reach);
      return { requests: rows.map((row) => presentRequest(actor, row)), total };
    },

    /** How many requests wait in the actor's reach (0 for roles without a work list): the menu's count. */
    countPendingPayeeChanges: async (actor: Actor): Promise<number> =>
      can(actor.role, 'handleWork') ? payeeChanges.countPending(actor.reach) : 0,

    /**
     * Approves a request: performs the change as the direct path does, in one transaction with the request's
     * closing and its audit rows, the approver named as who changed the accounts. Returns the stall's id.
     */
    async approvePayeeChange(actor: Actor, id: number): Promise<number> {
      const { request, stall } = await requestToDecide(actor, id);
      assertPending(request);
      const at = clock.now().toISOString();
      await transaction(async () => {
        if (!(await payeeChanges.close(request.id, { status: 'approved', by: actor.id, at, note: '' }))) {
          throw alreadyDecided();
        }
        const account = await requireAccount(stall, request.account_id);
        if (account.retired_at) {
          const message = 'Tài khoản của yêu cầu đã ngừng dùng: hãy từ chối yêu cầu này.';
          throw new ValidationError({ payee_change: message }, message);
        }
        if (request.kind === 'retire_primary') await applyRetire(actor, stall, account, request.retire_reason!, at);
        else await applyPrimary(actor, stall, account, at);
        await audit.record({
          actor,
          action: 'payee_change.approve',
          entity: 'payee_change',
          entityId: request.id,
          place: await stalls.placeOfSite(stall.site_id),
          changes: auditChanges(
            { request_status: 'pending' },
            { request_status: 'approved' },
            PAYEE_CHANGE_AUDIT_FIELDS,
          ),
        });
      });
      return stall.id;
    },

    /** Refuses a request with a note (field `note`, required): nothing changes on the stall. Returns its id. */
    async refusePayeeChange(actor: Actor, id: number, input: FormInput): Promise<number> {
      const { request, stall } = await requestToDecide(actor, id);
      assertPending(request);
      const checked: FieldErrors = {};
      const note = checkedText(input, 'note', TEXT_FIELDS.payeeRefusalNote, checked);
      const error = checked.note ?? (note ? undefined : 'Ghi lý do từ chối để người gửi yêu cầu biết.');
      if (error) {
        throw new ValidationError({ note: error, refuse_request: String(request.id) }, 'Chưa từ chối: ' + error);
      }
      await closeUnapplied(actor, request, stall, 'refused', note);
      return stall.id;
    },

    /**
     * Withdraws a request: the requester, or a team lead or admin who could decide it (404 outside the
     * reach, 403 for anyone else). Returns the stall's id.
     */
    async cancelPayeeChange(actor: Actor, id: number): Promise<number> {
      const request = await payeeChanges.findById(id);
      if (!request) throw new NotFoundError(REQUEST_NOT_FOUND);
      await stallOfRequest(actor, request);
      if (request.requested_by !== actor.id && !can(actor.role, 'handleWork')) {
        throw new ForbiddenError('Chỉ người gửi yêu cầu, tổ trưởng hoặc quản trị viên được rút lại yêu cầu này.');
      }
      if (!can(actor.role, 'manageStalls')) throw new ForbiddenError('Vai trò của bạn không được sửa sạp.');
      assertPending(request);
      const stall = await stalls.stallToWork(actor, request.stall_id);
      await closeUnapplied(actor, request, stall, 'cancelled', '');
      return stall.id;
    },
  };
}

export type AccountsService = ReturnType<typeof createAccountsService>;
