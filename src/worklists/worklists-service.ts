import type { Actor } from '../actor.js';
import type { AdoptionService } from '../adoption/adoption-service.js';
import { vietnamDate } from '../calendar/calendar.js';
import type { Clock } from '../clock.js';
import { ForbiddenError } from '../http/errors.js';
import { PAYEE_CHANGE_KIND_LABELS, type PayeeChangeKind } from '../vocabulary/payee-changes.js';
import { can } from '../vocabulary/roles.js';
import { REPORT_PROBLEM_LABELS, type ReportProblem } from '../vocabulary/sticker-reports.js';
import type { AssignedSite, AssignmentsService } from './assignments-service.js';
import {
  WORK_GROUPS,
  type SqlWorkGroup,
  type WorkGroup,
  type WorkItem,
  type WorklistsRepo,
  type WorkScope,
} from './worklists-repo.js';

export { WORK_GROUPS, type WorkGroup };

/** Items of a group on the home page and /work; the rest are behind "xem tất cả". */
export const WORK_PREVIEW_ITEMS = 5;
/** Items on one page of a whole group. */
export const WORK_ITEMS_PER_PAGE = 50;

export function isWorkGroup(value: unknown): value is WorkGroup {
  return typeof value === 'string' && (WORK_GROUPS as readonly string[]).includes(value);
}

/** What each group is called, and what one item waits since; `{days}` is the follow-up threshold. */
const GROUP_TITLES: Record<WorkGroup, string> = {
  follow_up: 'Cần thăm lại',
  name_check: 'Có tài khoản, chưa kiểm tra tên người nhận',
  sticker: 'Đã kiểm tra tên, chưa in mã QR',
  payee_change: 'Yêu cầu đổi tài khoản nhận tiền đang chờ duyệt',
  report: 'Mã QR bị người dân báo',
};

function groupHint(group: WorkGroup, days: number, mine: boolean): string {
  switch (group) {
    case 'follow_up':
      return `Sạp đã dán mã, không có lần thăm lại hay lắp đặt nào trong ${days} ngày; lâu nhất ở trên.`;
    case 'name_check':
      return 'Nhờ chủ sạp mở ứng dụng ngân hàng, chuyển thử rồi ghi tên người nhận mà ứng dụng hiện ra.';
    case 'sticker':
      return 'Tài khoản chính đã kiểm tra tên nhưng chưa có mã QR nào được in.';
    case 'payee_change':
      return mine ? 'Yêu cầu bạn đã gửi, đang chờ người thứ hai duyệt.' : 'Đang chờ người thứ hai duyệt.';
    case 'report':
      return 'Người dân báo mã đáng ngờ: đến sạp xem lại mã đang dán.';
  }
}

/** One item as the lists show it: the stall, its site, since when and what. */
export interface WorkEntry {
  readonly stallId: number;
  readonly label: string;
  readonly businessName: string;
  readonly siteId: number;
  readonly siteName: string;
  readonly since: string | null;
  readonly detail: string | null;
}

export interface WorkGroupView {
  readonly group: WorkGroup;
  readonly title: string;
  readonly hint: string;
  readonly count: number;
  readonly items: readonly WorkEntry[];
}

function entryOf(group: WorkGroup, item: WorkItem): WorkEntry {
  const detail =
    group === 'payee_change' && item.detail
      ? (PAYEE_CHANGE_KIND_LABELS[item.detail as PayeeChangeKind] ?? item.detail)
      : group === 'report' && item.detail
        ? (REPORT_PROBLEM_LABELS[item.detail as ReportProblem] ?? item.detail)
        : null;
  return {
    stallId: item.stall_id,
    label: item.label,
    businessName: item.business_name,
    siteId: item.site_id,
    siteName: item.site_name,
    since: item.since || null,
    detail,
  };
}

export interface WorklistsServiceDeps {
  readonly repo: WorklistsRepo;
  readonly assignments: Pick<AssignmentsService, 'sitesOf'>;
  /** The follow-ups due: the adoption engine's data-quality rule, on its snapshot. */
  readonly adoption: Pick<AdoptionService, 'followUpsDue'>;
  readonly clock: Clock;
  /** Config.followUpDays: the data-quality check's threshold (the adoption engine's), for the hint. */
  readonly followUpDays: number;
}

/** Whose work a list holds: a volunteer's (their sites) or a team lead's or admin's (their reach). */
export interface WorkOwner {
  /** The volunteer's assigned sites inside their reach; empty when none (or not a volunteer). */
  readonly sites: readonly AssignedSite[];
  /** True for a volunteer: the lists cover their assigned sites (or their reach without any) and their requests. */
  readonly personal: boolean;
}

/**
 * The work waiting in a volunteer's sites, or in a team lead's or admin's reach: stalls due a follow-up
 * (Config.followUpDays, the data-quality threshold), stalls with an account and no name check, name-checked
 * stalls without a printed sticker, payee-change requests waiting (a volunteer's own), and open customer
 * reports. Roles that work stalls only (403). The follow-ups due come from the adoption engine's snapshot (the
 * same rule as its data-quality check, without a query per stall); the other counts and lists are SQL
 * (worklists-repo.ts).
 */
export function createWorklistsService({ repo, assignments, adoption, clock, followUpDays }: WorklistsServiceDeps) {
  function assertMayWork(actor: Actor): void {
    if (!can(actor.role, 'manageStalls')) {
      throw new ForbiddenError('Danh sách việc cần làm chỉ dành cho tình nguyện viên, tổ trưởng và quản trị viên.');
    }
  }

  async function ownerOf(actor: Actor): Promise<{ owner: WorkOwner; scope: WorkScope }> {
    assertMayWork(actor);
    const personal = actor.role === 'volunteer';
    const sites = personal ? await assignments.sitesOf(actor) : [];
    const scope: WorkScope = {
      reach: actor.reach,
      ...(sites.length > 0 ? { assignedTo: actor.id } : {}),
      ...(personal ? { requestedBy: actor.id } : {}),
    };
    return { owner: { sites, personal }, scope };
  }

  /** The follow-ups due in the owner's sites (their assigned ones, else the reach): how many and one window. */
  async function followUps(actor: Actor, owner: WorkOwner, limit: number, offset: number) {
    const siteIds = owner.sites.length > 0 ? owner.sites.map((site) => site.id) : null;
    const due = await adoption.followUpsDue(actor.reach, siteIds, vietnamDate(clock.now()), { offset, limit });
    const named = new Map((await repo.stalls(due.stalls.map((s) => s.stallId))).map((s) => [s.stall_id, s]));
    const items: WorkItem[] = due.stalls.flatMap(({ stallId, lastContact }) => {
      const stall = named.get(stallId);
      return stall ? [{ ...stall, since: lastContact, detail: null }] : [];
    });
    return { count: due.count, items };
  }

  /** Each group's count and its first `limit` items. */
  async function groupsOf(actor: Actor, groups: readonly WorkGroup[], limit: number) {
    const { owner, scope } = await ownerOf(actor);
    const sqlGroups = groups.filter((group): group is SqlWorkGroup => group !== 'follow_up');
    const sqlCounts = await repo.counts(scope, sqlGroups);
    const found = new Map<WorkGroup, { count: number; items: WorkItem[] }>();
    if (groups.includes('follow_up')) found.set('follow_up', await followUps(actor, owner, limit, 0));
    for (const group of sqlGroups) {
      const count = sqlCounts[group];
      found.set(group, { count, items: count > 0 ? await repo.list(group, scope, limit) : [] });
    }
    return { owner, found };
  }

  function view(group: WorkGroup, count: number, items: WorkItem[], personal: boolean): WorkGroupView {
    return {
      group,
      title: GROUP_TITLES[group],
      hint: groupHint(group, followUpDays, personal),
      count,
      items: items.map((item) => entryOf(group, item)),
    };
  }

  return {
    followUpDays,

    /**
     * Each group's count and its first few items. A volunteer's lists cover their assigned sites (all of their
     * reach when they have none) and their own requests; a team lead's or admin's their whole reach.
     */
    async summary(actor: Actor, groups: readonly WorkGroup[] = WORK_GROUPS) {
      const { owner, found } = await groupsOf(actor, groups, WORK_PREVIEW_ITEMS);
      const views = groups.map((group) =>
        view(group, found.get(group)!.count, found.get(group)!.items, owner.personal),
      );
      const total = views.reduce((sum, group) => sum + group.count, 0);
      return { ...owner, followUpDays, groups: views, total };
    },

    /** One page of one group, for "xem tất cả" (a page past the last shows the last). */
    async page(actor: Actor, group: WorkGroup, page: number) {
      const { owner, scope } = await ownerOf(actor);
      const pagesOf = (count: number) => Math.max(1, Math.ceil(count / WORK_ITEMS_PER_PAGE));
      const offsetOf = (current: number) => (current - 1) * WORK_ITEMS_PER_PAGE;
      let current = Math.max(1, page);
      let found: { count: number; items: WorkItem[] };
      if (group === 'follow_up') {
        found = await followUps(actor, owner, WORK_ITEMS_PER_PAGE, offsetOf(current));
        if (current > pagesOf(found.count)) {
          current = pagesOf(found.count);
          found = await followUps(actor, owner, WORK_ITEMS_PER_PAGE, offsetOf(current));
        }
      } else {
        const count = (await repo.counts(scope, [group]))[group];
        current = Math.min(current, pagesOf(count));
        found = { count, items: await repo.list(group, scope, WORK_ITEMS_PER_PAGE, offsetOf(current)) };
      }
      const pages = pagesOf(found.count);
      return {
        ...owner,
        followUpDays,
        page: current,
        pages,
        group: view(group, found.count, found.items, owner.personal),
      };
    },
  };
}

export type WorklistsService = ReturnType<typeof createWorklistsService>;
