import type { Actor } from '../actor.js';
import { auditChanges, type AuditFields } from '../audit/audit-changes.js';
import type { AuditService } from '../audit/audit-service.js';
import type { Clock } from '../clock.js';
import { assertNoFieldErrors, ForbiddenError, NotFoundError, type FieldErrors } from '../http/errors.js';
import { isIsoDate, vietnamDate } from '../calendar/calendar.js';
import { TEXT_FIELDS } from '../http/text-fields.js';
import { checkedText, parseWholeNumber, textField, type FormInput } from '../http/validate.js';
import { searchWords } from '../text/search-query.js';
import { can } from '../vocabulary/roles.js';
import type { CampaignRow, CampaignsRepo, CampaignValues, SiteChoice } from './campaigns-repo.js';

export type { SiteChoice };

/** Sites offered at once by the campaign form's picker beside the ticked ones; a search finds the others. */
export const CAMPAIGN_PICKER_SIZE = 50;

export interface CampaignsServiceDeps {
  readonly campaigns: CampaignsRepo;
  readonly audit: Pick<AuditService, 'record'>;
  readonly transaction: <T>(work: () => Promise<T>) => Promise<T>;
  readonly clock: Clock;
}

/** A campaign holds no personal data: every field enters the audit trail with its values. */
const CAMPAIGN_AUDIT_FIELDS: AuditFields = {
  plain: ['name', 'target_percent', 'starts_on', 'deadline', 'site_ids'],
};

function auditedCampaign(campaign: {
  name: string;
  targetPercent: number;
  startsOn: string;
  deadline: string;
  siteIds: readonly number[];
}): Record<string, unknown> {
  return {
    name: campaign.name,
    target_percent: campaign.targetPercent,
    starts_on: campaign.startsOn,
    deadline: campaign.deadline,
    // As one sorted list, so sites joining or leaving show as a before and an after.
    site_ids: [...campaign.siteIds].sort((a, b) => a - b).join(','),
  };
}

/**
 * A campaign as one user sees it: only its sites in their reach count. A campaign is visible when one of
 * its sites is in the reach (the whole country sees every campaign, an empty one too).
 */
export interface CampaignSummary {
  readonly id: number;
  readonly name: string;
  readonly target_percent: number;
  readonly starts_on: string;
  readonly deadline: string;
  /** Its sites in the user's reach. */
  readonly site_count: number;
  /** It also has sites outside the reach: its figures are of the part in the reach, and it cannot be edited. */
  readonly partial: boolean;
  /** The user may change it: they may manage sites and all its sites are in their reach. */
  readonly editable: boolean;
}

/** Campaigns set one target and deadline for several sites ("70 % of stalls by 30/4"). */
export type CampaignWithSites = CampaignSummary & { readonly siteIds: readonly number[] };

const NOT_FOUND = 'Không tìm thấy đợt này.';
const MAY_NOT_MANAGE = 'Chỉ quản trị viên và tổ trưởng được đặt chỉ tiêu.';
const SPANS_BEYOND =
  'Đợt này có cả địa điểm ngoài phạm vi của bạn, nên bạn không sửa được. ' +
  'Hãy nhờ người phụ trách tất cả các địa điểm của đợt (hoặc quản trị viên Tỉnh đoàn).';

/**
 * The reach rules (issue 11), for every role: a campaign with no site in the user's reach answers 404 (its
 * existence is not revealed); creating or editing needs manageSites (403); a campaign may only name sites
 * in the reach (any other id is refused like a missing site); and only a campaign whose sites all lie in the
 * reach may be edited (403), so nobody changes the target of sites they do not run. Putting a site of the
 * reach into a campaign still takes it out of its previous one, whatever that one spans: the site is theirs.
 */
export function createCampaignsService({ campaigns, audit, transaction, clock }: CampaignsServiceDeps) {
  function summary(row: CampaignRow, actor: Actor): CampaignSummary {
    const partial = row.sites_in_reach < row.site_count;
    return {
      id: row.id,
      name: row.name,
      target_percent: row.target_percent,
      starts_on: row.starts_on,
      deadline: row.deadline,
      site_count: row.sites_in_reach,
      partial,
      editable: can(actor.role, 'manageSites') && !partial,
    };
  }

  const visible = (row: CampaignRow, actor: Actor) => actor.reach.wholeCountry || row.sites_in_reach > 0;

  function assertMayManage(actor: Actor): void {
    if (!can(actor.role, 'manageSites')) throw new ForbiddenError(MAY_NOT_MANAGE);
  }

  function assertMayEdit(actor: Actor, campaign: CampaignSummary): void {
    assertMayManage(actor);
    if (campaign.partial) throw new ForbiddenError(SPANS_BEYOND);
  }

  async function get(actor: Actor, id: number): Promise<CampaignWithSites> {
    const row = await campaigns.findById(id, actor.reach);
    if (!row || !visible(row, actor)) throw new NotFoundError(NOT_FOUND);
    return { ...summary(row, actor), siteIds: await campaigns.siteIdsInReach(id, actor.reach) };
  }

  async function parse(actor: Actor, input: FormInput): Promise<CampaignValues> {
    const errors: FieldErrors = {};
    const name = checkedText(input, 'name', TEXT_FIELDS.campaignName, errors);
    if (!name) errors.name ??= 'Nhập tên đợt, ví dụ "Chợ 4.0 – đến 30/4/2027".';
    const target = parseWholeNumber(textField(input, 'target_percent'));
    if (target === undefined || target < 1 || target > 100)
      errors.target_percent = 'Chỉ tiêu là số nguyên từ 1 đến 100 (%).';
    const startsOn = textField(input, 'starts_on');
    if (!isIsoDate(startsOn)) errors.starts_on = 'Nhập ngày bắt đầu.';
    const deadline = textField(input, 'deadline');
    if (!isIsoDate(deadline)) errors.deadline = 'Nhập hạn hoàn thành.';
    else if (isIsoDate(startsOn) && deadline < startsOn) errors.deadline = 'Hạn hoàn thành phải sau ngày bắt đầu.';
    const raw = input.site_ids;
    const ids = (Array.isArray(raw) ? raw : raw ? [raw] : []).map(Number);
    if (ids.length === 0) errors.site_ids = 'Chọn ít nhất một địa điểm.';
    // A site outside the reach is refused exactly like a missing one: its existence is not revealed.
    else if (!(await allSitesInReach(actor, ids))) errors.site_ids = 'Có địa điểm không tồn tại.';
    assertNoFieldErrors(errors);
    return { name, targetPercent: target!, startsOn, deadline, siteIds: [...new Set(ids)] };
  }

  /**
   * Saves a campaign with `write` and records it, and records each other campaign the save takes sites out of
   * (a site is in one campaign at a time), all in one transaction.
   */
  async function saveAudited(
    actor: Actor,
    campaignId: number | undefined,
    values: CampaignValues,
    write: () => Promise<number>,
    before: Record<string, unknown> | undefined,
  ): Promise<number> {
    return transaction(async () => {
      const losing = await campaigns.otherCampaignsHolding(values.siteIds, campaignId ?? 0);
      // Targets in time: joining, leaving and a new target or deadline take effect from today (Vietnam day).
      const now = clock.now();
      const stamp = { effectiveOn: vietnamDate(now), at: now.toISOString(), by: actor.id };
      const touched = [
        ...new Set([...values.siteIds, ...(campaignId === undefined ? [] : await campaigns.allSiteIds(campaignId))]),
      ];
      const membersBefore = await campaigns.membershipOf(touched);
      await campaigns.startMembershipHistory(touched, stamp.effectiveOn);
      const retargeted =
        before === undefined ||
        before.target_percent !== values.targetPercent ||
        before.starts_on !== values.startsOn ||
        before.deadline !== values.deadline;
      if (campaignId !== undefined && retargeted) await campaigns.startTargetHistory(campaignId, stamp.effectiveOn);
      const id = await write();
      if (retargeted) await campaigns.appendTargetHistory(id, values, stamp);
      for (const siteId of touched) {
        const after = values.siteIds.includes(siteId) ? id : null;
        if ((membersBefore.get(siteId) ?? null) !== after) await campaigns.appendMembership(siteId, after, stamp);
      }
      const action = before ? 'campaign.update' : 'campaign.create';
      // A campaign may span communes: its rows carry no place, so only the whole country reads them.
      const changes = auditChanges(before, auditedCampaign(values), CAMPAIGN_AUDIT_FIELDS);
      if (Object.keys(changes).length > 0) {
        await audit.record({ actor, action, entity: 'campaign', entityId: id, changes });
      }
      for (const [otherId, siteIds] of losing) {
        const kept = siteIds.filter((siteId) => !values.siteIds.includes(siteId));
        const siteChanges = auditChanges(
          { site_ids: siteIds.join(',') },
          { site_ids: kept.join(',') },
          CAMPAIGN_AUDIT_FIELDS,
        );
        await audit.record({
          actor,
          action: 'campaign.update',
          entity: 'campaign',
          entityId: otherId,
          changes: siteChanges,
        });
      }
      return id;
    });
  }

  async function allSitesInReach(actor: Actor, ids: number[]): Promise<boolean> {
    if (!ids.every((id) => Number.isSafeInteger(id) && id > 0)) return false;
    const found = await campaigns.sitesInReach([...new Set(ids)], actor.reach);
    return ids.every((id) => found.has(id));
  }

  return {
    /** The campaigns the user sees (one of their sites in it), newest deadline first. */
    async list(actor: Actor): Promise<CampaignSummary[]> {
      return (await campaigns.list(actor.reach)).filter((row) => visible(row, actor)).map((row) => summary(row, actor));
    },
    /** A campaign the user sees, with its sites in their reach; NotFoundError otherwise. */
    get,
    /** The sites the user may put into a campaign (their reach's), for the form's picker. */
    sitesToChoose: (actor: Actor): Promise<SiteChoice[]> => campaigns.sitesToChoose(actor.reach),
    /**
     * The form's picker: the ticked sites that lie in the reach (every one, so saving keeps them), then at most
     * CAMPAIGN_PICKER_SIZE others of the reach matching the search (accent-insensitive, on the site's or its
     * commune's name), with how many match: a province of 10,000 sites does not put 10,000 boxes on the page.
     */
    async siteChoices(actor: Actor, input: { query: string; chosen: readonly number[] }) {
      const chosenIds = [...new Set(input.chosen.filter((id) => Number.isSafeInteger(id) && id > 0))];
      const chosen = await campaigns.siteChoicesByIds(actor.reach, chosenIds);
      const found = await campaigns.findSiteChoices(actor.reach, {
        words: searchWords(input.query),
        except: chosen.map((site) => site.id),
        limit: CAMPAIGN_PICKER_SIZE,
      });
      return { chosen, found: found.sites, matching: found.total };
    },
    /** ForbiddenError unless the user may create campaigns: the new-campaign form is not offered otherwise. */
    assertMayCreate: assertMayManage,
    /** ForbiddenError unless the user may edit this campaign (they manage sites and reach all its sites). */
    assertMayEdit,
    async create(actor: Actor, input: FormInput): Promise<number> {
      assertMayManage(actor);
      const values = await parse(actor, input);
      const at = clock.now().toISOString();
      return saveAudited(actor, undefined, values, () => campaigns.insert(values, at, actor.id), undefined);
    },
    async update(actor: Actor, id: number, input: FormInput): Promise<void> {
      const campaign = await get(actor, id);
      assertMayEdit(actor, campaign);
      const values = await parse(actor, input);
      const before = auditedCampaign({
        name: campaign.name,
        targetPercent: campaign.target_percent,
        startsOn: campaign.starts_on,
        deadline: campaign.deadline,
        siteIds: campaign.siteIds,
      });
      await saveAudited(
        actor,
        id,
        values,
        async () => {
          await campaigns.update(id, values);
          return id;
        },
        before,
      );
    },
  };
}

export type CampaignsService = ReturnType<typeof createCampaignsService>;
