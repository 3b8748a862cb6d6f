import { Router, type RequestHandler } from 'express';
import type { AccountsService } from '../accounts/accounts-service.js';
import type { Actor } from '../actor.js';
import { withForm, type PageBuilder, type PageLocals } from '../http/form-context.js';
import { actorOf, parseId } from '../http/params.js';

export interface WorkRoutesDeps {
  readonly accounts: Pick<AccountsService, 'approvePayeeChange' | 'refusePayeeChange' | 'cancelPayeeChange'>;
  readonly workPage: { page(actor: Actor): Promise<PageLocals>; count(actor: Actor): Promise<number> };
  readonly stallPage: PageBuilder<[Actor, number]>;
}

/**
 * Where a decision was taken: the stall's page (hidden field `from=stall`) or the work list. A failed form is
 * drawn again on the page it came from; a done one goes back there.
 */
function origin(body: unknown): 'stall' | 'work' {
  return (body as Record<string, unknown> | undefined)?.from === 'stall' ? 'stall' : 'work';
}

/**
 * The number in the menu's "Việc cần xử lý" link, for the roles with a work list: counted only when a page
 * is drawn (res.render), not for the PDFs, redirects and JSON answers that never show the menu — a saved
 * submit's redirect or a sticker paid two count queries for nothing.
 */
export function workCountLocals(workPage: WorkRoutesDeps['workPage']): RequestHandler {
  return (req, res, next) => {
    res.locals.workCount = 0;
    const user = req.user;
    if (!user) return next();
    const render = res.render.bind(res) as (...args: unknown[]) => void;
    res.render = ((...args: unknown[]) => {
      workPage.count(actorOf(req)).then(
        (count) => {
          res.locals.workCount = count;
          render(...args);
        },
        (error: unknown) => {
          // The menu's number is a convenience: the page is still drawn, without it, and the failure logged.
          console.error('Không đếm được việc cần xử lý:', error);
          render(...args);
        },
      );
    }) as typeof res.render;
    next();
  };
}

/** /work: the work list of team leads and admins, and the decisions on payee-change requests. */
export function workRoutes({ accounts, workPage, stallPage }: WorkRoutesDeps): Router {
  const router = Router();

  router.get('/', async (req, res) => {
    res.render('work/list', { ...(await workPage.page(actorOf(req))), values: {} });
  });

  /** Registers one decision route: the form context of its origin, then the service, then back. */
  function decision(
    verb: 'approve' | 'refuse' | 'cancel',
    decide: (actor: Actor, id: number, body: Record<string, unknown>) => Promise<number>,
    done: string,
  ) {
    router.post(`/payee-changes/:requestId/${verb}`, async (req, res) => {
      const actor = actorOf(req);
      const id = parseId(req.params.requestId);
      const body = (req.body ?? {}) as Record<string, unknown>;
      const from = origin(body);
      if (from === 'stall') withForm(res, 'stalls/show', () => stallPage(actor, parseId(String(body.stall_id))));
      else withForm(res, 'work/list', () => workPage.page(actor));
      const decidedStall = await decide(actor, id, body);
      res.redirect(303, from === 'stall' ? `/stalls/${decidedStall}?payee=${done}#accounts` : `/work?payee=${done}`);
    });
  }
  decision('approve', (actor, id) => accounts.approvePayeeChange(actor, id), 'approved');
  decision('refuse', (actor, id, body) => accounts.refusePayeeChange(actor, id, body), 'refused');
  decision('cancel', (actor, id) => accounts.cancelPayeeChange(actor, id), 'cancelled');

  return router;
}
