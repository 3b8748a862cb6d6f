// The architecture as a rule (`npm run lint` runs it): imports run one way, from the pure modules at the
// bottom through db/http, repositories, services, routes and pages up to the app and the server.
//
//   foundation  src/{vietqr,calendar,text,vocabulary,pdf-text,sticker-pdf,qr-image,banks,charts}/, actor, clock,
//               config, paths
//   db, http    src/db/, src/http/                      (no feature)
//   repos       src/<feature>/*-repo.ts                 (imported only by their own feature, never by its routes)
//   services    the rest of src/<feature>/
//   web         src/<feature>/*-routes.ts, src/pages/
//   app         src/app.ts, src/compose.ts, src/bootstrap.ts
//   entry       src/server.ts, src/cli/
const FOUNDATION =
  '^src/(vietqr|calendar|text|vocabulary|pdf-text|sticker-pdf|qr-image|banks|charts)/|' +
  '^src/(actor|clock|config|paths)\\.ts$';
const DB_HTTP = '^src/(db|http)/';
const REPO = '^src/[^/]+/[^/]+-repo\\.ts$';
const ROUTES = '^src/[^/]+/[^/]+-routes\\.ts$';
const PAGES = '^src/pages/';
const APP = '^src/(app|compose|bootstrap)\\.ts$';
const ENTRY = '^src/server\\.ts$|^src/cli/';
const FEATURE_FILE =
  '^src/(?!(vietqr|calendar|text|vocabulary|pdf-text|sticker-pdf|qr-image|banks|charts|db|http|pages|cli)/)[^/]+/';

module.exports = {
  forbidden: [
    {
      name: 'foundation-imports-only-foundation',
      comment: 'The pure modules and shared vocabulary know nothing of databases, HTTP or features.',
      severity: 'error',
      from: { path: FOUNDATION },
      to: { path: '^src/', pathNot: FOUNDATION },
    },
    {
      name: 'db-http-import-no-feature',
      comment: 'db/ and http/ serve every feature, so they import none.',
      severity: 'error',
      from: { path: DB_HTTP },
      to: { path: '^src/', pathNot: `${FOUNDATION}|${DB_HTTP}` },
    },
    {
      name: 'repo-only-from-its-feature',
      comment: "A repository is used by its own feature's service; other features go through that service.",
      severity: 'error',
      from: { path: '^src/([^/]+)/' },
      to: { path: REPO, pathNot: '^src/$1/' },
    },
    {
      name: 'routes-not-to-repo',
      comment: 'Routes call services, which check the rules; they never reach a repository.',
      severity: 'error',
      from: { path: ROUTES },
      to: { path: REPO },
    },
    {
      name: 'repo-not-upward',
      comment: 'Repositories hold SQL only: no service, route, page or app.',
      severity: 'error',
      from: { path: REPO },
      to: { path: '^src/', pathNot: `${FOUNDATION}|${DB_HTTP}|${REPO}` },
    },
    {
      name: 'service-not-upward',
      comment: 'Services are independent of routes, pages and the app that composes them.',
      severity: 'error',
      from: { path: FEATURE_FILE, pathNot: `${REPO}|${ROUTES}` },
      to: { path: `${ROUTES}|${PAGES}|${APP}|${ENTRY}` },
    },
    {
      name: 'web-not-upward',
      comment: 'Routes and pages are composed by the app, never the other way round.',
      severity: 'error',
      from: { path: `${ROUTES}|${PAGES}` },
      to: { path: `${APP}|${ENTRY}` },
    },
    {
      name: 'app-not-to-entry',
      severity: 'error',
      from: { path: APP },
      to: { path: ENTRY },
    },
    {
      name: 'no-module-cycle',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'no-folder-cycle',
      comment: 'Between folders, imports run one way.',
      severity: 'error',
      scope: 'folder',
      from: { path: '^src/' },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { extensions: ['.ts', '.js'], conditionNames: ['import', 'node', 'default'] },
  },
};
