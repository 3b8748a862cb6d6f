import { Router } from 'express';
import type { Actor } from '../actor.js';
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
  // The sites offered are those of the actor's reach (the sites service limits the list).
  const formLocals = async (actor: Actor, title: string, campaign?: { id: number }) => ({
    title,
    campaign,
    sites: await sites.listSites(actor, {}),
  });

  router.get('/', async (_req, res) => {
    res.render('campaigns/list', { title: 'Đợt thi đua và chỉ tiêu', campaigns: await campaigns.list() });
  });
  router.get('/new', async (req, res) => {
    res.render('campaigns/form', { ...(await formLocals(actorOf(req), 'Thêm đợt')), values: { target_percent: '70' } });
  });
  router.post('/', async (req, res) => {
    withForm(res, 'campaigns/form', () => formLocals(actorOf(req), 'Thêm đợt'));
    await campaigns.create(actorOf(req), req.body ?? {});
    res.redirect(303, '/campaigns');
  });
  router.get('/:campaignId/edit', async (req, res) => {
    const campaign = campaignParam.of(res);
    res.render('campaigns/form', {
      ...(await formLocals(actorOf(req), `Sửa ${campaign.name}`, campaign)),
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
    withForm(res, 'campaigns/form', () => formLocals(actorOf(req), `Sửa ${campaign.name}`, campaign));
    await campaigns.update(actorOf(req), campaign.id, req.body ?? {});
    res.redirect(303, '/campaigns');
  });
  return router;
}
