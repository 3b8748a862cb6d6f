import type { Actor } from '../actor.js';
import type { Clock } from '../clock.js';
import { assertNoFieldErrors, ForbiddenError, NotFoundError, type FieldErrors } from '../http/errors.js';
import { isIsoDate } from '../calendar/calendar.js';
import { parseWholeNumber, textField, type FormInput } from '../http/validate.js';
import { can } from '../vocabulary/roles.js';
import type { CampaignRow, CampaignsRepo, CampaignValues } from './campaigns-repo.js';

export type { CampaignRow };

export interface CampaignsServiceDeps {
  readonly campaigns: CampaignsRepo;
  readonly clock: Clock;
}

/** Campaigns set one target and deadline for several sites ("70 % of stalls by 30/4"). */
export type CampaignWithSites = CampaignRow & { siteIds: number[] };

export function createCampaignsService({ campaigns, clock }: CampaignsServiceDeps) {
  function assertCanManage(actor: Actor): void {
    if (!can(actor.role, 'manageSites')) throw new ForbiddenError('Chỉ quản trị viên và tổ trưởng được đặt chỉ tiêu.');
  }

  async function parse(input: FormInput): Promise<CampaignValues> {
    const errors: FieldErrors = {};
    const name = textField(input, 'name');
    if (!name) errors.name = 'Nhập tên đợt, ví dụ "Chợ 4.0 – đến 30/4/2027".';
    else if (name.length > 120) errors.name = `Tên tối đa 120 ký tự (hiện có ${name.length}).`;
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
    else if (!(await allSitesExist(ids))) errors.site_ids = 'Có địa điểm không tồn tại.';
    assertNoFieldErrors(errors);
    return { name, targetPercent: target!, startsOn, deadline, siteIds: [...new Set(ids)] };
  }

  async function allSitesExist(ids: number[]): Promise<boolean> {
    for (const id of ids) {
      if (!Number.isSafeInteger(id) || !(await campaigns.siteExists(id))) return false;
    }
    return true;
  }

  return {
    list: () => campaigns.list(),
    async get(id: number): Promise<CampaignWithSites> {
      const campaign = await campaigns.findById(id);
      if (!campaign) throw new NotFoundError('Không tìm thấy đợt này.');
      return { ...campaign, siteIds: await campaigns.siteIds(id) };
    },
    async create(actor: Actor, input: FormInput): Promise<number> {
      assertCanManage(actor);
      const values = await parse(input);
      return campaigns.insert(values, clock.now().toISOString(), actor.id);
    },
    async update(actor: Actor, id: number, input: FormInput): Promise<void> {
      assertCanManage(actor);
      if (!(await campaigns.findById(id))) throw new NotFoundError('Không tìm thấy đợt này.');
      const values = await parse(input);
      await campaigns.update(id, values);
    },
  };
}

export type CampaignsService = ReturnType<typeof createCampaignsService>;
