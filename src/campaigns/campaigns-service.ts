import type { Actor } from '../actor.js';
import type { Clock } from '../clock.js';
import type { Db } from '../db/database.js';
import { assertNoFieldErrors, ForbiddenError, NotFoundError, type FieldErrors } from '../http/errors.js';
import { isIsoDate } from '../calendar/calendar.js';
import { parseWholeNumber, textField, type FormInput } from '../http/validate.js';
import { can } from '../vocabulary/roles.js';

export interface CampaignRow {
  id: number;
  name: string;
  target_percent: number;
  starts_on: string;
  deadline: string;
  site_count: number;
}

interface CampaignValues {
  name: string;
  targetPercent: number;
  startsOn: string;
  deadline: string;
  siteIds: number[];
}

/** Campaigns set one target and deadline for several sites ("70 % of stalls by 30/4"). */
export function createCampaignsService(db: Db, clock: Clock) {
  const list = db.prepare<[], CampaignRow>(
    `SELECT c.id, c.name, c.target_percent, c.starts_on, c.deadline, count(cs.site_id) AS site_count
       FROM campaigns c LEFT JOIN campaign_sites cs ON cs.campaign_id = c.id GROUP BY c.id ORDER BY c.deadline DESC, c.id DESC`,
  );
  const byId = db.prepare<[number], CampaignRow>(
    `SELECT c.id, c.name, c.target_percent, c.starts_on, c.deadline,
            (SELECT count(*) FROM campaign_sites WHERE campaign_id = c.id) AS site_count
       FROM campaigns c WHERE c.id = ?`,
  );
  const siteIds = db.prepare<[number], { site_id: number }>('SELECT site_id FROM campaign_sites WHERE campaign_id = ?');
  const siteExists = db.prepare<[number], { id: number }>('SELECT id FROM sites WHERE id = ?');

  function assertCanManage(actor: Actor): void {
    if (!can(actor.role, 'manageSites')) throw new ForbiddenError('Chỉ quản trị viên và tổ trưởng được đặt chỉ tiêu.');
  }

  function parse(input: FormInput): CampaignValues {
    const errors: FieldErrors = {};
    const name = textField(input, 'name');
    if (!name) errors.name = 'Nhập tên đợt, ví dụ "Chợ 4.0 – đến 30/4/2027".';
    else if (name.length > 120) errors.name = `Tên tối đa 120 ký tự (hiện có ${name.length}).`;
    const target = parseWholeNumber(textField(input, 'target_percent'));
    if (target === undefined || target < 1 || target > 100) errors.target_percent = 'Chỉ tiêu là số nguyên từ 1 đến 100 (%).';
    const startsOn = textField(input, 'starts_on');
    if (!isIsoDate(startsOn)) errors.starts_on = 'Nhập ngày bắt đầu.';
    const deadline = textField(input, 'deadline');
    if (!isIsoDate(deadline)) errors.deadline = 'Nhập hạn hoàn thành.';
    else if (isIsoDate(startsOn) && deadline < startsOn) errors.deadline = 'Hạn hoàn thành phải sau ngày bắt đầu.';
    const raw = input.site_ids;
    const ids = (Array.isArray(raw) ? raw : raw ? [raw] : []).map(Number);
    if (ids.length === 0) errors.site_ids = 'Chọn ít nhất một địa điểm.';
    else if (ids.some((id) => !Number.isSafeInteger(id) || !siteExists.get(id))) errors.site_ids = 'Có địa điểm không tồn tại.';
    assertNoFieldErrors(errors);
    return { name, targetPercent: target!, startsOn, deadline, siteIds: [...new Set(ids)] };
  }

  /** A site is in one campaign at a time: joining this one takes it out of its previous one. */
  const assignSites = (campaignId: number, ids: number[]) => {
    db.prepare('DELETE FROM campaign_sites WHERE campaign_id = ?').run(campaignId);
    const remove = db.prepare('DELETE FROM campaign_sites WHERE site_id = ?');
    const insert = db.prepare('INSERT INTO campaign_sites (campaign_id, site_id) VALUES (?, ?)');
    for (const id of ids) {
      remove.run(id);
      insert.run(campaignId, id);
    }
  };

  return {
    list: () => list.all(),
    get(id: number) {
      const campaign = byId.get(id);
      if (!campaign) throw new NotFoundError('Không tìm thấy đợt này.');
      return { ...campaign, siteIds: siteIds.all(id).map((row) => row.site_id) };
    },
    create(actor: Actor, input: FormInput): number {
      assertCanManage(actor);
      const values = parse(input);
      return db.transaction(() => {
        const id = Number(
          db
            .prepare('INSERT INTO campaigns (name, target_percent, starts_on, deadline, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?)')
            .run(values.name, values.targetPercent, values.startsOn, values.deadline, clock.now().toISOString(), actor.id).lastInsertRowid,
        );
        assignSites(id, values.siteIds);
        return id;
      })();
    },
    update(actor: Actor, id: number, input: FormInput): void {
      assertCanManage(actor);
      if (!byId.get(id)) throw new NotFoundError('Không tìm thấy đợt này.');
      const values = parse(input);
      db.transaction(() => {
        db.prepare('UPDATE campaigns SET name = ?, target_percent = ?, starts_on = ?, deadline = ? WHERE id = ?').run(
          values.name, values.targetPercent, values.startsOn, values.deadline, id,
        );
        assignSites(id, values.siteIds);
      })();
    },
  };
}

export type CampaignsService = ReturnType<typeof createCampaignsService>;
