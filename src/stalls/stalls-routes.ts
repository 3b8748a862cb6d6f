import { Router } from 'express';
import { withForm } from '../http/form-context.js';
import { actorOf, parseId } from '../sites/sites-routes.js';
import type { StallPage } from './stall-page.js';
import type { StallsService } from './stalls-service.js';

export function stallsRoutes(stalls: StallsService, stallPage: StallPage): Router {
  const router = Router();

  router.get('/:stallId', (req, res) => {
    res.render('stalls/show', { ...stallPage(parseId(req.params.stallId)), values: {} });
  });

  router.get('/:stallId/edit', (req, res) => {
    const page = stallPage(parseId(req.params.stallId));
    const { stall } = page;
    res.render('stalls/edit', {
      ...page,
      values: {
        label: stall.label,
        business_name: stall.business_name,
        owner_name: stall.owner_name,
        phone: stall.phone ?? '',
        goods_category: stall.goods_category,
      },
    });
  });

  router.post('/:stallId', (req, res) => {
    const page = stallPage(parseId(req.params.stallId));
    withForm(res, 'stalls/edit', page);
    stalls.updateStall(actorOf(req), page.stall.id, req.body);
    res.redirect(303, `/stalls/${page.stall.id}`);
  });

  router.post('/:stallId/status', (req, res) => {
    const page = stallPage(parseId(req.params.stallId));
    withForm(res, 'stalls/show', page);
    stalls.changeStatus(actorOf(req), page.stall.id, req.body);
    const back = req.body?.return_to === 'site' ? `/sites/${page.site.id}#stall-${page.stall.id}` : `/stalls/${page.stall.id}`;
    res.redirect(303, back);
  });

  return router;
}
