import { Router } from 'express';
import type { Actor } from '../actor.js';
import { withForm, type PageBuilder } from '../http/form-context.js';
import { actorOf, type ParamLoader } from '../http/params.js';
import type { StallView } from '../stalls/stalls-service.js';
import type { DataRightsService } from './data-rights-service.js';

export interface DataRightsRoutesDeps {
  readonly dataRights: DataRightsService;
  readonly stallPage: PageBuilder<[Actor, number]>;
  readonly stallParam: ParamLoader<StallView>;
}

/** /stalls/:stallId/…: the trader's rights — the consent record, withdrawal, erasure, the data held. */
export function dataRightsRoutes({ dataRights, stallPage, stallParam }: DataRightsRoutesDeps): Router {
  const router = Router();
  router.param('stallId', stallParam.param);

  router.get('/:stallId/consent-record', async (req, res) => {
    const record = await dataRights.consentRecord(actorOf(req), stallParam.of(res).id);
    res.render('data-rights/consent-record', { title: `Bản ghi nhận đồng ý · ${record.stall.label}`, ...record });
  });

  router.get('/:stallId/data', async (req, res) => {
    const held = await dataRights.heldData(actorOf(req), stallParam.of(res).id);
    res.render('data-rights/data', { title: `Dữ liệu đang lưu · ${held.stall.label}`, ...held });
  });

  router.post('/:stallId/consent/withdraw', async (req, res) => {
    const stall = stallParam.of(res);
    withForm(res, 'stalls/show', async () => ({
      ...(await stallPage(actorOf(req), stall.id)),
      rightsOpen: 'withdraw',
    }));
    await dataRights.withdrawConsent(actorOf(req), stall.id, req.body ?? {});
    res.redirect(303, `/stalls/${stall.id}?withdrawn=1`);
  });

  router.post('/:stallId/erase', async (req, res) => {
    const stall = stallParam.of(res);
    withForm(res, 'stalls/show', async () => ({ ...(await stallPage(actorOf(req), stall.id)), rightsOpen: 'erase' }));
    await dataRights.erase(actorOf(req), stall.id, req.body ?? {});
    res.redirect(303, `/stalls/${stall.id}?erased=1`);
  });

  return router;
}
