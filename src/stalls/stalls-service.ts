import type { Actor } from '../actor.js';
import { createAccountsRepo } from '../accounts/accounts-repo.js';
import type { Clock } from '../clock.js';
import type { Db } from '../db/database.js';
import { assertNoFieldErrors, ForbiddenError, NotFoundError, ValidationError, type FieldErrors } from '../http/errors.js';
import { textField, type FormInput } from '../http/validate.js';
import { createSitesRepo } from '../sites/sites-repo.js';
import { foldForSearch } from '../text/fold.js';
import { can } from '../vocabulary/roles.js';
import { createVisitsRepo, type VisitAction } from '../visits/visits-repo.js';
import { isGoodsCategory } from '../vocabulary/goods-categories.js';
import { isRefusalReason, isStallStatus, STALL_STATUS_LABELS, type StallStatus } from '../vocabulary/stall-status.js';
import { createStallsRepo, type StallRow, type StallValues } from './stalls-repo.js';

/** "Sạp 2" before "Sạp 10", Vietnamese letter order. */
const labelOrder = new Intl.Collator('vi', { numeric: true, sensitivity: 'base' });

export const CONSENT_REQUIRED =
  'Chưa có đồng ý của tiểu thương: không được lưu tên, số điện thoại, tên cơ sở hay tài khoản. Đánh dấu ô đồng ý, hoặc để trống các thông tin đó.';

/**
 * A Vietnamese mobile or landline number as people type it ("0905 123 456", "+84 905.123.456"):
 * separators are formatting, so they are dropped; anything else that is not a 10-digit number is refused.
 */
export function parsePhone(raw: string): string | undefined {
  const compact = raw.replace(/[\s.\-()]/g, '');
  const national = compact.startsWith('+84') ? `0${compact.slice(3)}` : compact;
  return /^0\d{9}$/.test(national) ? national : undefined;
}

/** A form checkbox the user ticked. */
export function ticked(input: FormInput, name: string): boolean {
  return input[name] === 'yes' || input[name] === 'on';
}

/** Which status a stall may move to, given its accounts: the funnel cannot be skipped by hand. */
function accountRequirement(to: StallStatus, hasActiveAccount: boolean, primaryVerified: boolean): string | undefined {
  if ((to === 'installed' || to === 'qr_verified') && !primaryVerified) {
    return 'Cần một tài khoản chính đã kiểm tra tên người nhận trước khi chuyển sang tình trạng này.';
  }
  if (to === 'has_account' && !hasActiveAccount) return 'Sạp chưa có tài khoản ngân hàng nào.';
  return undefined;
}

const VISIT_FOR_STATUS: Partial<Record<StallStatus, VisitAction>> = { installed: 'installed', refused: 'refused' };

export function createStallsService(db: Db, clock: Clock) {
  const repo = createStallsRepo(db);
  const sites = createSitesRepo(db);
  const accounts = createAccountsRepo(db);
  const visits = createVisitsRepo(db);

  function assertCanManage(actor: Actor): void {
    if (!can(actor.role, 'manageStalls')) throw new ForbiddenError('Vai trò của bạn chỉ được xem, không được sửa sạp.');
  }

  function requireStall(id: number): StallRow {
    const stall = repo.findById(id);
    if (!stall) throw new NotFoundError('Không tìm thấy sạp này.');
    return stall;
  }

  function describeStall(other: { label: string; business_name: string; site_name: string }): string {
    return `"${other.label}"${other.business_name ? ` (${other.business_name})` : ''} ở ${other.site_name}`;
  }

  /**
   * Checks a stall's own fields; collects errors into `errors` so callers can add their own before throwing.
   * Duplicates (label on the site, phone anywhere) are warnings that need an explicit confirmation:
   * never blocked, never silently accepted.
   */
  function checkStallInput(input: FormInput, siteId: number, existing: StallRow | undefined, errors: FieldErrors): StallValues {
    const label = textField(input, 'label');
    if (!label) errors.label = 'Nhập số hoặc tên sạp, ví dụ "Sạp 12", "Ki-ốt A3", "số 45".';
    else if (label.length > 40) errors.label = `Số sạp tối đa 40 ký tự (hiện có ${label.length}).`;
    const businessName = textField(input, 'business_name');
    if (businessName.length > 120) errors.business_name = `Tên cơ sở tối đa 120 ký tự (hiện có ${businessName.length}).`;
    const ownerName = textField(input, 'owner_name');
    if (ownerName.length > 80) errors.owner_name = `Họ tên tối đa 80 ký tự (hiện có ${ownerName.length}).`;
    const phoneText = textField(input, 'phone');
    const phone = phoneText ? parsePhone(phoneText) : null;
    if (phone === undefined) errors.phone = 'Số điện thoại gồm 10 chữ số, bắt đầu bằng 0 (ví dụ 0905 123 456).';
    const goodsCategory = textField(input, 'goods_category');
    if (!isGoodsCategory(goodsCategory)) errors.goods_category = 'Chọn nhóm hàng.';

    if (!errors.label) {
      const sameLabel = repo.findOtherWithLabel(siteId, label, existing?.id ?? 0);
      if (sameLabel && !ticked(input, 'confirm_duplicate_label')) {
        errors.label = `Địa điểm này đã có "${sameLabel.label}"${sameLabel.business_name ? ` (${sameLabel.business_name})` : ''}. Nếu đúng là một sạp khác, hãy đánh dấu "Vẫn lưu" rồi lưu lại.`;
        errors.confirm_duplicate_label = String(sameLabel.id);
      }
    }
    if (phone && phone !== existing?.phone) {
      const samePhone = repo.findOthersWithPhone(phone, existing?.id ?? 0)[0];
      if (samePhone && !ticked(input, 'confirm_duplicate_phone')) {
        errors.phone = `Số điện thoại này đã đăng ký cho sạp ${describeStall(samePhone)}. Kiểm tra lại; nếu đúng, đánh dấu "Vẫn lưu".`;
        errors.confirm_duplicate_phone = String(samePhone.stall_id);
      }
    }
    const consentGiven = ticked(input, 'consent');
    const hasPersonalData = Boolean(businessName || ownerName || phone);
    if (hasPersonalData && !consentGiven && !existing?.consent_at) errors.consent = CONSENT_REQUIRED;
    return { label, businessName, ownerName, phone: phone ?? null, goodsCategory: goodsCategory as StallValues['goodsCategory'], consentGiven };
  }

  function searchFolded(values: StallValues): string {
    return foldForSearch(`${values.label} ${values.businessName} ${values.ownerName}`);
  }

  /** Status change + its history row + a visit, in one transaction. */
  const recordStatusChange = db.transaction(
    (stall: StallRow, to: StallStatus, actor: Actor, at: string, details: { reason: StallRow['refusal_reason']; note: string }) => {
      repo.changeStatus({ stallId: stall.id, from: stall.status, to, refusalReason: details.reason, note: details.note, at, by: actor.id });
      visits.record({ stallId: stall.id, userId: actor.id, at, action: VISIT_FOR_STATUS[to] ?? 'status_changed', note: details.note });
    },
  );

  return {
    getStall: requireStall,
    history: (stallId: number) => repo.history(requireStall(stallId).id),
    visits: (stallId: number) => visits.listForStall(requireStall(stallId).id),
    assertCanManage,
    checkStallInput,
    searchFolded,

    listForSite(siteId: number, filters: { status?: string; query?: string }): StallRow[] {
      const status = isStallStatus(filters.status) ? filters.status : undefined;
      const words = foldForSearch(filters.query ?? '').split(' ').filter(Boolean);
      return repo.listForSite(siteId, { status, words }).sort((a, b) => labelOrder.compare(a.label, b.label) || a.id - b.id);
    },

    createStall(actor: Actor, siteId: number, input: FormInput): number {
      assertCanManage(actor);
      if (!sites.findById(siteId)) throw new NotFoundError('Không tìm thấy địa điểm này.');
      const errors: FieldErrors = {};
      const values = checkStallInput(input, siteId, undefined, errors);
      assertNoFieldErrors(errors);
      const at = clock.now().toISOString();
      return db.transaction(() => {
        const id = repo.insert(siteId, { ...values, searchFolded: searchFolded(values), at, by: actor.id });
        visits.record({ stallId: id, userId: actor.id, at, action: 'onboarded' });
        return id;
      })();
    },

    updateStall(actor: Actor, stallId: number, input: FormInput): void {
      assertCanManage(actor);
      const stall = requireStall(stallId);
      const errors: FieldErrors = {};
      const values = checkStallInput(input, stall.site_id, stall, errors);
      assertNoFieldErrors(errors);
      repo.update(stall.id, { ...values, searchFolded: searchFolded(values), at: clock.now().toISOString(), by: actor.id });
    },

    /** Moves a stall to another status; `refused` needs a reason, "other" also a note. Every change is history. */
    changeStatus(actor: Actor, stallId: number, input: FormInput): StallStatus {
      assertCanManage(actor);
      const stall = requireStall(stallId);
      const errors: FieldErrors = {};
      const status = textField(input, 'status');
      const reason = textField(input, 'refusal_reason');
      const note = textField(input, 'note');
      if (!isStallStatus(status)) errors.status = 'Chọn tình trạng mới.';
      else if (status === stall.status && !(status === 'refused' && reason !== stall.refusal_reason)) {
        errors.status = `Sạp đang ở tình trạng "${STALL_STATUS_LABELS[status]}".`;
      } else {
        const primary = accounts.findPrimary(stall.id);
        const active = accounts.listForStall(stall.id).some((account) => account.retired_at === null);
        const requirement = accountRequirement(status, active, Boolean(primary?.verified_at));
        if (requirement) errors.status = requirement;
      }
      if (status === 'refused' && !isRefusalReason(reason)) errors.refusal_reason = 'Chọn lý do từ chối.';
      if (status === 'refused' && reason === 'other' && !note) errors.note = 'Ghi rõ lý do khác.';
      if (note.length > 500) errors.note = `Ghi chú tối đa 500 ký tự (hiện có ${note.length}).`;
      if (Object.keys(errors).length > 0) throw new ValidationError(errors);
      const to = status as StallStatus;
      const refusalReason = to === 'refused' ? (reason as StallRow['refusal_reason']) : null;
      recordStatusChange(stall, to, actor, clock.now().toISOString(), { reason: refusalReason, note });
      return to;
    },

    /** For the onboarding and account services: a status move they have already justified. */
    recordStatusChange,
  };
}

export type StallsService = ReturnType<typeof createStallsService>;
