import { Router } from 'express';
import type { Actor } from '../actor.js';
import { withForm } from '../http/form-context.js';
import { actorOf, type ParamLoader } from '../http/params.js';
import { searchQuery } from '../text/search-query.js';
import type { CampaignsService, CampaignWithSites } from './campaigns-service.js';

const NO_PICK = { query: '', chosen: [] as readonly number[] };

/** The picker's search and ticked sites as the form sent them. */
function pickerOf(body: Record<string, unknown> | undefined): { query: string; chosen: readonly number[] } {
  const raw = body?.site_ids;
  const ticked = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  return { query: searchQuery(body?.sites_q).text, chosen: ticked.map(Number) };
}

/** "Tìm" in the picker: the form comes back with what was typed and the matching sites, nothing is saved. */
const isSearch = (body: Record<string, unknown> | undefined): boolean => body?.find === '1';

export interface CampaignsRoutesDeps {
  readonly campaigns: CampaignsService;
  /** Loads :campaignId for the acting user: 404 for a campaign with none of their sites. */
  readonly campaignParam: ParamLoader<CampaignWithSites>;
}

/** /campaigns: campaigns that set one target and deadline for several sites, as far as the user's reach goes. */
export function campaignsRoutes({ campaigns, campaignParam }: CampaignsRoutesDeps): Router {
  const router = Router();
  router.param('campaignId', campaignParam.param);
  // The picker lists the sites of the user's reach only (the service refuses any other): the ticked ones, then
  // one short list of the others matching its search ("Tìm" posts the form back without saving it).
  const formLocals = async (actor: Actor, title: string, campaign?: { id: number }, picker = NO_PICK) => {
    const { chosen, found, matching } = await campaigns.siteChoices(actor, picker);
    return { title, campaign, sitesQuery: picker.query, chosenSites: chosen, foundSites: found, matching };
  };

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
    const picker = pickerOf(req.body);
    if (isSearch(req.body)) {
      campaigns.assertMayCreate(actor);
      res.render('campaigns/form', { ...(await formLocals(actor, 'Thêm đợt', undefined, picker)), values: req.body });
      return;
    }
    withForm(res, 'campaigns/form', () => formLocals(actor, 'Thêm đợt', undefined, picker));
    await campaigns.create(actor, req.body ?? {});
    res.redirect(303, '/campaigns');
  });
  router.get('/:campaignId/edit', async (req, res) => {
    const actor = actorOf(req);
    const campaign = campaignParam.of(res);
    campaigns.assertMayEdit(actor, campaign);
    res.render('campaigns/form', {
      ...(await formLocals(actor, `Sửa ${campaign.name}`, campaign, { query: '', chosen: campaign.siteIds })),
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
    const picker = pickerOf(req.body);
    const title = `Sửa ${campaign.name}`;
    if (isSearch(req.body)) {
      campaigns.assertMayEdit(actor, campaign);
      res.render('campaigns/form', { ...(await formLocals(actor, title, campaign, picker)), values: req.body });
      return;
    }
    withForm(res, 'campaigns/form', () => formLocals(actor, title, campaign, picker));
    await campaigns.update(actor, campaign.id, req.body ?? {});
    res.redirect(303, '/campaigns');
  });
  return router;
}
