import express, { type Express } from 'express';
import { adminUnitsApiRoutes } from './admin-units/admin-units-routes.js';
import { authRoutes, requireLogin } from './auth/auth-routes.js';
import { createSessions, verifyCsrf } from './auth/session.js';
import type { Clock } from './clock.js';
import type { Config } from './config.js';
import { sqliteDataAccess, type DataAccess } from './db/data-access.js';
import type { Db } from './db/database.js';
import { schemaVersion } from './db/migrate.js';
import { errorHandler, notFoundHandler } from './http/error-handler.js';
import { viewLocals } from './http/view-locals.js';
import { homeRoutes } from './home/home-routes.js';
import { assetsDir, viewsDir } from './paths.js';
import { sitesRoutes } from './sites/sites-routes.js';
import { createSitesService } from './sites/sites-service.js';
import { loadBankDirectory } from './banks/bank-directory-file.js';
import { parseMultipart } from './http/multipart.js';
import { onboardingRoutes } from './onboarding/onboarding-routes.js';
import { createOnboardingService } from './onboarding/onboarding-service.js';
import { vietqrApiRoutes } from './onboarding/vietqr-api-routes.js';
import type { AdoptionService } from './adoption/adoption-service.js';
import { createAdoption } from './adoption/create-adoption.js';
import { campaignsRoutes } from './campaigns/campaigns-routes.js';
import { dashboardRoutes } from './dashboard/dashboard-routes.js';
import { createExportLog } from './exports/export-log.js';
import { createExportLogRepo } from './exports/export-log-repo.js';
import { createCampaignsService } from './campaigns/campaigns-service.js';
import { createSitePage } from './sites/site-page.js';
import { createStallPage } from './stalls/stall-page.js';
import { stickersRoutes, verificationRoutes } from './stickers/stickers-routes.js';
import { createStickersService } from './stickers/stickers-service.js';
import { stallsRoutes } from './stalls/stalls-routes.js';
import { createStallsService } from './stalls/stalls-service.js';

export interface AppDeps {
  readonly db: Db;
  /** The data access on `db` (one per connection: its transactions are serialized); built here when absent. */
  readonly data?: DataAccess;
  readonly config: Config;
  readonly clock: Clock;
  readonly log?: (error: unknown) => void;
  /** The adoption engine keeps an in-memory snapshot; server.ts builds (warms) it once at start. */
  readonly adoption?: AdoptionService;
}

/** Builds the app from its dependencies; nothing here listens, opens files or reads the environment. */
export function createApp({
  db,
  data = sqliteDataAccess(db),
  config,
  clock,
  log,
  adoption = createAdoption(data).service,
}: AppDeps): Express {
  const app = express();
  const sessions = createSessions(db, config, clock);
  const sites = createSitesService(db, clock);
  const stalls = createStallsService(db, clock);
  const banks = loadBankDirectory();
  const onboarding = createOnboardingService(db, clock, banks, stalls);
  const stickers = createStickersService(db, clock, config, banks);
  const stallPage = createStallPage(sites, stalls, onboarding, banks, stickers);
  const sitePage = createSitePage(sites, stalls, stickers);

  app.set('views', viewsDir);
  app.set('view engine', 'ejs');
  app.set('trust proxy', 'loopback');
  app.disable('x-powered-by');

  app.use((_req, res, next) => {
    res.set({
      'X-Content-Type-Options': 'nosniff',
      'X-Frame-Options': 'DENY',
      'Referrer-Policy': 'same-origin',
      'Content-Security-Policy': "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; form-action 'self'; frame-ancestors 'none'",
    });
    next();
  });
  app.use('/static', express.static(`${assetsDir}/public`, { maxAge: config.env === 'production' ? '1d' : 0 }));
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', schemaVersion: schemaVersion(db) });
  });

  app.use(express.urlencoded({ extended: false, limit: '100kb' }));
  app.use(express.json({ limit: '100kb' }));
  app.use(sessions.load);
  app.use(viewLocals);
  app.use(parseMultipart);
  app.use(verifyCsrf);

  app.use(authRoutes(db, sessions));
  app.use(verificationRoutes(stickers, banks));
  app.use(requireLogin);
  app.use('/', homeRoutes(adoption, clock));
  app.use('/sites', sitesRoutes(db, sites, stalls, sitePage));
  app.use('/campaigns', campaignsRoutes(createCampaignsService(db, clock), sites));
  const exportLog = createExportLog(createExportLogRepo(data), clock);
  app.use('/', dashboardRoutes(adoption, exportLog, clock, config.publicBaseUrl));
  app.use('/', stickersRoutes(stickers, stallPage, sitePage));
  app.use('/', onboardingRoutes(sites, stalls, onboarding, banks, stallPage));
  app.use('/stalls', stallsRoutes(stalls, stallPage));
  app.use('/api/v1', adminUnitsApiRoutes(db));
  app.use('/api/v1', vietqrApiRoutes(banks));

  app.use(notFoundHandler);
  app.use(errorHandler(config, log));
  return app;
}
