import { createAccountsRepo } from './accounts/accounts-repo.js';
import { createAccountsService } from './accounts/accounts-service.js';
import { createPayeeChangesRepo } from './accounts/payee-changes-repo.js';
import { createAdminUnitPatchesRepo } from './admin-units/admin-unit-patches-repo.js';
import { createAdminUnitPatchesService } from './admin-units/admin-unit-patches-service.js';
import { createAdminUnitsRepo } from './admin-units/admin-units-repo.js';
import { createAdminUnitsService } from './admin-units/admin-units-service.js';
import { createAdminUsersService } from './admin-users/admin-users-service.js';
import { createAdoptionRepo } from './adoption/adoption-repo.js';
import { createAdoptionService } from './adoption/adoption-service.js';
import { createAdoptionSnapshot } from './adoption/adoption-snapshot.js';
import { createDataRightsRepo } from './data-rights/data-rights-repo.js';
import { createDataRightsService } from './data-rights/data-rights-service.js';
import { fileJournal, NO_JOURNAL } from './data-rights/rights-journal.js';
import { createDataQualityRepo } from './adoption/data-quality-repo.js';
import { SharedAccountNumbers } from './adoption/shared-accounts.js';
import { createAuditRepo } from './audit/audit-repo.js';
import { createAuditService } from './audit/audit-service.js';
import { createAccountAccess } from './auth/account-access.js';
import { createAuthService } from './auth/auth-service.js';
import { createLoginThrottleRepo } from './auth/login-throttle-repo.js';
import { createLoginThrottle } from './auth/login-throttle-service.js';
import { createSessions } from './auth/session.js';
import { createSessionsRepo } from './auth/sessions-repo.js';
import { createCampaignsRepo } from './campaigns/campaigns-repo.js';
import { createCampaignsService } from './campaigns/campaigns-service.js';
import type { Clock } from './clock.js';
import type { Config } from './config.js';
import type { DataAccess } from './db/data-access.js';
import { createExportLog } from './exports/export-log.js';
import { createExportLogRepo } from './exports/export-log-repo.js';
import { createStallsExport } from './exports/stalls-export.js';
import { createStallsExportRepo } from './exports/stalls-export-repo.js';
import { paramLoader } from './http/params.js';
import { createImportDraftsRepo } from './imports/import-drafts-repo.js';
import {
  createStallImportService,
  STALL_FILE_MAX_BYTES,
  STALL_FILE_MAX_LINES,
  STALL_FILE_TOO_LARGE,
} from './imports/stall-import-service.js';
import { createSiteImportService } from './imports/site-import-service.js';
import { createTableReader } from './tabular/table-reader.js';
import { createIdempotencyRepo } from './idempotency/idempotency-repo.js';
import { createIdempotencyService } from './idempotency/idempotency-service.js';
import { createOnboardingService } from './onboarding/onboarding-service.js';
import { createOnboardingPages } from './pages/onboarding-pages.js';
import { createSitePage } from './pages/site-page.js';
import { createStallPage } from './pages/stall-page.js';
import { createVerificationPage } from './pages/verification-page.js';
import { createWorkPage } from './pages/work-page.js';
import { createDemoRepo } from './demo/demo-repo.js';
import { createDemoStatus } from './demo/demo-status.js';
import { createRateLimitStores } from './rate-limits/rate-limit-store.js';
import { createRateLimitsRepo } from './rate-limits/rate-limits-repo.js';
import { createRedactionRepo } from './redaction/redaction-repo.js';
import { createRedactionService } from './redaction/redaction-service.js';
import { createSitesRepo } from './sites/sites-repo.js';
import { createSitesService } from './sites/sites-service.js';
import { createStallsRepo } from './stalls/stalls-repo.js';
import { createStallsService } from './stalls/stalls-service.js';
import { createStickersRepo } from './stickers/stickers-repo.js';
import { createStickersService } from './stickers/stickers-service.js';
import { createStickerReportsRepo } from './sticker-reports/sticker-reports-repo.js';
import { createStickerReportsService } from './sticker-reports/sticker-reports-service.js';
import { createUsersRepo } from './users/users-repo.js';
import { createUsersService } from './users/users-service.js';
import { createPhotoReader } from './qr-photo/photo-reader.js';
import { createDocumentPool } from './workers/document-pool.js';
import type { BankDirectory } from './vietqr/banks.js';
import { createVisitsRepo } from './visits/visits-repo.js';
import { createVisitsService } from './visits/visits-service.js';
import { createAssignmentsRepo } from './worklists/assignments-repo.js';
import { createAssignmentsService } from './worklists/assignments-service.js';
import { createWorklistsRepo } from './worklists/worklists-repo.js';
import { createWorklistsService } from './worklists/worklists-service.js';

export interface ComposeDeps {
  readonly data: DataAccess;
  readonly config: Config;
  readonly clock: Clock;
  readonly banks: BankDirectory;
}

/**
 * The composition root: every repository is built here, once, and handed to the one service of its feature;
 * services get the services they use; pages get services. Nothing else constructs a repository.
 */
export function compose({ data, config, clock, banks }: ComposeDeps) {
  const { transaction } = data;
  const repos = {
    users: createUsersRepo(data),
    audit: createAuditRepo(data),
    sessions: createSessionsRepo(data),
    loginThrottle: createLoginThrottleRepo(data),
    adminUnits: createAdminUnitsRepo(data),
    adminUnitPatches: createAdminUnitPatchesRepo(data),
    campaigns: createCampaignsRepo(data),
    sites: createSitesRepo(data),
    stalls: createStallsRepo(data),
    accounts: createAccountsRepo(data),
    payeeChanges: createPayeeChangesRepo(data),
    visits: createVisitsRepo(data),
    stickers: createStickersRepo(data),
    stickerReports: createStickerReportsRepo(data),
    idempotency: createIdempotencyRepo(data),
    redactions: createRedactionRepo(data),
    rateLimits: createRateLimitsRepo(data),
    demo: createDemoRepo(data),
    adoption: createAdoptionRepo(data),
    dataQuality: createDataQualityRepo(data),
    exportLog: createExportLogRepo(data),
    stallsExport: createStallsExportRepo(data),
    dataRights: createDataRightsRepo(data),
    assignments: createAssignmentsRepo(data),
    worklists: createWorklistsRepo(data),
    importDrafts: createImportDraftsRepo(data),
  };

  const audit = createAuditService({ audit: repos.audit, clock, inTransaction: data.inTransaction });
  const adminUnits = createAdminUnitsService({ adminUnits: repos.adminUnits });
  const adminUnitPatches = createAdminUnitPatchesService({ repo: repos.adminUnitPatches, audit, transaction, clock });
  const sites = createSitesService({ sites: repos.sites, adminUnits, audit, transaction, clock });
  const users = createUsersService({
    users: repos.users,
    places: {
      findProvince: adminUnits.findProvince,
      findCommune: adminUnits.findCommune,
      // Checking a reach being granted, not showing a site: the one lookup that ignores the actor's reach.
      findSitePlace: sites.findSiteIgnoringReach,
      searchCommunes: adminUnits.searchCommunes,
    },
    clock,
    passwordHashCost: config.passwordHashCost,
    transaction,
    audit,
  });
  const sessions = createSessions({ sessions: repos.sessions, users, config, clock });
  const loginThrottle = createLoginThrottle({
    repo: repos.loginThrottle,
    transaction,
    clock,
    audit,
    userIdOf: users.idOfUsername,
  });
  const auth = createAuthService({ users, throttle: loginThrottle, audit, transaction });
  const accountAccess = createAccountAccess({ users, sessions, throttle: loginThrottle, transaction });
  const adminUsers = createAdminUsersService({ users, throttle: loginThrottle });
  const campaigns = createCampaignsService({ campaigns: repos.campaigns, audit, transaction, clock });
  const visits = createVisitsService({ visits: repos.visits });
  const stalls = createStallsService({ stalls: repos.stalls, sites, visits, audit, transaction, clock });
  const stickers = createStickersService({ stickers: repos.stickers, banks, config, audit, transaction, clock });
  // Every rate limit counts in the database: it holds across the app's processes and restarts.
  const rateLimitStore = createRateLimitStores({ repo: repos.rateLimits, transaction, clock });
  // Photos of QR codes are decoded in child processes, a few at a time for the whole app.
  const readPhoto = createPhotoReader();
  // Meeting reports and large exports are rendered by one bounded worker pool for the whole app (closed by
  // server.ts on shutdown); its threads start at the first report.
  const documents = createDocumentPool(config.documentPool);
  const accounts = createAccountsService({
    accounts: repos.accounts,
    payeeChanges: repos.payeeChanges,
    sites,
    stalls,
    visits,
    stickers,
    banks,
    readPhoto,
    audit,
    transaction,
    clock,
  });
  const stickerReports = createStickerReportsService({
    reports: repos.stickerReports,
    audit,
    transaction,
    clock,
  });
  const idempotency = createIdempotencyService({ keys: repos.idempotency });
  // The adoption engine's snapshot of the history and its shared account numbers live as long as the app.
  const sharedAccounts = new SharedAccountNumbers(repos.dataQuality);
  const adoption = createAdoptionService({
    repo: repos.adoption,
    qualityRepo: repos.dataQuality,
    snapshot: createAdoptionSnapshot(repos.adoption, { followUpDays: config.followUpDays }),
    sharedAccounts,
  });
  const exportLog = createExportLog({ repo: repos.exportLog, clock, audit, transaction });
  const stallsExport = createStallsExport(repos.stallsExport);
  const redaction = createRedactionService({ redactions: repos.redactions, audit, transaction, clock });
  const dataRights = createDataRightsService({
    repo: repos.dataRights,
    stalls,
    sites,
    accounts,
    stickers,
    redaction,
    audit,
    banks,
    // An erasure changes account numbers, which the duplicate-account check caches as never changing.
    afterAccountsErased: () => sharedAccounts.reset(),
    journal: config.erasureJournalPath ? fileJournal(config.erasureJournalPath) : NO_JOURNAL,
    transaction,
    clock,
  });
  const assignments = createAssignmentsService({ repo: repos.assignments, sites, audit, transaction, clock });
  // The work lists use the data-quality check's threshold, so the two never disagree about a stall.
  const worklists = createWorklistsService({
    repo: repos.worklists,
    assignments,
    adoption,
    clock,
    followUpDays: config.followUpDays,
  });
  // The stall and site lists share their limits, and the one worker slot of every uploaded table.
  const readImportTable = createTableReader({
    maxBytes: STALL_FILE_MAX_BYTES,
    maxLines: STALL_FILE_MAX_LINES,
    tooLarge: STALL_FILE_TOO_LARGE,
  });
  const stallImport = createStallImportService({
    sites,
    stalls,
    accounts,
    banks,
    drafts: repos.importDrafts,
    readTable: readImportTable,
    audit,
    transaction,
    clock,
  });
  const siteImport = createSiteImportService({ sites, readTable: readImportTable, audit, transaction });
  const onboarding = createOnboardingService({
    sites,
    assignments,
    stalls,
    visits,
    accounts,
    idempotency,
    transaction,
    clock,
  });

  const services = {
    audit,
    users,
    sessions,
    loginThrottle,
    auth,
    accountAccess,
    adminUsers,
    adminUnits,
    adminUnitPatches,
    campaigns,
    visits,
    sites,
    stalls,
    stickers,
    stickerReports,
    accounts,
    idempotency,
    onboarding,
    stallImport,
    siteImport,
    readPhoto,
    rateLimitStore,
    demo: createDemoStatus({ repo: repos.demo, transaction, audit, clock }),
    redaction,
    dataRights,
    adoption,
    exportLog,
    stallsExport,
    documents,
    assignments,
    worklists,
  };
  const pages = {
    site: createSitePage(sites, stalls, stickers, assignments),
    stall: createStallPage({ sites, stalls, accounts, stickers, banks, audit }),
    onboarding: createOnboardingPages({ sites, stalls, accounts, banks }),
    verification: createVerificationPage(stickers, banks),
    work: createWorkPage({ accounts, stickerReports, banks, worklists, assignments }),
  };
  // The one place a URL id becomes a record, or a 404 — also when the record lies outside the actor's reach.
  const params = {
    site: paramLoader('site', (id, actor) => sites.requireSite(actor, id)),
    stall: paramLoader('stall', (id, actor) => stalls.getStall(actor, id)),
    campaign: paramLoader('campaign', (id, actor) => campaigns.get(actor, id)),
  };
  return { services, pages, params };
}

export type Composition = ReturnType<typeof compose>;
