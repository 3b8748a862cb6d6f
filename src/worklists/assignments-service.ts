import type { Actor } from '../actor.js';
import { auditChanges } from '../audit/audit-changes.js';
import type { AuditService } from '../audit/audit-service.js';
import type { Clock } from '../clock.js';
import { ForbiddenError, ValidationError } from '../http/errors.js';
import { parseWholeNumber, textField, type FormInput } from '../http/validate.js';
import type { SiteRow, SitesService } from '../sites/sites-service.js';
import { can } from '../vocabulary/roles.js';
import type { AssignableUser, AssignedSite, AssignedUser, AssignmentsRepo } from './assignments-repo.js';

export type { AssignableUser, AssignedSite, AssignedUser };

/** The most people the picker of a site offers; a commune has a few dozen volunteers. */
export const ASSIGNABLE_LIMIT = 200;
/** Sites on one page of "Phân công". */
export const ASSIGNMENT_SITES_PER_PAGE = 50;

export const NOT_ASSIGNABLE =
  'Chỉ tình nguyện viên hoặc tổ trưởng đang hoạt động, có phạm vi làm việc gồm địa điểm này, mới được phân công.';
export const ALREADY_ASSIGNED = 'Người này đã được phân công phụ trách địa điểm này.';
export const CHOOSE_ASSIGNEE = 'Chọn người phụ trách.';
export const ASSIGN_FORBIDDEN = 'Chỉ quản trị viên và tổ trưởng được phân công người phụ trách địa điểm.';

export interface AssignmentsServiceDeps {
  readonly repo: AssignmentsRepo;
  readonly sites: Pick<SitesService, 'requireSite'>;
  readonly audit: Pick<AuditService, 'record'>;
  readonly transaction: <T>(work: () => Promise<T>) => Promise<T>;
  readonly clock: Clock;
}

interface AssigneeRef {
  readonly id: number;
  readonly username: string;
}

/** The "Người phụ trách" section of a site's page. */
export interface SiteAssignments {
  readonly assigned: readonly AssignedUser[];
  /** Who may be added; empty for a role that may not assign. */
  readonly assignable: readonly AssignableUser[];
  readonly mayAssign: boolean;
}

/**
 * Who works which site. A team lead or an admin assigns, inside their reach (a site outside it is a 404),
 * an active volunteer or team lead whose own reach covers the site; every assignment and unassignment is an
 * audit row (`site.assign`, `site.unassign`) in the same transaction.
 */
export function createAssignmentsService({ repo, sites, audit, transaction, clock }: AssignmentsServiceDeps) {
  const placeOf = (site: SiteRow) => ({
    siteId: site.id,
    communeCode: site.commune_code,
    provinceCode: site.province_code,
  });

  function assertMayAssign(actor: Actor): void {
    if (!can(actor.role, 'manageSites')) throw new ForbiddenError(ASSIGN_FORBIDDEN);
  }

  /** The assignee by id and username (an identifier, not personal data), so the log reads without a lookup. */
  async function record(actor: Actor, action: 'site.assign' | 'site.unassign', site: SiteRow, user: AssigneeRef) {
    const assigned = { assignee_id: user.id, username: user.username };
    await audit.record({
      actor,
      action,
      entity: 'site',
      entityId: site.id,
      place: { siteId: site.id, communeCode: site.commune_code },
      changes:
        action === 'site.assign'
          ? auditChanges(undefined, assigned, { plain: ['assignee_id', 'username'] })
          : auditChanges(assigned, undefined, { plain: ['assignee_id', 'username'] }),
    });
  }

  return {
    /** The site's assigned people, and whom the actor may add; the site must be in the reach (else 404). */
    async forSite(actor: Actor, siteId: number): Promise<SiteAssignments> {
      const site = await sites.requireSite(actor, siteId);
      const mayAssign = can(actor.role, 'manageSites');
      return {
        assigned: await repo.assignedTo([site.id]),
        assignable: mayAssign ? await repo.assignable(placeOf(site), ASSIGNABLE_LIMIT) : [],
        mayAssign,
      };
    },

    /** Assigns the user of the form's `user_id` to the site; refused next to the field when they may not be. */
    async assign(actor: Actor, siteId: number, input: FormInput): Promise<void> {
      const site = await sites.requireSite(actor, siteId);
      assertMayAssign(actor);
      const userId = parseWholeNumber(textField(input, 'user_id'));
      if (userId === undefined || userId < 1) throw new ValidationError({ user_id: CHOOSE_ASSIGNEE });
      await transaction(async () => {
        const [candidate] = await repo.assignable(placeOf(site), 1, userId);
        if (!candidate) {
          const already = (await repo.assignedTo([site.id])).some((row) => row.user_id === userId);
          throw new ValidationError({ user_id: already ? ALREADY_ASSIGNED : NOT_ASSIGNABLE });
        }
        await repo.insert({ siteId: site.id, userId, by: actor.id, at: clock.now().toISOString() });
        await record(actor, 'site.assign', site, candidate);
      });
    },

    /** Takes the user off the site; nothing changes (and nothing is logged) when they were not on it. */
    async unassign(actor: Actor, siteId: number, userId: number): Promise<boolean> {
      const site = await sites.requireSite(actor, siteId);
      assertMayAssign(actor);
      return transaction(async () => {
        const held = (await repo.assignedTo([site.id])).find((row) => row.user_id === userId);
        if (!held || !(await repo.remove(site.id, userId))) return false;
        await record(actor, 'site.unassign', site, { id: userId, username: held.username });
        return true;
      });
    },

    /** The sites the actor is assigned to inside their reach, by name (their home, the onboarding picker). */
    sitesOf: (actor: Actor): Promise<AssignedSite[]> => repo.sitesOf(actor.id, actor.reach),

    /**
     * "Phân công": one page of the sites of the actor's reach, nobody assigned first, with the people of each
     * (two queries for the page, whatever its size). Team leads and admins only (403).
     */
    async overview(actor: Actor, options: { page: number; unassignedOnly: boolean }) {
      assertMayAssign(actor);
      const counts = await repo.countsOfReach(actor.reach);
      const pages = Math.max(
        1,
        Math.ceil((options.unassignedOnly ? counts.unassigned : counts.sites) / ASSIGNMENT_SITES_PER_PAGE),
      );
      const page = Math.min(Math.max(1, options.page), pages);
      const rows = await repo.sitesOfReach(actor.reach, {
        limit: ASSIGNMENT_SITES_PER_PAGE,
        offset: (page - 1) * ASSIGNMENT_SITES_PER_PAGE,
        unassignedOnly: options.unassignedOnly,
      });
      const people = await repo.assignedTo(rows.map((row) => row.id));
      return {
        counts,
        page,
        pages,
        unassignedOnly: options.unassignedOnly,
        sites: rows.map((row) => ({ ...row, people: people.filter((person) => person.site_id === row.id) })),
      };
    },

    /** How many sites of the reach have nobody assigned, for the work list; 403 for the other roles. */
    async counts(actor: Actor) {
      assertMayAssign(actor);
      return repo.countsOfReach(actor.reach);
    },
  };
}

export type AssignmentsService = ReturnType<typeof createAssignmentsService>;
