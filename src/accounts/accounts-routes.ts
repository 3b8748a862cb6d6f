import { Router } from 'express';
import type { Actor } from '../actor.js';
import { withForm, type PageBuilder, type PageLocals } from '../http/form-context.js';
import { photoOf } from '../http/multipart.js';
import { actorOf, parseId, type ParamLoader } from '../http/params.js';
import type { StallView } from '../stalls/stalls-service.js';
import type { AccountsService } from './accounts-service.js';

export interface AccountsRoutesDeps {
  readonly accounts: AccountsService;
  readonly stallPage: PageBuilder<[Actor, number]>;
  /** The name-check page of one account, or undefined when the stall has none to check (403 for readers). */
  readonly nameCheckPage: (
    actor: Actor,
    stallId: number,
    accountId: unknown,
    viewed?: boolean,
  ) => Promise<(PageLocals & { site: { id: number } }) | undefined>;
  readonly stallParam: ParamLoader<StallView>;
}

/** /stalls/:stallId/…: a stall's bank accounts — add, name check, primary, retire. */
export function accountsRoutes({ accounts, stallPage, nameCheckPage, stallParam }: AccountsRoutesDeps): Router {
  const router = Router();
  router.param('stallId', stallParam.param);

  router.get('/:stallId/name-check', async (req, res) => {
    const stall = stallParam.of(res);
    const page = await nameCheckPage(actorOf(req), stall.id, req.query.account, !req.query.new);
    if (!page) return res.redirect(303, `/stalls/${stall.id}#accounts`);
    // ?new=1: the onboarding form's submit landed here, so the draft kept on the phone is done.
    res.render('onboarding/name-check', {
      ...page,
      draftKey: req.query.new ? `onboard-site-${page.site.id}` : '',
      values: {},
    });
  });

  router.post('/:stallId/accounts/:accountId/name-check', async (req, res) => {
    const stall = stallParam.of(res);
    const accountId = parseId(req.params.accountId);
    withForm(res, 'onboarding/name-check', async () => ({
      ...(await nameCheckPage(actorOf(req), stall.id, String(accountId))),
      draftKey: '',
    }));
    await accounts.checkName(actorOf(req), stall.id, accountId, req.body ?? {});
    res.redirect(303, `/stalls/${stall.id}?verified=${accountId}`);
  });

  router.post('/:stallId/accounts', async (req, res) => {
    const stall = stallParam.of(res);
    withForm(res, 'stalls/show', async () => ({ ...(await stallPage(actorOf(req), stall.id)), addAccountOpen: true }));
    const accountId = await accounts.addAccount(actorOf(req), stall.id, req.body ?? {}, photoOf(req));
    res.redirect(303, `/stalls/${stall.id}/name-check?account=${accountId}`);
  });

  router.post('/:stallId/accounts/:accountId/primary', async (req, res) => {
    const stall = stallParam.of(res);
    withForm(res, 'stalls/show', () => stallPage(actorOf(req), stall.id));
    const done = await accounts.setPrimary(actorOf(req), stall.id, parseId(req.params.accountId), req.body ?? {});
    res.redirect(303, `/stalls/${stall.id}?${done === 'requested' ? 'payee=requested' : 'saved=primary'}#accounts`);
  });

  router.post('/:stallId/accounts/:accountId/retire', async (req, res) => {
    const stall = stallParam.of(res);
    withForm(res, 'stalls/show', () => stallPage(actorOf(req), stall.id));
    const done = await accounts.retireAccount(actorOf(req), stall.id, parseId(req.params.accountId), req.body ?? {});
    res.redirect(303, `/stalls/${stall.id}?${done === 'requested' ? 'payee=requested' : 'saved=retired'}#accounts`);
  });

  return router;
}
