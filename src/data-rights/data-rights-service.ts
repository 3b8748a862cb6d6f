import type { AccountsService } from '../accounts/accounts-service.js';
import type { Actor } from '../actor.js';
import { auditChanges, type AuditFields } from '../audit/audit-changes.js';
import type { AuditService } from '../audit/audit-service.js';
import type { Clock } from '../clock.js';
import { ForbiddenError, NotFoundError, ValidationError, type FieldErrors } from '../http/errors.js';
import { textField, ticked, type FormInput } from '../http/validate.js';
import type { RedactionService } from '../redaction/redaction-service.js';
import type { SitesService } from '../sites/sites-service.js';
import type { StallRow, StallsService } from '../stalls/stalls-service.js';
import type { StickersService } from '../stickers/stickers-service.js';
import { foldForSearch } from '../text/fold.js';
import {
  isErasedAccountNumber,
  isRightsReason,
  RIGHTS_REASON_LABELS,
  type RightsReason,
} from '../vocabulary/data-rights.js';
import type { Role } from '../vocabulary/roles.js';
import { VISIT_ACTION_LABELS } from '../vocabulary/visit-actions.js';
import type { BankDirectory } from '../vietqr/banks.js';
import type { StallStatus } from '../vocabulary/stall-status.js';
import type { DataRightsRepo } from './data-rights-repo.js';
import type { RightsJournal, RightsJournalEntry } from './rights-journal.js';

/** What re-applying a journal did: applied now, found already applied, stall not in the database. */
export interface ReapplyCounts {
  applied: number;
  alreadyApplied: number;
  missing: number;
}

/** Who answers a trader's request about their data, inside their reach. */
const RIGHTS_ROLES: readonly Role[] = ['team_lead', 'admin'];

export const RIGHTS_FORBIDDEN = 'Chỉ tổ trưởng và quản trị viên được làm việc với quyền dữ liệu của tiểu thương.';

/** Statuses that rest on an account in use: without one the stall is back to "surveyed", as a direct retire does. */
const NEEDS_ACCOUNT: readonly StallStatus[] = ['has_account', 'qr_verified', 'installed'];

/** Why a sticker stops being valid when the trader withdraws consent (shown on /v/CODE: no name in it). */
export const WITHDRAWN_STICKER_REASON = 'Tiểu thương đã rút lại đồng ý lưu thông tin';

/**
 * How withdrawal and erasure enter the audit trail: the reason code, the consent flag and which accounts and
 * stickers with their values; every personal field only as "changed" — the business name too, since the
 * consent names it with the trader's personal data.
 */
const RIGHTS_AUDIT_FIELDS: AuditFields = {
  plain: ['rights_reason', 'consent', 'erased', 'accounts', 'stickers', 'payee_changes', 'sticker_reports'],
  personal: ['owner_name', 'phone', 'business_name', 'holder_name', 'verified_name_seen', 'account_number', 'note'],
};

const ACCOUNT_RETIRE_FIELDS: AuditFields = { plain: ['retired', 'retired_reason'] };

export interface DataRightsServiceDeps {
  readonly repo: DataRightsRepo;
  readonly stalls: Pick<StallsService, 'getStall' | 'viewStall' | 'moveStatus' | 'placeOfSite' | 'history' | 'visits'>;
  readonly sites: Pick<SitesService, 'getSite'>;
  readonly accounts: Pick<AccountsService, 'accountsOf'>;
  readonly stickers: Pick<StickersService, 'revokeForAccount' | 'listForStall'>;
  readonly redaction: Pick<RedactionService, 'redactStallFreeText'>;
  readonly audit: Pick<AuditService, 'record' | 'stallRecord'>;
  readonly banks: Pick<BankDirectory, 'byBin'>;
  /** Called after an erasure commits: account numbers changed, so caches of them start over. */
  readonly afterAccountsErased: () => Promise<void>;
  /** Every withdrawal and erasure, after it committed, for re-applying them after a restore. */
  readonly journal: RightsJournal;
  readonly transaction: <T>(work: () => Promise<T>) => Promise<T>;
  readonly clock: Clock;
}

/**
 * The stall's data is erased and nothing was agreed to since: asking again changes nothing. A trader who agreed
 * again after an erasure may have new data stored, and may ask for its erasure too.
 */
export function erasedSinceLastConsent(stall: { erased_at: string | null; consent_at: string | null }): boolean {
  return stall.erased_at !== null && !(stall.consent_at !== null && stall.consent_at > stall.erased_at);
}

function noConsentInForce(): ValidationError {
  return new ValidationError(
    { rights_reason: 'Sạp không có đồng ý nào đang có hiệu lực để rút lại.' },
    'Chưa thực hiện: sạp không có đồng ý nào đang có hiệu lực.',
  );
}

/** What a withdrawal or an erasure is asked with: a reason from the list and the confirmation tick. */
function checkRequest(input: FormInput, confirmMessage: string): RightsReason {
  const reason = textField(input, 'rights_reason');
  const errors: FieldErrors = {};
  if (!isRightsReason(reason)) errors.rights_reason = 'Chọn lý do từ danh sách.';
  if (!ticked(input, 'confirm')) errors.confirm = confirmMessage;
  if (Object.keys(errors).length > 0) {
    throw new ValidationError(errors, 'Chưa thực hiện: xem ô được đánh dấu ở mục "Quyền của tiểu thương".');
  }
  return reason as RightsReason;
}

/**
 * The trader's rights over their data (Decree 356/2025), for team leads and administrators inside their reach
 * (404 outside, as a missing stall; 403 for the other roles): the record of what they agreed to, withdrawing
 * consent, erasing their personal data, and everything held about their stall. Each write is one transaction
 * with its audit rows; the stall stays in the census with its status history, so past figures never move.
 */
export function createDataRightsService({
  repo,
  stalls,
  sites,
  accounts,
  stickers,
  redaction,
  audit,
  banks,
  afterAccountsErased,
  journal,
  transaction,
  clock,
}: DataRightsServiceDeps) {
  /** The stall (404 outside the reach), then the role (403). */
  async function stallForRights(actor: Actor, stallId: number): Promise<StallRow> {
    const stall = await stalls.getStall(actor, stallId);
    if (!RIGHTS_ROLES.includes(actor.role)) throw new ForbiddenError(RIGHTS_FORBIDDEN);
    return stall;
  }

  /**
   * Stops every further use of the stall's personal data, inside the caller's transaction: the consent in
   * force is closed, owner name, phone and business name cleared (the values, not just hidden: a trader who
   * withdraws expects their phone not to be called or matched again), active accounts retired and their
   * stickers revoked, the status moved back as a direct retire would. What remains (retired accounts' names
   * and numbers, notes) is what was processed under the consent: the erasure removes it.
   */
  async function stopUse(actor: Actor, stall: StallRow, reason: RightsReason, at: string) {
    const closed = await repo.closeConsent(stall.id, at, actor.id, reason);
    await repo.clearPersonalFields(stall.id, foldForSearch(stall.label), at, actor.id);
    const place = await stalls.placeOfSite(stall.site_id);
    // A request to change the payee names accounts about to be retired: it is withdrawn with them.
    for (const requestId of await repo.cancelPendingPayeeChanges(stall.id, at, actor.id)) {
      await audit.record({
        actor,
        action: 'payee_change.cancel',
        entity: 'payee_change',
        entityId: requestId,
        place,
        changes: auditChanges(
          { request_status: 'pending' },
          { request_status: 'cancelled' },
          { plain: ['request_status'] },
        ),
      });
    }
    const retired: number[] = [];
    let stickersRevoked = 0;
    for (const account of await repo.activeAccounts(stall.id)) {
      await repo.retireAccount(account.id, at, actor.id);
      retired.push(account.id);
      await audit.record({
        actor,
        action: 'account.retire',
        entity: 'account',
        entityId: account.id,
        place,
        changes: auditChanges(
          { retired: false, retired_reason: null },
          { retired: true, retired_reason: 'other' },
          ACCOUNT_RETIRE_FIELDS,
        ),
      });
      stickersRevoked += await stickers.revokeForAccount(actor, account.id, 'revoked', WITHDRAWN_STICKER_REASON, at);
    }
    if (retired.length > 0 && NEEDS_ACCOUNT.includes(stall.status)) {
      await stalls.moveStatus(stall, 'surveyed', actor, at, 'Tiểu thương rút lại đồng ý');
    }
    return { consentClosed: closed > 0, retired, stickersRevoked };
  }

  /** The stall's personal fields as the audit trail compares them (never as values: all personal). */
  const personalOf = (stall: StallRow) => ({
    owner_name: stall.owner_name,
    phone: stall.phone,
    business_name: stall.business_name,
  });
  const cleared = { owner_name: '', phone: null, business_name: '' };

  /** The withdrawal itself, in one transaction with its audit row. */
  async function withdrawNow(actor: Actor, stall: StallRow, reason: RightsReason, at: string): Promise<void> {
    await transaction(async () => {
      const before = personalOf(stall);
      const done = await stopUse(actor, stall, reason, at);
      // A second submit that read the stall before the first committed finds no consent left: nothing twice.
      if (!done.consentClosed) throw noConsentInForce();
      await audit.record({
        actor,
        action: 'consent.withdraw',
        entity: 'stall',
        entityId: stall.id,
        place: await stalls.placeOfSite(stall.site_id),
        changes: auditChanges(
          { ...before, consent: true, rights_reason: null, accounts: null },
          { ...cleared, consent: false, rights_reason: reason, accounts: done.retired.join(',') || null },
          RIGHTS_AUDIT_FIELDS,
        ),
      });
    });
  }

  /** The erasure itself, in one transaction with its audit rows; then the caches of account numbers start over. */
  async function eraseNow(actor: Actor, stall: StallRow, reason: RightsReason, at: string): Promise<boolean> {
    const erased = await transaction(async () => {
      // Read again inside the transaction: a second submit that read the stall before the first committed.
      const current = await repo.erasure(stall.id);
      if (current && erasedSinceLastConsent(current)) return false;
      const before = personalOf(stall);
      const hadConsent = stall.consent_at !== null;
      await stopUse(actor, stall, reason, at);
      // The redaction's own reason is kept for good in `redactions`: our fixed words, naming no one.
      await redaction.redactStallFreeText(actor, {
        stallId: stall.id,
        reason: `Xóa dữ liệu cá nhân của sạp: ${RIGHTS_REASON_LABELS[reason].toLowerCase()}`,
      });
      const erasedAccounts = await repo.eraseAccounts(stall.id, at);
      const emptiedStickers = await repo.emptyStickerPayloads(stall.id);
      const blankedRequests = await repo.blankPayeeChangeTexts(stall.id);
      const blankedReports = await repo.blankStickerReportTexts(stall.id);
      await repo.markErased(stall.id, at, actor.id, reason);
      // Holder names and numbers only as "changed" (RIGHTS_AUDIT_FIELDS): a stand-in before, none after.
      const accountFields = erasedAccounts.length > 0 ? { holder_name: 'held', account_number: 'held' } : {};
      await audit.record({
        actor,
        action: 'stall.erase',
        entity: 'stall',
        entityId: stall.id,
        place: await stalls.placeOfSite(stall.site_id),
        changes: auditChanges(
          {
            ...before,
            ...accountFields,
            consent: hadConsent,
            erased: false,
            rights_reason: null,
            accounts: null,
            stickers: null,
            payee_changes: null,
            sticker_reports: null,
          },
          {
            ...cleared,
            consent: false,
            erased: true,
            rights_reason: reason,
            accounts: erasedAccounts.join(',') || null,
            stickers: emptiedStickers.join(',') || null,
            payee_changes: blankedRequests.join(',') || null,
            sticker_reports: blankedReports.join(',') || null,
          },
          RIGHTS_AUDIT_FIELDS,
        ),
      });
      return true;
    });
    if (erased) await afterAccountsErased();
    return erased;
  }

  return {
    /** "Bản ghi nhận đồng ý": each consent with the exact words agreed to, when, recorded by whom; any withdrawal. */
    async consentRecord(actor: Actor, stallId: number) {
      await stallForRights(actor, stallId);
      // The record names the trader: a view of their personal data, recorded as the stall page's is.
      const stall = await stalls.viewStall(actor, stallId);
      return {
        stall,
        site: await sites.getSite(actor, stall.site_id),
        consents: await repo.consents(stall.id),
        erasure: await repo.erasure(stall.id),
        reasonLabels: RIGHTS_REASON_LABELS,
        printedAt: clock.now().toISOString(),
      };
    },

    /** "Dữ liệu đang lưu": everything held about the stall, for the trader to see; the view is recorded. */
    async heldData(actor: Actor, stallId: number) {
      await stallForRights(actor, stallId);
      const stall = await stalls.viewStall(actor, stallId);
      return {
        stall,
        site: await sites.getSite(actor, stall.site_id),
        consents: await repo.consents(stall.id),
        erasure: await repo.erasure(stall.id),
        accounts: (await accounts.accountsOf(actor, stall.id)).map((account) => ({
          ...account,
          bank: banks.byBin(account.bin),
          erased: account.account_number !== null && isErasedAccountNumber(account.account_number),
        })),
        stickers: await stickers.listForStall(actor, stall.id),
        prints: await repo.stickerPrints(stall.id),
        history: await stalls.history(actor, stall.id),
        visits: await stalls.visits(actor, stall.id),
        redactedNotes: await repo.redactedNotes(stall.id),
        auditEntries: await audit.stallRecord(actor, stall.id),
        reasonLabels: RIGHTS_REASON_LABELS,
        visitLabels: VISIT_ACTION_LABELS,
        printedAt: clock.now().toISOString(),
      };
    },

    /** "Rút lại đồng ý": see stopUse. Needs a consent in force, a reason and the confirmation. */
    async withdrawConsent(actor: Actor, stallId: number, input: FormInput): Promise<void> {
      const stall = await stallForRights(actor, stallId);
      const reason = checkRequest(
        input,
        'Đánh dấu ô xác nhận: rút lại đồng ý sẽ xóa họ tên, số điện thoại, tên cơ sở và thu hồi mã QR của sạp ngay.',
      );
      if (!stall.consent_at) throw noConsentInForce();
      const at = clock.now().toISOString();
      await withdrawNow(actor, stall, reason, at);
      // After the commit: a journal line without its change would be worse than a missing one (README).
      await journal.append({ kind: 'withdraw', stallId: stall.id, at, reason });
    },

    /**
     * "Xóa dữ liệu cá nhân": stops every use (as a withdrawal), then removes what is left — the notes of the
     * history and visits (through the one redaction path), the accounts' holder names, bank-app names and
     * numbers, the stickers' payloads — and marks the stall erased. It stays in the census as an anonymous
     * stall with its label, goods category and status history. Once erased, asking again changes nothing,
     * until the trader agrees again (erasedSinceLastConsent).
     */
    async erase(actor: Actor, stallId: number, input: FormInput): Promise<void> {
      const stall = await stallForRights(actor, stallId);
      const reason = checkRequest(
        input,
        'Đánh dấu ô xác nhận: dữ liệu cá nhân của sạp bị xóa hẳn, không khôi phục được, mã QR bị thu hồi.',
      );
      if (erasedSinceLastConsent(stall)) return;
      const at = clock.now().toISOString();
      if (await eraseNow(actor, stall, reason, at))
        await journal.append({ kind: 'erase', stallId: stall.id, at, reason });
    },

    /**
     * After a backup was restored: applies again, in order, every withdrawal and erasure of the journal that
     * the database lacks — a withdrawal when the consent in force was given before it, an erasure when the
     * stall is not erased. Stalls the database does not hold (added after the backup) are counted, not an
     * error. Administrators only, as the command line's user; each applied one is audited as done now.
     */
    async reapply(actor: Actor, entries: readonly RightsJournalEntry[]): Promise<ReapplyCounts> {
      if (actor.role !== 'admin') throw new ForbiddenError('Chỉ quản trị viên được áp dụng lại các lần xóa dữ liệu.');
      const counts = { applied: 0, alreadyApplied: 0, missing: 0 };
      for (const entry of entries) {
        let stall: StallRow;
        try {
          stall = await stalls.getStall(actor, entry.stallId);
        } catch (error) {
          if (error instanceof NotFoundError) {
            counts.missing++;
            continue;
          }
          throw error;
        }
        const at = clock.now().toISOString();
        // An erasure is missing when the stall was never erased, or only before this one (a trader who agreed
        // again after an erasure, then asked for another).
        const erasureMissing = stall.erased_at === null || stall.erased_at < entry.at;
        if (entry.kind === 'erase' && erasureMissing && (await eraseNow(actor, stall, entry.reason, at))) {
          counts.applied++;
        } else if (entry.kind === 'withdraw' && stall.consent_at !== null && stall.consent_at < entry.at) {
          await withdrawNow(actor, stall, entry.reason, at);
          counts.applied++;
        } else {
          counts.alreadyApplied++;
        }
      }
      return counts;
    },
  };
}

export type DataRightsService = ReturnType<typeof createDataRightsService>;
