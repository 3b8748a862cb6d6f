import { Router } from 'express';
import type { Actor } from '../actor.js';
import { withForm, type PageBuilder } from '../http/form-context.js';
import { actorOf, type ParamLoader } from '../http/params.js';
import type { StallsService, StallView } from './stalls-service.js';

export interface StallsRoutesDeps {
  readonly stalls: StallsService;
  readonly stallPage: PageBuilder<[Actor, number]>;
  readonly stallParam: ParamLoader<StallView>;
}

/** /stalls/:stallId: a stall's page, its edit form, status changes, "installed" and follow-up visits. */
export function stallsRoutes({ stalls, stallPage, stallParam }: StallsRoutesDeps): Router {
  const router = Router();
  router.param('stallId', stallParam.param);

  router.get('/:stallId', async (req, res) => {
    res.render('stalls/show', { ...(await stallPage(actorOf(req), stallParam.of(res).id)), values: {} });
  });

  router.get('/:stallId/edit', async (req, res) => {
    const actor = actorOf(req);
    const stall = await stalls.stallForEdit(actor, stallParam.of(res).id);
    res.render('stalls/edit', {
      ...(await stallPage(actor, stall.id)),
      values: {
        label: stall.label,
        business_name: stall.business_name,
        owner_name: stall.owner_name,
        phone: stall.phone ?? '',
        goods_category: stall.goods_category,
      },
    });
  });

  router.post('/:stallId', async (req, res) => {
    const stall = stallParam.of(res);
    withForm(res, 'stalls/edit', () => stallPage(actorOf(req), stall.id));
    await stalls.updateStall(actorOf(req), stall.id, req.body);
    res.redirect(303, `/stalls/${stall.id}?saved=stall`);
  });

  router.post('/:stallId/status', async (req, res) => {
    const stall = stallParam.of(res);
    withForm(res, 'stalls/show', () => stallPage(actorOf(req), stall.id));
    await stalls.changeStatus(actorOf(req), stall.id, req.body);
    const back =
      req.body?.return_to === 'site' ? `/sites/${stall.site_id}#stall-${stall.id}` : `/stalls/${stall.id}?saved=status`;
    res.redirect(303, back);
  });

  router.post('/:stallId/installed', async (req, res) => {
    const stall = stallParam.of(res);
    withForm(res, 'stalls/show', () => stallPage(actorOf(req), stall.id));
    await stalls.markInstalled(actorOf(req), stall.id);
    res.redirect(303, `/stalls/${stall.id}?installed=1`);
  });

  router.post('/:stallId/follow-up', async (req, res) => {
    const stall = stallParam.of(res);
    withForm(res, 'stalls/show', async () => ({ ...(await stallPage(actorOf(req), stall.id)), followUpOpen: true }));
    const sticker = await stalls.recordFollowUp(actorOf(req), stall.id, req.body ?? {});
    res.redirect(303, `/stalls/${stall.id}?followup=${sticker}`);
  });

  return router;
}
