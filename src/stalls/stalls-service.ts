import type { AuditAction } from '../audit/audit-actions.js';
import type { Actor } from '../actor.js';
import { auditChanges, type AuditFields } from '../audit/audit-changes.js';
import type { AuditEntry, AuditService } from '../audit/audit-service.js';
import type { Clock } from '../clock.js';
import {
  assertNoFieldErrors,
  ForbiddenError,
  NotFoundError,
  ValidationError,
  type FieldErrors,
} from '../http/errors.js';
import { PAGE_SIZE, windowOf, type Pagination } from '../http/pagination.js';
import { TEXT_FIELDS } from '../http/text-fields.js';
import { checkedText, parseWholeNumber, textField, ticked, type FormInput } from '../http/validate.js';
import { foldForSearch } from '../text/fold.js';
import { searchWords } from '../text/search-query.js';
import type { VisitsService } from '../visits/visits-service.js';
import { isGoodsCategory } from '../vocabulary/goods-categories.js';
import { WHOLE_COUNTRY } from '../vocabulary/reach.js';
import { can } from '../vocabulary/roles.js';
import { isRefusalReason, isStallStatus, STALL_STATUS_LABELS, type StallStatus } from '../vocabulary/stall-status.js';
import type { VisitAction } from '../vocabulary/visit-actions.js';
import type { StallRow, StallsRepo, StallValues } from './stalls-repo.js';

export type { StallRow };

export const STALL_NOT_FOUND = 'Không tìm thấy sạp này.';

/**
 * A stall as the actor may see it. For roles that do not work stalls (leader, viewer) the owner name and the
 * phone are removed here, in the service, so no page can print them by mistake.
 */
export interface StallView extends StallRow {
  /** True when the owner name and phone were removed for this actor's role. */
  personalDataHidden: boolean;
}

/** The roles that work stalls read the trader's personal data; the others see the stall without it. */
export function stallView(actor: Actor, stall: StallRow): StallView {
  if (can(actor.role, 'readPersonalData')) return { ...stall, personalDataHidden: false };
  return { ...stall, owner_name: '', phone: null, personalDataHidden: true };
}

/** "Sạp 2" before "Sạp 10", Vietnamese letter order. */
const labelOrder = new Intl.Collator('vi', { numeric: true, sensitivity: 'base' });

export const CONSENT_REQUIRED =
  'Chưa có đồng ý của tiểu thương: không được lưu tên, số điện thoại, tên cơ sở hay tài khoản. ' +
  'Đánh dấu ô đồng ý, hoặc để trống các thông tin đó.';

/**
 * A Vietnamese mobile or landline number as people type it ("0905 123 456", "+84 905.123.456"):
 * separators are formatting, so they are dropped; anything else that is not a 10-digit number is refused.
 */
export function parsePhone(raw: string): string | undefined {
  const compact = raw.replace(/[\s.\-()]/g, '');
  const national = compact.startsWith('+84') ? `0${compact.slice(3)}` : compact;
  return /^0\d{9}$/.test(national) ? national : undefined;
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

/** What a duplicate warning carries instead of the other stall's id when that stall is outside the reach. */
export const OUTSIDE_REACH_MARK = 'outside';

export const PHONE_OUTSIDE_REACH =
  'Số điện thoại này đã đăng ký cho một sạp ngoài phạm vi bạn phụ trách. ' +
  'Kiểm tra lại; nếu đúng, đánh dấu "Vẫn lưu".';

export const STICKER_CHECKS = ['yes', 'no', 'replaced'] as const;
export type StickerCheck = (typeof STICKER_CHECKS)[number];

/** A trader's "no": the reason from the list (null only while the form is being refused) and a note. */
export interface Refusal {
  readonly reason: StallRow['refusal_reason'];
  readonly note: string;
}

/**
 * How a stall's fields enter the audit trail: the business name is a shop sign (plain); the owner's name and
 * phone, and every free-text note, only as "changed".
 */
export const STALL_AUDIT_FIELDS: AuditFields = {
  plain: ['label', 'business_name', 'goods_category', 'status', 'refusal_reason', 'consent'],
  personal: ['owner_name', 'phone', 'note'],
};

/** A follow-up visit as the audit trail keeps it: the checks with their values, the note only as "changed". */
const FOLLOW_UP_AUDIT_FIELDS: AuditFields = {
  plain: ['sticker_displayed', 'transfer_share'],
  personal: ['note'],
};

/** Where a record of a site is, for the audit trail's reach. */
export type AuditPlace = NonNullable<AuditEntry['place']>;

export interface StallsServiceDeps {
  readonly stalls: StallsRepo;
  /**
   * To know the site exists in the actor's reach (else it throws the site's 404), and the site's commune for
   * the audit trail (looked up without a reach: the stall's own reach was checked already).
   */
  readonly sites: {
    requireSite(actor: Actor, id: number): Promise<{ id: number }>;
    findSiteIgnoringReach(id: number): Promise<{ id: number; commune_code: string } | undefined>;
  };
  readonly visits: VisitsService;
  /** Every write, and every view of a trader's personal data outside onboarding, is recorded. */
  readonly audit: Pick<AuditService, 'record'>;
  readonly transaction: <T>(work: () => Promise<T>) => Promise<T>;
  readonly clock: Clock;
}

/** A stall's fields as the audit trail compares them. */
function auditedStall(stall: StallRow): Record<string, unknown> {
  return {
    label: stall.label,
    business_name: stall.business_name,
    owner_name: stall.owner_name,
    phone: stall.phone,
    goods_category: stall.goods_category,
    status: stall.status,
    refusal_reason: stall.refusal_reason,
    consent: stall.consent_at !== null,
  };
}

function auditedValues(values: StallValues, consent: boolean): Record<string, unknown> {
  return {
    label: values.label,
    business_name: values.businessName,
    owner_name: values.ownerName,
    phone: values.phone,
    goods_category: values.goodsCategory,
    consent,
  };
}

export function createStallsService({ stalls: repo, sites, visits, audit, transaction, clock }: StallsServiceDeps) {
  /** The stall's site and commune, for the audit trail. */
  async function placeOfSite(siteId: number): Promise<AuditPlace> {
    const site = await sites.findSiteIgnoringReach(siteId);
    if (!site) throw new Error(`site ${siteId} of an audited change does not exist`);
    return { siteId: site.id, communeCode: site.commune_code };
  }

  /** One audit row about a stall, in the transaction of its change. */
  async function recordStall(
    actor: Actor | null,
    action: AuditAction,
    stall: { id: number; site_id: number },
    changes: AuditEntry['changes'],
  ): Promise<void> {
    await audit.record({
      actor,
      action,
      entity: 'stall',
      entityId: stall.id,
      place: await placeOfSite(stall.site_id),
      changes,
    });
  }

  function assertCanManage(actor: Actor): void {
    if (!can(actor.role, 'manageStalls')) throw new ForbiddenError('Vai trò của bạn chỉ được xem, không được sửa sạp.');
  }

  /** The whole stall row when its site lies in the actor's reach; else 404 with the message of a missing one. */
  async function requireStall(actor: Actor, id: number): Promise<StallRow> {
    const stall = await repo.findById(id, actor.reach);
    if (!stall) throw new NotFoundError(STALL_NOT_FOUND);
    return stall;
  }

  /** A stall the actor is about to change: outside the reach 404, inside it 403 for a role that only reads. */
  async function stallToWork(actor: Actor, id: number): Promise<StallRow> {
    const stall = await requireStall(actor, id);
    assertCanManage(actor);
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
  async function checkStallInput(
    actor: Actor,
    input: FormInput,
    siteId: number,
    existing: StallRow | undefined,
    errors: FieldErrors,
  ): Promise<StallValues> {
    const label = checkedText(input, 'label', TEXT_FIELDS.stallLabel, errors);
    if (!label) errors.label ??= 'Nhập số hoặc tên sạp, ví dụ "Sạp 12", "Ki-ốt A3", "số 45".';
    const businessName = checkedText(input, 'business_name', TEXT_FIELDS.businessName, errors);
    const ownerName = checkedText(input, 'owner_name', TEXT_FIELDS.ownerName, errors);
    const phoneText = textField(input, 'phone');
    const phone = phoneText ? parsePhone(phoneText) : null;
    if (phone === undefined) errors.phone = 'Số điện thoại gồm 10 chữ số, bắt đầu bằng 0 (ví dụ 0905 123 456).';
    const goodsCategory = textField(input, 'goods_category');
    if (!isGoodsCategory(goodsCategory)) errors.goods_category = 'Chọn nhóm hàng.';

    if (!errors.label) {
      // "SẠP DUP 5", "Sạp dup 5" and "SAP DUP 5" are one label to a reader: the repository compares them folded.
      const sameLabel = await repo.findOtherWithLabel(siteId, label, existing?.id ?? 0);
      if (sameLabel && !ticked(input, 'confirm_duplicate_label')) {
        errors.label =
          `Địa điểm này đã có "${sameLabel.label}"` +
          `${sameLabel.business_name ? ` (${sameLabel.business_name})` : ''}. ` +
          `Nếu đúng là một sạp khác, hãy đánh dấu "Vẫn lưu" rồi lưu lại.`;
        errors.confirm_duplicate_label = String(sameLabel.id);
      }
    }
    if (phone && phone !== existing?.phone) {
      // Still a fraud signal when the other stall is outside the reach, but then it is not named.
      const samePhone = (await repo.findOthersWithPhone(phone, existing?.id ?? 0, actor.reach))[0];
      if (samePhone && !ticked(input, 'confirm_duplicate_phone')) {
        errors.phone = samePhone.in_reach
          ? `Số điện thoại này đã đăng ký cho sạp ${describeStall(samePhone)}. ` +
            `Kiểm tra lại; nếu đúng, đánh dấu "Vẫn lưu".`
          : PHONE_OUTSIDE_REACH;
        errors.confirm_duplicate_phone = samePhone.in_reach ? String(samePhone.stall_id) : OUTSIDE_REACH_MARK;
      }
    }
    const consentGiven = ticked(input, 'consent');
    const hasPersonalData = Boolean(businessName || ownerName || phone);
    if (hasPersonalData && !consentGiven && !existing?.consent_at) errors.consent = CONSENT_REQUIRED;
    return {
      label,
      businessName,
      ownerName,
      phone: phone ?? null,
      goodsCategory: goodsCategory as StallValues['goodsCategory'],
      consentGiven,
    };
  }

  function searchFolded(values: StallValues): string {
    return foldForSearch(`${values.label} ${values.businessName} ${values.ownerName}`);
  }

  /** Why a trader said no: a reason from the list, and a note that "other" needs. Errors go into `errors`. */
  function checkRefusalInput(input: FormInput, errors: FieldErrors): Refusal {
    const reason = textField(input, 'refusal_reason');
    const note = checkedText(input, 'note', TEXT_FIELDS.statusNote, errors);
    if (!isRefusalReason(reason)) errors.refusal_reason = 'Chọn lý do từ chối.';
    else if (reason === 'other' && !note) errors.note ??= 'Ghi rõ lý do khác.';
    return { reason: isRefusalReason(reason) ? reason : null, note };
  }

  /** Status change + its history row + a visit, in one transaction. */
  function recordStatusChange(
    stall: StallRow,
    to: StallStatus,
    actor: Actor,
    at: string,
    details: { reason: StallRow['refusal_reason']; note: string },
  ): Promise<void> {
    return transaction(async () => {
      await repo.changeStatus({
        stallId: stall.id,
        from: stall.status,
        to,
        refusalReason: details.reason,
        note: details.note,
        at,
        by: actor.id,
      });
      const action = VISIT_FOR_STATUS[to] ?? 'status_changed';
      await visits.record({ stallId: stall.id, userId: actor.id, at, action, note: details.note });
      await recordStall(
        actor,
        'stall.status',
        stall,
        auditChanges(
          { status: stall.status, refusal_reason: stall.refusal_reason, note: '' },
          { status: to, refusal_reason: details.reason, note: details.note },
          STALL_AUDIT_FIELDS,
        ),
      );
    });
  }

  /**
   * A status move another service has already justified (an account added, name-checked, retired, made
   * primary): the status and its history row, without a visit of its own (the caller records the visit that
   * caused it). Updates `stall.status` so the caller's next decision sees it.
   */
  async function moveStatus(
    stall: StallRow,
    to: StallStatus,
    actor: Actor | null,
    at: string,
    note = '',
  ): Promise<void> {
    await moveStatusAs('stall.status', stall, to, actor, at, note);
  }

  /** moveStatus, with its audit row under `action` (marking a stall installed is its own action). */
  async function moveStatusAs(
    action: AuditAction,
    stall: StallRow,
    to: StallStatus,
    actor: Actor | null,
    at: string,
    note = '',
  ): Promise<void> {
    if (stall.status === to) return;
    const from = stall.status;
    await transaction(async () => {
      await repo.changeStatus({ stallId: stall.id, from, to, refusalReason: null, note, at, by: actor?.id ?? null });
      await recordStall(
        actor,
        action,
        stall,
        auditChanges({ status: from, note: '' }, { status: to, note }, STALL_AUDIT_FIELDS),
      );
    });
    stall.status = to;
  }

  return {
    /** The stall as the actor may see it (404 outside the reach): for pages and the URL's :stallId. */
    getStall: async (actor: Actor, id: number): Promise<StallView> => stallView(actor, await requireStall(actor, id)),
    /**
     * The stall for its page and edit form, as getStall. For a role that reads personal data the page shows
     * the owner's name, phone and full account numbers, so the view is recorded ('stall.view_personal', at
     * the stall's site); a masked view records nothing.
     */
    async viewStall(actor: Actor, id: number): Promise<StallView> {
      const view = stallView(actor, await requireStall(actor, id));
      if (!view.personalDataHidden) await transaction(() => recordStall(actor, 'stall.view_personal', view, {}));
      return view;
    },
    /** The whole stall for its edit form: 404 outside the reach, 403 for a role that only reads. */
    stallForEdit: stallToWork,
    /** The whole stall for another service's write (accounts): 404 outside the reach, 403 for readers. */
    stallToWork,
    /** The site and commune of a stall's site, for another service's audit row about the stall's records. */
    placeOfSite,
    history: async (actor: Actor, stallId: number) => repo.history((await requireStall(actor, stallId)).id),
    visits: async (actor: Actor, stallId: number) => visits.listForStall((await requireStall(actor, stallId)).id),
    assertCanManage,
    checkStallInput,
    searchFolded,
    moveStatus,

    /** Consent given with a later submit (an account added to a stall saved without it). */
    async recordConsent(stall: StallRow, actor: Actor, at: string): Promise<void> {
      if (stall.consent_at) return;
      await transaction(async () => {
        await repo.recordConsent(stall.id, at, actor.id);
        await recordStall(
          actor,
          'stall.consent',
          stall,
          auditChanges({ consent: false }, { consent: true }, STALL_AUDIT_FIELDS),
        );
      });
      stall.consent_at = at;
    },

    /**
     * The stalls of a site in the actor's reach (else the site's 404). The search matches label, business
     * name and owner name; for a role that may not read personal data only label and business name, so an
     * owner's name cannot be found by guessing it.
     */
    async listForSite(
      actor: Actor,
      siteId: number,
      filters: { status?: string; query?: string },
    ): Promise<StallView[]> {
      const site = await sites.requireSite(actor, siteId);
      const status = isStallStatus(filters.status) ? filters.status : undefined;
      const words = searchWords(filters.query ?? '');
      const readsPersonalData = can(actor.role, 'readPersonalData');
      const rows = shownMatches(
        await repo.listForSite(site.id, { status, words: readsPersonalData ? words : [] }),
        readsPersonalData,
        words,
      );
      return rows
        .sort((a, b) => labelOrder.compare(a.label, b.label) || a.id - b.id)
        .map((stall) => stallView(actor, stall));
    },

    /**
     * One page of `listForSite`, in the same order, and where it lies (`page` past the end: the last page).
     * Only the labels and business names of the matching stalls are read to sort and cut; the full rows, only
     * for the page's stalls, so a 6,700-stall site's page stays small and cheap. With `showing` (a stall just
     * added), the page that holds that stall, whatever `page` says.
     */
    async listPageForSite(
      actor: Actor,
      siteId: number,
      filters: { status?: string; query?: string },
      page: number,
      showing?: number,
    ): Promise<{ stalls: StallView[]; pagination: Pagination }> {
      const site = await sites.requireSite(actor, siteId);
      const status = isStallStatus(filters.status) ? filters.status : undefined;
      const words = searchWords(filters.query ?? '');
      const readsPersonalData = can(actor.role, 'readPersonalData');
      const keys = shownMatches(
        await repo.listKeysForSite(site.id, { status, words: readsPersonalData ? words : [] }),
        readsPersonalData,
        words,
      );
      keys.sort((a, b) => labelOrder.compare(a.label, b.label) || a.id - b.id);
      const at = showing === undefined ? -1 : keys.findIndex((key) => key.id === showing);
      const { rows: shown, pagination } = windowOf(keys, at >= 0 ? Math.floor(at / PAGE_SIZE) + 1 : page);
      const byId = new Map(
        (
          await repo.findManyOfSite(
            site.id,
            shown.map((key) => key.id),
          )
        ).map((row) => [row.id, row]),
      );
      const rows = shown.flatMap((key) => {
        const row = byId.get(key.id);
        return row ? [stallView(actor, row)] : [];
      });
      return { stalls: rows, pagination };
    },

    /**
     * A new stall in the census, with its first history row and the volunteer's visit. For a caller that has
     * already checked the site's reach, the role and the input (createStall, the onboarding service, the
     * import); `actor` null for the command line.
     */
    insertStall(actor: Actor | null, siteId: number, values: StallValues, at: string): Promise<number> {
      return transaction(async () => {
        const by = actor?.id ?? null;
        const id = await repo.insert(siteId, { ...values, searchFolded: searchFolded(values), at, by });
        await visits.record({ stallId: id, userId: by, at, action: 'onboarded' });
        const created = { ...auditedValues(values, values.consentGiven), status: 'surveyed' };
        await recordStall(
          actor,
          'stall.create',
          { id, site_id: siteId },
          auditChanges(undefined, created, STALL_AUDIT_FIELDS),
        );
        return id;
      });
    },

    async createStall(actor: Actor, siteId: number, input: FormInput): Promise<number> {
      const site = await sites.requireSite(actor, siteId);
      assertCanManage(actor);
      const errors: FieldErrors = {};
      const values = await checkStallInput(actor, input, site.id, undefined, errors);
      assertNoFieldErrors(errors);
      return this.insertStall(actor, site.id, values, clock.now().toISOString());
    },

    async updateStall(actor: Actor, stallId: number, input: FormInput): Promise<void> {
      const stall = await stallToWork(actor, stallId);
      const errors: FieldErrors = {};
      const values = await checkStallInput(actor, input, stall.site_id, stall, errors);
      assertNoFieldErrors(errors);
      await this.writeUpdate(actor, stall, values, clock.now().toISOString());
    },

    /**
     * Saves values checked by checkStallInput over a stall, with its audit row (none when nothing changed):
     * the edit form's write and the import's. `actor` null for the command line. Returns whether it changed.
     */
    async writeUpdate(actor: Actor | null, stall: StallRow, values: StallValues, at: string): Promise<boolean> {
      const before = auditedStall(stall);
      const changes = auditChanges(
        before,
        { ...before, ...auditedValues(values, stall.consent_at !== null || values.consentGiven) },
        STALL_AUDIT_FIELDS,
      );
      await transaction(async () => {
        await repo.update(stall.id, { ...values, searchFolded: searchFolded(values), at, by: actor?.id ?? null });
        // A save that changed nothing is no change to record.
        if (Object.keys(changes).length > 0) await recordStall(actor, 'stall.update', stall, changes);
      });
      return Object.keys(changes).length > 0;
    },

    /** Every stall of a site as stored, for the import's matching: the caller has checked the site's reach. */
    rowsOfSite: (siteId: number): Promise<StallRow[]> => repo.listForSite(siteId, {}),
    /** A stall as stored, without a reach check: for the import's next write, the site's reach checked already. */
    rowIgnoringReach: (id: number): Promise<StallRow | undefined> => repo.findById(id, WHOLE_COUNTRY),

    /** Moves a stall to another status; `refused` needs a reason, "other" also a note. Every change is history. */
    async changeStatus(actor: Actor, stallId: number, input: FormInput): Promise<StallStatus> {
      const stall = await stallToWork(actor, stallId);
      const errors: FieldErrors = {};
      const status = textField(input, 'status');
      const reason = textField(input, 'refusal_reason');
      if (!isStallStatus(status)) errors.status = 'Chọn tình trạng mới.';
      else if (status === stall.status && !(status === 'refused' && reason !== stall.refusal_reason)) {
        errors.status = `Sạp đang ở tình trạng "${STALL_STATUS_LABELS[status]}".`;
      } else {
        const facts = await repo.accountFacts(stall.id);
        const requirement = accountRequirement(status, facts.hasActiveAccount, facts.verifiedPrimaryId !== null);
        if (requirement) errors.status = requirement;
      }
      const refusal = status === 'refused' ? checkRefusalInput(input, errors) : undefined;
      const note = refusal ? refusal.note : checkedText(input, 'note', TEXT_FIELDS.statusNote, errors);
      if (Object.keys(errors).length > 0) throw new ValidationError(errors);
      const to = status as StallStatus;
      await recordStatusChange(stall, to, actor, clock.now().toISOString(), refusal ?? { reason: null, note });
      return to;
    },

    checkRefusalInput,

    /** The trader said no at the counter: the stall just registered moves to "Từ chối", with its visit. */
    async recordRefusal(actor: Actor, stallId: number, refusal: Refusal, at: string): Promise<void> {
      await recordStatusChange(await stallToWork(actor, stallId), 'refused', actor, at, refusal);
    },

    /** "Đã dán mã tại quầy": the sticker of a verified primary account is on the counter. */
    async markInstalled(actor: Actor, stallId: number): Promise<void> {
      const stall = await stallToWork(actor, stallId);
      const primaryAccountId = (await repo.accountFacts(stall.id)).verifiedPrimaryId;
      if (primaryAccountId === null) {
        throw new ValidationError({ installed: 'Cần kiểm tra tên người nhận của tài khoản chính trước khi dán mã.' });
      }
      if (stall.status === 'installed') return;
      const at = clock.now().toISOString();
      await transaction(async () => {
        await moveStatusAs('stall.installed', stall, 'installed', actor, at);
        await visits.record({
          stallId: stall.id,
          userId: actor.id,
          at,
          action: 'installed',
          accountId: primaryAccountId,
        });
      });
    },

    /** A follow-up visit: is the sticker still there, and how many customers pay by transfer (trader's estimate)? */
    async recordFollowUp(actor: Actor, stallId: number, input: FormInput): Promise<StickerCheck> {
      const stall = await stallToWork(actor, stallId);
      const errors: FieldErrors = {};
      const displayed = textField(input, 'sticker_displayed');
      if (!(STICKER_CHECKS as readonly string[]).includes(displayed)) {
        errors.sticker_displayed = 'Chọn mã còn dán, không còn, hay bị thay bằng mã khác.';
      }
      const shareText = textField(input, 'transfer_share').replace(/\s*%$/, '');
      const share = shareText === '' ? null : parseWholeNumber(shareText);
      if (share === undefined || (share !== null && share > 100)) {
        errors.transfer_share = 'Tỷ lệ khách chuyển khoản là số nguyên từ 0 đến 100 (%).';
      }
      const note = checkedText(input, 'note', TEXT_FIELDS.visitNote, errors);
      assertNoFieldErrors(errors);
      const sticker = displayed as StickerCheck;
      const at = clock.now().toISOString();
      await transaction(async () => {
        await visits.record({
          stallId: stall.id,
          userId: actor.id,
          at,
          action: 'follow_up',
          stickerDisplayed: sticker,
          transferShare: share ?? null,
          note,
        });
        await recordStall(
          actor,
          'stall.follow_up',
          stall,
          auditChanges(
            // A follow-up is a new visit: what it found, with nothing before it.
            undefined,
            { sticker_displayed: sticker, transfer_share: share ?? null, note },
            FOLLOW_UP_AUDIT_FIELDS,
          ),
        );
        // Without our sticker on the counter the stall no longer accepts VietQR: it leaves the coverage.
        if (sticker !== 'yes' && stall.status === 'installed') {
          const why = sticker === 'replaced' ? 'Mã tại quầy bị thay bằng mã khác' : 'Mã không còn dán tại quầy';
          await moveStatus(stall, 'qr_verified', actor, at, why);
        }
      });
      return sticker;
    },
  };
}

export type StallsService = ReturnType<typeof createStallsService>;

/**
 * A role that may not read personal data searched without the owner's name in SQL; its matches are narrowed
 * to the words found in what it is shown (label and business name), so a name cannot be found by guessing.
 */
function shownMatches<T extends { label: string; business_name: string }>(
  rows: T[],
  readsPersonalData: boolean,
  words: readonly string[],
): T[] {
  if (readsPersonalData || words.length === 0) return rows;
  return rows.filter((stall) => {
    const shown = foldForSearch(`${stall.label} ${stall.business_name}`);
    return words.every((word) => shown.includes(word));
  });
}
