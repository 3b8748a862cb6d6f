import { Router } from 'express';
import { withForm } from '../http/form-context.js';
import { actorOf, type ParamLoader } from '../http/params.js';
import type { SitesService } from '../sites/sites-service.js';
import type { CampaignsService, CampaignWithSites } from './campaigns-service.js';

export interface CampaignsRoutesDeps {
  readonly campaigns: CampaignsService;
  readonly sites: SitesService;
  readonly campaignParam: ParamLoader<CampaignWithSites>;
}

/** /campaigns: campaigns that set one target and deadline for several sites. */
export function campaignsRoutes({ campaigns, sites, campaignParam }: CampaignsRoutesDeps): Router {
  const router = Router();
  router.param('campaignId', campaignParam.param);
  const formLocals = async (title: string, campaign?: { id: number }) => ({
    title,
    campaign,
    sites: await sites.listSites({}),
  });

  router.get('/', async (_req, res) => {
    res.render('campaigns/list', { title: 'Đợt thi đua và chỉ tiêu', campaigns: await campaigns.list() });
  });
  router.get('/new', async (_req, res) => {
    res.render('campaigns/form', { ...(await formLocals('Thêm đợt')), values: { target_percent: '70' } });
  });
  router.post('/', async (req, res) => {
    withForm(res, 'campaigns/form', () => formLocals('Thêm đợt'));
    await campaigns.create(actorOf(req), req.body ?? {});
    res.redirect(303, '/campaigns');
  });
  router.get('/:campaignId/edit', async (_req, res) => {
    const campaign = campaignParam.of(res);
    res.render('campaigns/form', {
      ...(await formLocals(`Sửa ${campaign.name}`, campaign)),
      values: {
        name: campaign.name,
        target_percent: String(campaign.target_percent),
        starts_on: campaign.starts_on,
        deadline: campaign.deadline,
        site_ids: campaign.siteIds.map(String),
      },
    });
  });
  router.post('/:campaignId', async (req, res) => {
    const campaign = campaignParam.of(res);
    withForm(res, 'campaigns/form', () => formLocals(`Sửa ${campaign.name}`, campaign));
    await campaigns.update(actorOf(req), campaign.id, req.body ?? {});
    res.redirect(303, '/campaigns');
  });
  return router;
}
