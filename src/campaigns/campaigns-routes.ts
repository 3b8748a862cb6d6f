import { Router } from 'express';
import type { Actor } from '../actor.js';
import { withForm } from '../http/form-context.js';
import { actorOf, type ParamLoader } from '../http/params.js';
import type { CampaignsService, CampaignWithSites } from './campaigns-service.js';

export interface CampaignsRoutesDeps {
  readonly campaigns: CampaignsService;
  /** Loads :campaignId for the acting user: 404 for a campaign with none of their sites. */
  readonly campaignParam: ParamLoader<CampaignWithSites>;
}

/** /campaigns: campaigns that set one target and deadline for several sites, as far as the user's reach goes. */
export function campaignsRoutes({ campaigns, campaignParam }: CampaignsRoutesDeps): Router {
  const router = Router();
  router.param('campaignId', campaignParam.param);
  // The picker lists the sites of the user's reach only: the service refuses any other.
  const formLocals = async (actor: Actor, title: string, campaign?: { id: number }) => ({
    title,
    campaign,
    sites: await campaigns.sitesToChoose(actor),
  });

  router.get('/', async (req, res) => {
    res.render('campaigns/list', {
      title: 'Đợt thi đua và chỉ tiêu',
      campaigns: await campaigns.list(actorOf(req)),
    });
  });
  router.get('/new', async (req, res) => {
    const actor = actorOf(req);
    campaigns.assertMayCreate(actor);
    res.render('campaigns/form', { ...(await formLocals(actor, 'Thêm đợt')), values: { target_percent: '70' } });
  });
  router.post('/', async (req, res) => {
    const actor = actorOf(req);
    withForm(res, 'campaigns/form', () => formLocals(actor, 'Thêm đợt'));
    await campaigns.create(actor, req.body ?? {});
    res.redirect(303, '/campaigns');
  });
  router.get('/:campaignId/edit', async (req, res) => {
    const actor = actorOf(req);
    const campaign = campaignParam.of(res);
    campaigns.assertMayEdit(actor, campaign);
    res.render('campaigns/form', {
      ...(await formLocals(actor, `Sửa ${campaign.name}`, campaign)),
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
    const actor = actorOf(req);
    const campaign = campaignParam.of(res);
    withForm(res, 'campaigns/form', () => formLocals(actor, `Sửa ${campaign.name}`, campaign));
    await campaigns.update(actor, campaign.id, req.body ?? {});
    res.redirect(303, '/campaigns');
  });
  return router;
}
