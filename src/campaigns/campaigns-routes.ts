import { Router } from 'express';
import { withForm } from '../http/form-context.js';
import { actorOf, parseId } from '../sites/sites-routes.js';
import type { SitesService } from '../sites/sites-service.js';
import type { CampaignsService } from './campaigns-service.js';

export function campaignsRoutes(campaigns: CampaignsService, sites: SitesService): Router {
  const router = Router();
  // `await` whether the sites service answers now or with a Promise: it becomes async in the same step.
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
    withForm(res, 'campaigns/form', await formLocals('Thêm đợt'));
    await campaigns.create(actorOf(req), req.body ?? {});
    res.redirect(303, '/campaigns');
  });
  router.get('/:campaignId/edit', async (req, res) => {
    const campaign = await campaigns.get(parseId(req.params.campaignId));
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
    const campaign = await campaigns.get(parseId(req.params.campaignId));
    withForm(res, 'campaigns/form', await formLocals(`Sửa ${campaign.name}`, campaign));
    await campaigns.update(actorOf(req), campaign.id, req.body ?? {});
    res.redirect(303, '/campaigns');
  });
  return router;
}
