import { randomUUID } from 'node:crypto';
import { Router, type Request } from 'express';
import type { UploadedPhoto } from '../accounts/account-source.js';
import { withForm } from '../http/form-context.js';
import { actorOf, parseId } from '../sites/sites-routes.js';
import type { SitesService } from '../sites/sites-service.js';
import type { StallPage } from '../stalls/stall-page.js';
import type { StallsService } from '../stalls/stalls-service.js';
import type { BankDirectory } from '../vietqr/banks.js';
import { encode } from '../vietqr/encode.js';
import { qrMatrix } from '../vietqr/qr-matrix.js';
import { qrSvg } from '../vietqr/qr-svg.js';
import type { OnboardingService } from './onboarding-service.js';

function photoOf(req: Request): UploadedPhoto | undefined {
  return req.file ? { buffer: req.file.buffer, mimetype: req.file.mimetype, size: req.file.size } : undefined;
}

/** The static VietQR of an account, as an SVG for the screen. */
export function accountQrSvg(account: { bin: string; account_number: string; service: 'account' | 'card' }, label: string): string {
  const payload = encode({ bin: account.bin, account: account.account_number, service: account.service });
  return qrSvg(qrMatrix(payload), { ariaLabel: label, className: 'qr' });
}

/** The guided flow at the counter: pick the site, register stall + account, then the name check. */
export function onboardingRoutes(
  sites: SitesService,
  stalls: StallsService,
  onboarding: OnboardingService,
  banks: BankDirectory,
  stallPage: StallPage,
): Router {
  const router = Router();

  function formLocals(siteId: number) {
    const site = sites.getSite(siteId);
    return { title: `Thêm sạp · ${site.name}`, site, banks: onboarding.banksForSite(site.id), draftKey: `onboard-site-${site.id}` };
  }

  router.get('/onboard', (req, res) => {
    const query = typeof req.query.q === 'string' ? req.query.q.slice(0, 100) : '';
    res.render('onboarding/pick-site', {
      title: 'Thêm sạp tại quầy',
      recent: onboarding.recentSites(req.user!.id),
      results: query ? sites.listSites({ query }) : [],
      query,
    });
  });

  router.get('/onboard/sites/:siteId', (req, res) => {
    res.render('onboarding/form', { ...formLocals(parseId(req.params.siteId)), values: { idempotency_key: randomUUID() } });
  });

  router.post('/onboard/sites/:siteId', (req, res) => {
    const siteId = parseId(req.params.siteId);
    withForm(res, 'onboarding/form', formLocals(siteId));
    const result = onboarding.onboard(actorOf(req), siteId, req.body ?? {}, photoOf(req));
    res.redirect(303, result.resultUrl);
  });

  function namePage(stallId: number, accountIdText: unknown) {
    const stall = stalls.getStall(stallId);
    const site = sites.getSite(stall.site_id);
    const accounts = onboarding.accountsOf(stall.id);
    const requested = typeof accountIdText === 'string' ? Number(accountIdText) : undefined;
    const account = accounts.find((a) => (requested ? a.id === requested : a.is_primary === 1)) ?? accounts.find((a) => !a.retired_at);
    if (!account) return undefined;
    const bank = banks.byBin(account.bin);
    return {
      title: `Kiểm tra tên · ${stall.label}`,
      stall,
      site,
      account,
      bank,
      qrSvg: accountQrSvg(account, `Mã VietQR của ${stall.label}`),
    };
  }

  router.get('/stalls/:stallId/name-check', (req, res) => {
    const stallId = parseId(req.params.stallId);
    const page = namePage(stallId, req.query.account);
    if (!page) return res.redirect(303, `/stalls/${stallId}#accounts`);
    // ?new=1: the onboarding form's submit landed here, so the draft kept on the phone is done.
    res.render('onboarding/name-check', { ...page, draftKey: req.query.new ? `onboard-site-${page.site.id}` : '', values: {} });
  });

  router.post('/stalls/:stallId/accounts/:accountId/name-check', (req, res) => {
    const stallId = parseId(req.params.stallId);
    const accountId = parseId(req.params.accountId);
    withForm(res, 'onboarding/name-check', { ...namePage(stallId, String(accountId)), draftKey: '' });
    onboarding.checkName(actorOf(req), stallId, accountId, req.body ?? {});
    res.redirect(303, `/stalls/${stallId}?verified=${accountId}`);
  });

  router.post('/stalls/:stallId/accounts', (req, res) => {
    const page = stallPage(parseId(req.params.stallId));
    withForm(res, 'stalls/show', { ...page, addAccountOpen: true });
    const accountId = onboarding.addAccount(actorOf(req), page.stall.id, req.body ?? {}, photoOf(req));
    res.redirect(303, `/stalls/${page.stall.id}/name-check?account=${accountId}`);
  });

  router.post('/stalls/:stallId/accounts/:accountId/primary', (req, res) => {
    const page = stallPage(parseId(req.params.stallId));
    withForm(res, 'stalls/show', page);
    onboarding.setPrimary(actorOf(req), page.stall.id, parseId(req.params.accountId));
    res.redirect(303, `/stalls/${page.stall.id}#accounts`);
  });

  router.post('/stalls/:stallId/accounts/:accountId/retire', (req, res) => {
    const page = stallPage(parseId(req.params.stallId));
    withForm(res, 'stalls/show', page);
    onboarding.retireAccount(actorOf(req), page.stall.id, parseId(req.params.accountId));
    res.redirect(303, `/stalls/${page.stall.id}#accounts`);
  });

  router.post('/stalls/:stallId/installed', (req, res) => {
    const page = stallPage(parseId(req.params.stallId));
    withForm(res, 'stalls/show', page);
    onboarding.markInstalled(actorOf(req), page.stall.id);
    res.redirect(303, `/stalls/${page.stall.id}?installed=1`);
  });

  router.post('/stalls/:stallId/follow-up', (req, res) => {
    const page = stallPage(parseId(req.params.stallId));
    withForm(res, 'stalls/show', { ...page, followUpOpen: true });
    const sticker = onboarding.recordFollowUp(actorOf(req), page.stall.id, req.body ?? {});
    res.redirect(303, `/stalls/${page.stall.id}?followup=${sticker}`);
  });

  return router;
}
