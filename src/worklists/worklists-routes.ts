import { Router } from 'express';
import type { Actor } from '../actor.js';
import { NotFoundError } from '../http/errors.js';
import { withForm, type PageBuilder } from '../http/form-context.js';
import { paginate, pagerView, parsePageNumber } from '../http/pagination.js';
import { actorOf, parseId, type ParamLoader } from '../http/params.js';
import type { SiteRow } from '../sites/sites-service.js';
import { ASSIGNMENT_SITES_PER_PAGE, type AssignmentsService } from './assignments-service.js';
import { isWorkGroup, WORK_ITEMS_PER_PAGE, type WorklistsService } from './worklists-service.js';

export interface SiteAssignmentsRoutesDeps {
  readonly assignments: Pick<AssignmentsService, 'assign' | 'unassign'>;
  readonly sitePage: PageBuilder<[Actor, number]>;
  readonly siteParam: ParamLoader<SiteRow>;
}

/** /sites/:siteId/assignments: a team lead adds or takes off a site's "Người phụ trách" (on the site page). */
export function siteAssignmentsRoutes({ assignments, sitePage, siteParam }: SiteAssignmentsRoutesDeps): Router {
  const router = Router();
  router.param('siteId', siteParam.param);

  router.post('/:siteId/assignments', async (req, res) => {
    const site = siteParam.of(res);
    const actor = actorOf(req);
    withForm(res, 'sites/show', async () => ({ ...(await sitePage(actor, site.id)), assignOpen: true }));
    await assignments.assign(actor, site.id, req.body ?? {});
    res.redirect(303, `/sites/${site.id}?assigned=1#assignments`);
  });

  router.post('/:siteId/assignments/:userId/remove', async (req, res) => {
    const site = siteParam.of(res);
    await assignments.unassign(actorOf(req), site.id, parseId(req.params.userId));
    res.redirect(303, `/sites/${site.id}?unassigned=1#assignments`);
  });

  return router;
}

export interface WorkListsRoutesDeps {
  readonly assignments: Pick<AssignmentsService, 'overview'>;
  readonly worklists: Pick<WorklistsService, 'page'>;
}

/** /work/assignments ("Phân công") and /work/todo/:group (one kind of work, whole and paged). */
export function workListsRoutes({ assignments, worklists }: WorkListsRoutesDeps): Router {
  const router = Router();

  router.get('/assignments', async (req, res) => {
    const overview = await assignments.overview(actorOf(req), {
      page: parsePageNumber(req.query.page),
      unassignedOnly: req.query.unassigned === '1',
    });
    const total = overview.unassignedOnly ? overview.counts.unassigned : overview.counts.sites;
    res.render('work/assignments', {
      title: 'Phân công',
      ...overview,
      pager: pagerView(paginate(total, overview.page, ASSIGNMENT_SITES_PER_PAGE), {
        path: '/work/assignments',
        query: { unassigned: overview.unassignedOnly ? '1' : undefined },
        noun: 'địa điểm',
      }),
    });
  });

  router.get('/todo/:group', async (req, res) => {
    const group = req.params.group;
    if (!isWorkGroup(group)) throw new NotFoundError();
    const list = await worklists.page(actorOf(req), group, parsePageNumber(req.query.page));
    res.render('work/todo', {
      title: list.group.title,
      ...list,
      pager: pagerView(paginate(list.group.count, list.page, WORK_ITEMS_PER_PAGE), {
        path: `/work/todo/${group}`,
        noun: 'sạp',
      }),
    });
  });

  return router;
}
