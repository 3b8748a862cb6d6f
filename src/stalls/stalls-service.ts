import type { Actor } from '../actor.js';
import type { Clock } from '../clock.js';
import type { Db } from '../db/database.js';
import { assertNoFieldErrors, ForbiddenError, NotFoundError, ValidationError, type FieldErrors } from '../http/errors.js';
import { textField, type FormInput } from '../http/validate.js';
import { createSitesRepo } from '../sites/sites-repo.js';
import { foldForSearch } from '../text/fold.js';
import { can } from '../users/roles.js';
import { isGoodsCategory } from './goods-categories.js';
import { isRefusalReason, isStallStatus, STALL_STATUS_LABELS, type StallStatus } from './stall-status.js';
import { createStallsRepo, type StallRow, type StallValues } from './stalls-repo.js';

/** "Sạp 2" before "Sạp 10", Vietnamese letter order. */
const labelOrder = new Intl.Collator('vi', { numeric: true, sensitivity: 'base' });

/**
 * A Vietnamese mobile or landline number as people type it ("0905 123 456", "+84 905.123.456"):
 * separators are formatting, so they are dropped; anything else that is not a 10-digit number is refused.
 */
export function parsePhone(raw: string): string | undefined {
  const compact = raw.replace(/[\s.\-()]/g, '');
  const national = compact.startsWith('+84') ? `0${compact.slice(3)}` : compact;
  return /^0\d{9}$/.test(national) ? national : undefined;
}

export function createStallsService(db: Db, clock: Clock) {
  const repo = createStallsRepo(db);
  const sites = createSitesRepo(db);

  function assertCanManage(actor: Actor): void {
    if (!can(actor.role, 'manageStalls')) throw new ForbiddenError('Vai trò của bạn chỉ được xem, không được sửa sạp.');
  }

  function requireStall(id: number): StallRow {
    const stall = repo.findById(id);
    if (!stall) throw new NotFoundError('Không tìm thấy sạp này.');
    return stall;
  }

  function parseStallInput(input: FormInput, siteId: number, exceptStallId: number): StallValues {
    const errors: FieldErrors = {};
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
      // The same label twice on one site is usually a double entry, sometimes two stalls sharing a number:
      // warn and ask, never block or accept silently.
      const existing = repo.findOtherWithLabel(siteId, label, exceptStallId);
      if (existing && input.confirm_duplicate_label !== 'yes') {
        errors.label = `Địa điểm này đã có "${existing.label}"${existing.business_name ? ` (${existing.business_name})` : ''}. Nếu đúng là một sạp khác, hãy đánh dấu "Vẫn lưu" rồi lưu lại.`;
        errors.confirm_duplicate_label = String(existing.id);
      }
    }
    assertNoFieldErrors(errors);
    return { label, businessName, ownerName, phone: phone ?? null, goodsCategory: goodsCategory as StallValues['goodsCategory'] };
  }

  function searchFolded(values: StallValues): string {
    return foldForSearch(`${values.label} ${values.businessName} ${values.ownerName}`);
  }

  return {
    getStall: requireStall,
    history: (stallId: number) => repo.history(requireStall(stallId).id),

    listForSite(siteId: number, filters: { status?: string; query?: string }): StallRow[] {
      const status = isStallStatus(filters.status) ? filters.status : undefined;
      const words = foldForSearch(filters.query ?? '').split(' ').filter(Boolean);
      return repo.listForSite(siteId, { status, words }).sort((a, b) => labelOrder.compare(a.label, b.label) || a.id - b.id);
    },

    createStall(actor: Actor, siteId: number, input: FormInput): number {
      assertCanManage(actor);
      if (!sites.findById(siteId)) throw new NotFoundError('Không tìm thấy địa điểm này.');
      const values = parseStallInput(input, siteId, 0);
      return repo.insert(siteId, { ...values, searchFolded: searchFolded(values), at: clock.now().toISOString(), by: actor.id });
    },

    updateStall(actor: Actor, stallId: number, input: FormInput): void {
      assertCanManage(actor);
      const stall = requireStall(stallId);
      const values = parseStallInput(input, stall.site_id, stall.id);
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
      }
      if (status === 'refused' && !isRefusalReason(reason)) errors.refusal_reason = 'Chọn lý do từ chối.';
      if (status === 'refused' && reason === 'other' && !note) errors.note = 'Ghi rõ lý do khác.';
      if (note.length > 500) errors.note = `Ghi chú tối đa 500 ký tự (hiện có ${note.length}).`;
      if (Object.keys(errors).length > 0) throw new ValidationError(errors);
      const to = status as StallStatus;
      repo.changeStatus({
        stallId: stall.id,
        from: stall.status,
        to,
        refusalReason: to === 'refused' ? (reason as StallRow['refusal_reason']) : null,
        note,
        at: clock.now().toISOString(),
        by: actor.id,
      });
      return to;
    },
  };
}

export type StallsService = ReturnType<typeof createStallsService>;
