import express, { type Express } from 'express';
import { accountsRoutes } from './accounts/accounts-routes.js';
import { adminUnitsApiRoutes } from './admin-units/admin-units-routes.js';
import { adminAuditRoutes } from './admin-audit/admin-audit-routes.js';
import { adminUsersRoutes } from './admin-users/admin-users-routes.js';
import { USER_LIST_MAX_BYTES, USER_LIST_TOO_LARGE } from './admin-users/user-list.js';
import { authRoutes, requireLogin } from './auth/auth-routes.js';
import { passwordRoutes, requireChosenPassword } from './auth/password-routes.js';
import { verifyCsrf } from './auth/session.js';
import { loadBankDirectory } from './banks/bank-directory-file.js';
import { campaignsRoutes } from './campaigns/campaigns-routes.js';
import type { Clock } from './clock.js';
import { compose, type Composition } from './compose.js';
import type { Config } from './config.js';
import { adoptionApiRoutes, dashboardRoutes } from './dashboard/dashboard-routes.js';
import type { DataAccess } from './db/data-access.js';
import { homeRoutes } from './home/home-routes.js';
import { importRoutes } from './imports/import-routes.js';
import { STALL_FILE_MAX_BYTES, STALL_FILE_TOO_LARGE } from './imports/stall-import-service.js';
import { dataRightsRoutes } from './data-rights/data-rights-routes.js';
import { checkFieldSizes, FORM_BODY_LIMIT } from './http/body-limits.js';
import { compress } from './http/compress.js';
import { errorHandler, notFoundHandler } from './http/error-handler.js';
import { multipartParser } from './http/multipart.js';
import { noStore } from './http/no-store.js';
import { staticAssets } from './http/static-assets.js';
import { userLocals, viewLocals } from './http/view-locals.js';
import { onboardingRoutes } from './onboarding/onboarding-routes.js';
import { serviceWorkerRoutes, sessionApiRoutes } from './offline/offline-routes.js';
import { vietqrApiRoutes } from './onboarding/vietqr-api-routes.js';
import { assetsDir, viewsDir } from './paths.js';
import { sitesRoutes } from './sites/sites-routes.js';
import { stallsRoutes } from './stalls/stalls-routes.js';
import { stickerReportPublicRoutes, workStickerReportsRoutes } from './sticker-reports/sticker-reports-routes.js';
import { siteStickersRoutes, stallStickerRoutes, verificationRoutes } from './stickers/stickers-routes.js';
import { workCountLocals, workRoutes } from './work/work-routes.js';
import { siteAssignmentsRoutes, workListsRoutes } from './worklists/worklists-routes.js';

export interface AppDeps {
  /** One DataAccess per database: its transactions are serialized on the connection it holds. */
  readonly data: DataAccess;
  readonly config: Config;
  readonly clock: Clock;
  readonly log?: (error: unknown) => void;
}

/** Builds the app from its dependencies; nothing here listens, opens files or reads the environment. */
export function createApp(deps: AppDeps): Express {
  return buildApp(deps).app;
}

/** The app and the services it was composed from: server.ts and the CLI use the same ones (first admin, warm-up). */
export function buildApp({ data, config, clock, log }: AppDeps): { app: Express; services: Composition['services'] } {
  const app = express();
  const banks = loadBankDirectory();
  const { services, pages, params } = compose({ data, config, clock, banks });
  const { sessions, auth, sites, stalls, accounts, stickers, onboarding, adminUnits, campaigns } = services;
  const { adoption, exportLog, accountAccess, adminUsers, users } = services;
  const siteParam = params.site;
  const stallParam = params.stall;

  app.set('views', viewsDir);
  app.set('view engine', 'ejs');
  // Express caches compiled templates only when NODE_ENV is 'production'; our production is NODE_ENV unset.
  // Without the cache every page compiled each template and include again: a quarter of a busy server's CPU.
  app.set('view cache', config.env !== 'development');
  app.set('trust proxy', config.trustProxy);
  app.disable('x-powered-by');

  app.use((_req, res, next) => {
    res.set({
      'X-Content-Type-Options': 'nosniff',
      'X-Frame-Options': 'DENY',
      'Referrer-Policy': 'same-origin',
      'Content-Security-Policy':
        "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; " +
        "form-action 'self'; frame-ancestors 'none'",
    });
    next();
  });
  app.use(compress);
  app.use(viewLocals);
  // GET /static/<hash8>/<file> (a year, immutable) · GET /static/<file> · GET /favicon.ico; views say asset('app.css')
  const assets = staticAssets(`${assetsDir}/public`, { production: config.env === 'production' });
  app.locals.asset = assets.url;
  app.use('/static', assets.router);
  app.get('/favicon.ico', assets.favicon);
  app.get('/healthz', async (_req, res) => {
    res.json({ status: 'ok', schemaVersion: await data.schemaVersion() });
  });

  // The whole form is capped here; a field longer than any may be brings its form back (body-limits.ts).
  // "Dữ liệu mẫu" on every page of a database holding the invented demo programme.
  app.use(async (_req, res, next) => {
    res.locals.demoData = await services.demo.holdsDemo();
    next();
  });
  app.use(express.urlencoded({ extended: false, limit: FORM_BODY_LIMIT }));
  app.use(express.json({ limit: '100kb' }));
  app.use(sessions.load);
  app.use(userLocals);
  // The QR photo of onboarding everywhere; a list of users (and its preview, carried back) has its own limits.
  app.use(
    multipartParser([
      {
        path: '/admin/users/import',
        field: 'user_list',
        maxFileBytes: USER_LIST_MAX_BYTES,
        tooLarge: USER_LIST_TOO_LARGE,
      },
      { path: '/admin/users/import/confirm', maxFieldBytes: 2 * USER_LIST_MAX_BYTES, tooLarge: USER_LIST_TOO_LARGE },
      {
        path: /^\/sites\/[^/]+\/import$/,
        field: 'stall_file',
        maxFileBytes: STALL_FILE_MAX_BYTES,
        tooLarge: STALL_FILE_TOO_LARGE,
      },
    ]),
  );
  app.use(checkFieldSizes);
  app.use(verifyCsrf);

  const stallPage = pages.stall;
  const sitePage = pages.site;
  const stickerDeps = { stickers, sitePage, stallPage, siteParam, stallParam };

  // The route table: every URL of the app, by prefix; each router adds paths under its prefix only.
  // GET, POST /login · POST /logout
  app.use('/', authRoutes(auth, sessions));
  // GET /v · GET /v/:code — public, rate limited
  const { rateLimitStore } = services;
  app.use('/v', verificationRoutes({ verificationPage: pages.verification, sessions, rateLimitStore }));
  // POST /v/:code/report — public; after the page's limit above, its own stricter ones
  app.use(
    '/v',
    stickerReportPublicRoutes({
      stickerReports: services.stickerReports,
      verificationPage: pages.verification,
      limits: config.stickerReportLimits,
      rateLimitStore,
    }),
  );
  // GET /sw.js — public: the service worker of the offline queue, scoped to the whole app
  app.use('/', serviceWorkerRoutes(assets));
  // Everything below needs a login.
  app.use(requireLogin);
  // Right after the login check, so every answer to a logged-in user (pages, exports, JSON, errors) is kept out of
  // the browser's cache; /static is served above and keeps its caching, it holds no personal data.
  app.use(noStore);
  // GET, POST /account/password — with POST /logout the only page of a user who must change a one-time password
  app.use('/account', passwordRoutes({ accountAccess, sessions }));
  app.use(requireChosenPassword);
  // The count beside "Việc cần xử lý" in the menu of team leads and admins.
  app.use(workCountLocals(pages.work));
  // GET /
  app.use('/', homeRoutes({ adoption, clock, worklists: services.worklists }));
  // GET /sites · GET /sites/new · POST /sites · GET, POST /sites/:siteId · GET /sites/:siteId/edit
  // POST /sites/:siteId/stalls
  app.use('/sites', sitesRoutes({ sites, stalls, adminUnits, sitePage, siteParam }));
  // POST /sites/:siteId/stickers
  app.use('/sites', siteStickersRoutes(stickerDeps));
  // POST /sites/:siteId/assignments · POST /sites/:siteId/assignments/:userId/remove
  app.use('/sites', siteAssignmentsRoutes({ assignments: services.assignments, sitePage, siteParam }));
  // GET, POST /sites/:siteId/import · GET /sites/:siteId/import/template.{xlsx,csv}
  // POST /sites/:siteId/import/preview · /confirm
  app.use('/sites', importRoutes({ stallImport: services.stallImport, stalls, siteParam }));
  // GET, POST /stalls/:stallId · GET /stalls/:stallId/edit
  // POST /stalls/:stallId/status · /installed · /follow-up
  app.use('/stalls', stallsRoutes({ stalls, stallPage, stallParam }));
  // GET /stalls/:stallId/name-check · POST /stalls/:stallId/accounts
  // POST /stalls/:stallId/accounts/:accountId/name-check · /primary · /retire
  app.use('/stalls', accountsRoutes({ accounts, stallPage, nameCheckPage: pages.onboarding.nameCheck, stallParam }));
  // POST /stalls/:stallId/sticker
  app.use('/stalls', stallStickerRoutes(stickerDeps));
  // GET /work · POST /work/payee-changes/:requestId/approve · /refuse · /cancel
  app.use('/work', workRoutes({ accounts, workPage: pages.work, stallPage }));
  // GET /work/assignments · GET /work/todo/:group
  app.use('/work', workListsRoutes({ assignments: services.assignments, worklists: services.worklists }));
  // GET /stalls/:stallId/consent-record · /data · POST /stalls/:stallId/consent/withdraw · /erase
  app.use('/stalls', dataRightsRoutes({ dataRights: services.dataRights, stallPage, stallParam }));
  // GET /onboard · GET, POST /onboard/sites/:siteId
  app.use('/onboard', onboardingRoutes({ onboarding, formPage: pages.onboarding.form, siteParam }));
  // GET /campaigns · GET /campaigns/new · POST /campaigns · GET /campaigns/:campaignId/edit · POST /campaigns/:id
  app.use('/campaigns', campaignsRoutes({ campaigns, campaignParam: params.campaign }));
  // GET /dashboard · /dashboard/quality · /dashboard/report.pdf ·
  //     /dashboard/{table,behind,volunteers,quality}.{csv,xlsx}
  app.use(
    '/dashboard',
    dashboardRoutes({
      adoption,
      exportLog,
      documents: services.documents,
      banks,
      clock,
      publicBaseUrl: config.publicBaseUrl,
    }),
  );
  // GET /admin/users · GET /admin/users/new · POST /admin/users · GET, POST /admin/users/import
  // POST /admin/users/import/confirm · GET, POST /admin/users/:userId · GET /admin/users/:userId/edit
  // POST /admin/users/:userId/disable · /enable · /unlock · /reset-password
  app.use(
    '/admin/users',
    adminUsersRoutes({ users, adminUsers, accountAccess, adminUnits, publicBaseUrl: config.publicBaseUrl }),
  );
  // GET /work/sticker-reports · POST /work/sticker-reports/:reportId/close
  app.use('/work', workStickerReportsRoutes({ stickerReports: services.stickerReports }));
  // GET /admin/audit · GET /admin/audit.csv
  app.use('/admin', adminAuditRoutes({ audit: services.audit, documents: services.documents }));
  // GET /api/v1/session — who is logged in and the CSRF token, for the offline queue
  app.use('/api/v1', sessionApiRoutes());
  // GET /api/v1/adoption
  app.use('/api/v1/adoption', adoptionApiRoutes({ adoption, clock }));
  // GET /api/v1/provinces · GET /api/v1/communes
  app.use('/api/v1', adminUnitsApiRoutes(adminUnits));
  // POST /api/v1/vietqr/decode
  app.use('/api/v1/vietqr', vietqrApiRoutes(banks, services.readPhoto, rateLimitStore));

  app.use(notFoundHandler);
  app.use(errorHandler(config, log));
  return { app, services };
}
