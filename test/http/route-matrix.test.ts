import request from 'supertest';
import type TestAgent from 'supertest/lib/agent.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../../src/vocabulary/roles.js';
import { createTestContext, csrfFrom, TEST_PASSWORD } from '../helpers/app.js';
import { registeredRoutes } from '../helpers/route-table.js';

/**
 * Roles × reach × routes. Every user of the matrix, admins included, reaches commune A (Phường Pleiku) only;
 * commune B (Xã Chư Prông, same province) holds the same records. For every route the app registers, each role
 * asks once for A's records (inside) and once for B's (outside): the status must be the one in the table, and
 * no body may show a phone, owner name or full account number that the role may not see — B's never, and A's
 * only to the roles that work stalls (volunteer, team lead, admin).
 */

const A = '23575';
const B = '23887';

/** One commune's records, as the fixture inserts them. */
interface Place {
  readonly site: number;
  readonly stall: number;
  readonly account: number;
  readonly campaign: number;
  readonly sticker: string;
  /** A customer's open report about the sticker. */
  readonly report: number;
  readonly commune: string;
  /** A volunteer whose reach is this commune. */
  readonly volunteer: number;
  readonly siteName: string;
  readonly businessName: string;
  readonly campaignName: string;
  readonly phone: string;
  readonly owner: string;
  readonly accountNumber: string;
  /** A payee-change request of the stall still waiting (retire its primary), asked by the place's volunteer. */
  readonly pendingChange: number;
  /** One already refused: deciding it again is a 400 for whoever may decide. */
  readonly decidedChange: number;
}

interface Fixture {
  readonly inside: Place;
  readonly outside: Place;
  readonly agents: Record<Role, { agent: TestAgent; csrf: string; userId: number }>;
}

const NOW = '2026-11-20T03:00:00.000Z';

function insertPlace(
  db: ReturnType<typeof createTestContext>['db'],
  communeCode: string,
  n: number,
  personal: { phone: string; owner: string; accountNumber: string },
): Omit<Place, keyof typeof personal | 'volunteer' | 'pendingChange' | 'decidedChange'> {
  const run = (sql: string, ...params: unknown[]) => Number(db.prepare(sql).run(...params).lastInsertRowid);
  const site = run(
    `INSERT INTO sites (kind, name, name_folded, commune_code, created_at, updated_at)
     VALUES ('market', ?, ?, ?, ?, ?)`,
    `Chợ thử ${n}`,
    `cho thu ${n}`,
    communeCode,
    NOW,
    NOW,
  );
  const stall = run(
    `INSERT INTO stalls (site_id, label, business_name, owner_name, phone, goods_category, status, search_folded,
                         created_at, updated_at, consent_at)
     VALUES (?, 'Sạp 1', ?, ?, ?, 'tap_hoa', 'qr_verified', ?, ?, ?, ?)`,
    site,
    `Tạp hóa Số ${n}`,
    personal.owner,
    personal.phone,
    `sap 1 tap hoa so ${n}`,
    NOW,
    NOW,
    NOW,
  );
  run(
    `INSERT INTO stall_status_history (stall_id, from_status, to_status, changed_at)
     VALUES (?, NULL, 'qr_verified', ?)`,
    stall,
    NOW,
  );
  const account = run(
    `INSERT INTO stall_accounts (stall_id, bin, account_number, service, holder_name, source, is_primary,
                                 verified_at, verified_name_seen, created_at)
     VALUES (?, '970436', ?, 'account', 'NGUYEN VAN THU', 'typed', 1, ?, 'NGUYEN VAN THU', ?)`,
    stall,
    personal.accountNumber,
    NOW,
    NOW,
  );
  const campaign = run(
    `INSERT INTO campaigns (name, target_percent, starts_on, deadline, created_at)
     VALUES (?, 70, '2026-11-01', '2027-04-30', ?)`,
    `Đợt thử ${n}`,
    NOW,
  );
  run('INSERT INTO campaign_sites (campaign_id, site_id) VALUES (?, ?)', campaign, site);
  const sticker = `THU${n}ABCD`;
  const stickerId = run(
    `INSERT INTO stickers (serial, commune_code, sequence, verification_code, stall_id, account_id, payload, created_at)
     VALUES (?, ?, 1, ?, ?, ?, 'payload', ?)`,
    `52-${communeCode}-000001`,
    communeCode,
    sticker,
    stall,
    account,
    NOW,
  );
  const report = run(
    `INSERT INTO sticker_reports (sticker_id, problem, received_at) VALUES (?, 'name_differs', ?)`,
    stickerId,
    NOW,
  );
  return {
    site,
    stall,
    account,
    campaign,
    sticker,
    report,
    commune: communeCode,
    siteName: `Chợ thử ${n}`,
    businessName: `Tạp hóa Số ${n}`,
    campaignName: `Đợt thử ${n}`,
  };
}

async function buildFixture(): Promise<Fixture & { app: ReturnType<typeof createTestContext>['app'] }> {
  const context = createTestContext();
  const personalA = { phone: '0905111222', owner: 'Nguyễn Văn Trong', accountNumber: '1012345678901' };
  const personalB = { phone: '0905333444', owner: 'Trần Thị Ngoài', accountNumber: '1098765432109' };
  const inside = {
    ...insertPlace(context.db, A, 1, personalA),
    ...personalA,
    volunteer: await context.createUser('tnv.trong', 'volunteer', [{ kind: 'commune', code: A }]),
  };
  const outside = {
    ...insertPlace(context.db, B, 2, personalB),
    ...personalB,
    volunteer: await context.createUser('tnv.ngoai', 'volunteer', [{ kind: 'commune', code: B }]),
  };
  const agents = {} as Fixture['agents'];
  for (const role of ROLES) {
    const username = `${role.replace('_', '')}.a`;
    const userId = await context.createUser(username, role, [{ kind: 'commune', code: A }]);
    const agent: TestAgent = request.agent(context.app);
    const login = await agent.get('/login');
    await agent
      .post('/login')
      .type('form')
      .send({ _csrf: csrfFrom(login.text), username, password: TEST_PASSWORD })
      .expect(303);
    const page = await agent.get('/account/password').redirects(0);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1] ?? csrfFrom((await agent.get('/')).text);
    agents[role] = { agent, csrf, userId };
  }
  const insertRequest = (place: Omit<Place, 'pendingChange' | 'decidedChange'>, status: 'pending' | 'refused') =>
    Number(
      context.db
        .prepare(
          `INSERT INTO payee_changes (stall_id, kind, account_id, from_account_id, reason, retire_reason,
                                      requested_by, requested_at, status, decided_by, decided_at, decision_note)
           VALUES (?, 'retire_primary', ?, ?, 'Chủ sạp đổi ngân hàng', 'new_account', ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          place.stall,
          place.account,
          place.account,
          place.volunteer,
          NOW,
          status,
          status === 'pending' ? null : agents.admin.userId,
          status === 'pending' ? null : NOW,
          status === 'pending' ? '' : 'Không đúng',
        ).lastInsertRowid,
    );
  // The refused one first: only one request per stall may be pending.
  const withRequests = (place: Omit<Place, 'pendingChange' | 'decidedChange'>): Place => {
    const decidedChange = insertRequest(place, 'refused');
    return { ...place, decidedChange, pendingChange: insertRequest(place, 'pending') };
  };
  return { app: context.app, inside: withRequests(inside), outside: withRequests(outside), agents };
}

type Statuses = Record<Role, number>;

/** Every role gets the same status. */
const all = (status: number): Statuses => ({
  admin: status,
  leader: status,
  team_lead: status,
  volunteer: status,
  viewer: status,
});
/** Roles that work stalls (admin, team lead, volunteer) get `status`; leader and viewer 403. */
const workers = (status: number, denied = 403): Statuses => ({
  admin: status,
  team_lead: status,
  volunteer: status,
  leader: denied,
  viewer: denied,
});
/** Admins and team leads (sites, campaigns, users) get `status`; the others 403. */
const managers = (status: number, denied = 403): Statuses => ({
  admin: status,
  team_lead: status,
  volunteer: denied,
  leader: denied,
  viewer: denied,
});

/**
 * A user outside the reach: admins manage every user whatever their own reach; a team lead gets the 404 of a
 * missing user; the roles that manage no one are refused before any user is looked up.
 */
const userOutside = (status: number): Statuses => ({
  admin: status,
  team_lead: 404,
  volunteer: 403,
  leader: 403,
  viewer: 403,
});

interface RouteCase {
  /** The concrete URL for one commune's records. */
  readonly url: (place: Place, fixture: Fixture) => string;
  /** A form body, CSRF token added. An empty one fails validation: allowed roles get 400, nothing changes. */
  readonly form?: (place: Place, fixture: Fixture) => Record<string, string>;
  /** A JSON body instead of a form. */
  readonly json?: Record<string, unknown>;
  readonly inside: Statuses;
  /** For B's records; defaults to 404 for everyone when the URL names a record, else the inside statuses. */
  readonly outside?: Statuses;
}

const MATRIX: Record<string, RouteCase> = {
  'GET /healthz': { url: () => '/healthz', inside: all(200) },
  'GET /sw.js': { url: () => '/sw.js', inside: all(200) },
  'GET /favicon.ico': { url: () => '/favicon.ico', inside: all(200) },
  'GET /login': { url: () => '/login', inside: all(302) },
  'POST /login': { url: () => '/login', form: () => ({}), inside: all(400) },
  'POST /logout': { url: () => '/logout', form: () => ({}), inside: all(303) },
  'GET /v': { url: () => '/v', inside: all(200) },
  'GET /v/:code': { url: (p) => `/v/${p.sticker}`, inside: all(200), outside: all(200) },
  // Public: anyone may report any sticker, logged in or not; an empty form is refused next to its fields.
  'POST /v/:code/report': {
    url: (p) => `/v/${p.sticker}/report`,
    form: () => ({}),
    inside: all(400),
    outside: all(400),
  },
  'GET /': { url: () => '/', inside: all(200) },
  'GET /sites': { url: () => '/sites', inside: all(200) },
  'GET /sites/new': { url: () => '/sites/new', inside: managers(200) },
  'POST /sites': { url: () => '/sites', form: () => ({}), inside: managers(400) },
  'GET /sites/:siteId': { url: (p) => `/sites/${p.site}`, inside: all(200) },
  'GET /sites/:siteId/edit': { url: (p) => `/sites/${p.site}/edit`, inside: managers(200) },
  'POST /sites/:siteId': { url: (p) => `/sites/${p.site}`, form: () => ({}), inside: managers(400) },
  'POST /sites/:siteId/stalls': { url: (p) => `/sites/${p.site}/stalls`, form: () => ({}), inside: workers(400) },
  'GET /sites/:siteId/import': { url: (p) => `/sites/${p.site}/import`, inside: workers(200) },
  'GET /sites/:siteId/import/template.:format': {
    url: (p) => `/sites/${p.site}/import/template.xlsx`,
    inside: workers(200),
  },
  'POST /sites/:siteId/import': { url: (p) => `/sites/${p.site}/import`, form: () => ({}), inside: workers(400) },
  'POST /sites/:siteId/import/preview': {
    url: (p) => `/sites/${p.site}/import/preview`,
    form: () => ({}),
    inside: workers(400),
  },
  'POST /sites/:siteId/import/confirm': {
    url: (p) => `/sites/${p.site}/import/confirm`,
    form: () => ({}),
    inside: workers(400),
  },
  'POST /sites/:siteId/stickers': {
    url: (p) => `/sites/${p.site}/stickers`,
    form: () => ({ format: 'nope' }),
    inside: workers(400),
  },
  // Assigning people to a site: team leads and admins of its reach; an empty form is refused next to the field.
  'POST /sites/:siteId/assignments': {
    url: (p) => `/sites/${p.site}/assignments`,
    form: () => ({}),
    inside: managers(400),
  },
  // Taking off someone who is not on the site changes nothing and goes back to the site.
  'POST /sites/:siteId/assignments/:userId/remove': {
    url: (p) => `/sites/${p.site}/assignments/${p.volunteer}/remove`,
    form: () => ({}),
    inside: managers(303),
  },
  'GET /stalls/:stallId': { url: (p) => `/stalls/${p.stall}`, inside: all(200) },
  'GET /stalls/:stallId/edit': { url: (p) => `/stalls/${p.stall}/edit`, inside: workers(200) },
  'POST /stalls/:stallId': { url: (p) => `/stalls/${p.stall}`, form: () => ({}), inside: workers(400) },
  'POST /stalls/:stallId/status': { url: (p) => `/stalls/${p.stall}/status`, form: () => ({}), inside: workers(400) },
  'POST /stalls/:stallId/installed': {
    url: (p) => `/stalls/${p.stall}/installed`,
    form: () => ({}),
    inside: workers(303),
  },
  'POST /stalls/:stallId/follow-up': {
    url: (p) => `/stalls/${p.stall}/follow-up`,
    form: () => ({}),
    inside: workers(400),
  },
  'GET /stalls/:stallId/name-check': { url: (p) => `/stalls/${p.stall}/name-check`, inside: workers(200) },
  'POST /stalls/:stallId/accounts': {
    url: (p) => `/stalls/${p.stall}/accounts`,
    form: () => ({}),
    inside: workers(400),
  },
  'POST /stalls/:stallId/accounts/:accountId/name-check': {
    url: (p) => `/stalls/${p.stall}/accounts/${p.account}/name-check`,
    form: () => ({}),
    inside: workers(400),
  },
  'POST /stalls/:stallId/accounts/:accountId/primary': {
    url: (p) => `/stalls/${p.stall}/accounts/${p.account}/primary`,
    form: () => ({}),
    inside: workers(303),
  },
  'POST /stalls/:stallId/accounts/:accountId/retire': {
    url: (p) => `/stalls/${p.stall}/accounts/${p.account}/retire`,
    form: () => ({}),
    inside: workers(400),
  },
  'POST /stalls/:stallId/sticker': {
    url: (p) => `/stalls/${p.stall}/sticker`,
    form: () => ({ format: 'nope' }),
    inside: workers(400),
  },
  // The trader's rights: team leads and admins inside the reach; an empty form is a 400 and changes nothing.
  'GET /stalls/:stallId/consent-record': { url: (p) => `/stalls/${p.stall}/consent-record`, inside: managers(200) },
  'GET /stalls/:stallId/data': { url: (p) => `/stalls/${p.stall}/data`, inside: managers(200) },
  'POST /stalls/:stallId/consent/withdraw': {
    url: (p) => `/stalls/${p.stall}/consent/withdraw`,
    form: () => ({}),
    inside: managers(400),
  },
  'POST /stalls/:stallId/erase': { url: (p) => `/stalls/${p.stall}/erase`, form: () => ({}), inside: managers(400) },
  'GET /onboard': { url: () => '/onboard', inside: workers(200) },
  'GET /onboard/sites/:siteId': { url: (p) => `/onboard/sites/${p.site}`, inside: workers(200) },
  'POST /onboard/sites/:siteId': { url: (p) => `/onboard/sites/${p.site}`, form: () => ({}), inside: workers(400) },
  'GET /campaigns': { url: () => '/campaigns', inside: all(200) },
  'GET /campaigns/new': { url: () => '/campaigns/new', inside: managers(200) },
  'POST /campaigns': { url: () => '/campaigns', form: () => ({}), inside: managers(400) },
  'GET /campaigns/:campaignId/edit': { url: (p) => `/campaigns/${p.campaign}/edit`, inside: managers(200) },
  'POST /campaigns/:campaignId': { url: (p) => `/campaigns/${p.campaign}`, form: () => ({}), inside: managers(400) },
  'GET /dashboard': { url: (p) => `/dashboard?scope=site:${p.site}`, inside: all(200), outside: all(404) },
  'GET /dashboard/quality': {
    url: (p) => `/dashboard/quality?scope=site:${p.site}`,
    inside: all(200),
    outside: all(404),
  },
  'GET /dashboard/report.pdf': {
    url: (p) => `/dashboard/report.pdf?scope=commune:${p.commune}`,
    inside: all(200),
    outside: all(404),
  },
  'GET /dashboard/table.:format': {
    url: (p) => `/dashboard/table.csv?scope=site:${p.site}`,
    inside: all(200),
    outside: all(404),
  },
  'GET /dashboard/behind.:format': {
    url: (p) => `/dashboard/behind.csv?scope=commune:${p.commune}`,
    inside: all(200),
    outside: all(404),
  },
  'GET /dashboard/volunteers.:format': {
    url: (p) => `/dashboard/volunteers.csv?scope=site:${p.site}`,
    inside: all(200),
    outside: all(404),
  },
  'GET /dashboard/quality.:format': {
    url: (p) => `/dashboard/quality.csv?scope=site:${p.site}`,
    inside: all(200),
    outside: all(404),
  },
  'GET /api/v1/adoption': { url: (p) => `/api/v1/adoption?scope=site:${p.site}`, inside: all(200), outside: all(404) },
  'GET /api/v1/session': { url: () => '/api/v1/session', inside: all(200) },
  'GET /api/v1/provinces': { url: () => '/api/v1/provinces', inside: all(200) },
  'GET /api/v1/communes': { url: () => '/api/v1/communes?province=52', inside: all(200) },
  'GET /account/password': { url: () => '/account/password', inside: all(200) },
  'POST /account/password': { url: () => '/account/password', form: () => ({}), inside: all(400) },
  'GET /admin/users': { url: () => '/admin/users', inside: managers(200) },
  'GET /admin/users/new': { url: () => '/admin/users/new', inside: managers(200) },
  'POST /admin/users': { url: () => '/admin/users', form: () => ({}), inside: managers(400) },
  'GET /admin/users/import': { url: () => '/admin/users/import', inside: managers(200) },
  'POST /admin/users/import': { url: () => '/admin/users/import', form: () => ({}), inside: managers(400) },
  'POST /admin/users/import/confirm': {
    url: () => '/admin/users/import/confirm',
    form: () => ({}),
    inside: managers(400),
  },
  'GET /admin/users/:userId': {
    url: (p) => `/admin/users/${p.volunteer}`,
    inside: managers(200),
    outside: userOutside(200),
  },
  'GET /admin/users/:userId/edit': {
    url: (p) => `/admin/users/${p.volunteer}/edit`,
    inside: managers(200),
    outside: userOutside(200),
  },
  'POST /admin/users/:userId': {
    url: (p) => `/admin/users/${p.volunteer}`,
    form: () => ({}),
    inside: managers(400),
    outside: userOutside(400),
  },
  'POST /admin/users/:userId/disable': {
    url: (p) => `/admin/users/${p.volunteer}/disable`,
    form: () => ({}),
    inside: managers(303),
    outside: userOutside(303),
  },
  'POST /admin/users/:userId/enable': {
    url: (p) => `/admin/users/${p.volunteer}/enable`,
    form: () => ({}),
    inside: managers(303),
    outside: userOutside(303),
  },
  'POST /admin/users/:userId/unlock': {
    url: (p) => `/admin/users/${p.volunteer}/unlock`,
    form: () => ({}),
    inside: managers(303),
    outside: userOutside(303),
  },
  'POST /admin/users/:userId/reset-password': {
    url: (p) => `/admin/users/${p.volunteer}/reset-password`,
    form: () => ({}),
    inside: managers(200),
    outside: userOutside(200),
  },
  // Customers' reports: team leads of the stall's reach and admins; the others are refused before any lookup.
  'GET /work/sticker-reports': { url: () => '/work/sticker-reports', inside: managers(200) },
  'POST /work/sticker-reports/:reportId/close': {
    url: (p) => `/work/sticker-reports/${p.report}/close`,
    form: () => ({}),
    inside: managers(400),
    outside: managers(404),
  },
  // The work list is not a record: team leads and admins see the requests of their reach, others are refused.
  'GET /work': { url: () => '/work', inside: managers(200) },
  'POST /work/payee-changes/:requestId/approve': {
    url: (p) => `/work/payee-changes/${p.decidedChange}/approve`,
    form: () => ({}),
    inside: managers(400),
  },
  'POST /work/payee-changes/:requestId/refuse': {
    url: (p) => `/work/payee-changes/${p.pendingChange}/refuse`,
    form: () => ({}),
    inside: managers(400),
  },
  'POST /work/payee-changes/:requestId/cancel': {
    url: (p) => `/work/payee-changes/${p.decidedChange}/cancel`,
    form: () => ({}),
    inside: managers(400),
  },
  // Not records: "Phân công" lists the sites of the reach for those who assign; the to-do lists are for the
  // roles that work stalls, each over their own sites or reach.
  'GET /work/assignments': { url: () => '/work/assignments', inside: managers(200) },
  'GET /work/todo/:group': { url: () => '/work/todo/sticker', inside: workers(200), outside: workers(200) },
  // The log is not a record: a team lead reads the rows of their reach's sites there, others none.
  'GET /admin/audit': { url: () => '/admin/audit', inside: managers(200) },
  'GET /admin/audit.csv': { url: () => '/admin/audit.csv', inside: managers(200) },
  'POST /api/v1/vietqr/decode': {
    url: () => '/api/v1/vietqr/decode',
    json: { payload: 'không phải mã' },
    // Decoding a code the user already holds reads nothing of the registry.
    inside: all(200),
  },
};

/** What a role may see of a place's personal data: the roles that work stalls, inside their reach only. */
function hiddenFrom(role: Role, fixture: Fixture, route: string): string[] {
  const secrets = (place: Place) => [place.phone, place.owner, place.accountNumber];
  const seesPersonalData = role === 'admin' || role === 'team_lead' || role === 'volunteer';
  // Outside the reach not even the names show (lists, pickers, searches), except on the public sticker check.
  const names = route.includes(' /v')
    ? []
    : [fixture.outside.siteName, fixture.outside.businessName, fixture.outside.campaignName];
  const hidden = seesPersonalData
    ? secrets(fixture.outside)
    : [...secrets(fixture.inside), ...secrets(fixture.outside)];
  return [...hidden, ...names];
}

function namesARecord(url: string): boolean {
  return /:\w+/.test(url);
}

describe('roles × reach × routes', () => {
  let shared: Awaited<ReturnType<typeof buildFixture>>;
  beforeAll(async () => {
    shared = await buildFixture();
  });

  it('when a route is registered, then the matrix has an entry for it, and every entry is a registered route', () => {
    const registered = registeredRoutes(shared.app);
    expect(registered.filter((route) => !(route in MATRIX))).toEqual([]);
    expect(Object.keys(MATRIX).filter((route) => !registered.includes(route))).toEqual([]);
  });

  // Every route × role × place, a fresh fixture per write: seconds on a quiet machine, minutes on a loaded one.
  it(
    'when each role asks inside and outside its reach, then the status and what shows are the table’s',
    { timeout: 300_000 },
    async () => {
      const mismatches: string[] = [];
      const leaks: string[] = [];
      for (const [route, spec] of Object.entries(MATRIX)) {
        const method = route.split(' ')[0]!;
        // A write may change what the next cell sees (a retired account, a new stall): each gets its own records.
        const fixture = method === 'GET' ? shared : await buildFixture();
        const wheres: ['inside' | 'outside', Statuses][] = [['inside', spec.inside]];
        if (namesARecord(route) || spec.outside) {
          wheres.push(['outside', spec.outside ?? all(404)]);
        }
        for (const [where, statuses] of wheres) {
          for (const role of ROLES) {
            const { agent, csrf } = fixture.agents[role];
            const place = fixture[where];
            const url = spec.url(place, fixture);
            const response =
              method === 'GET'
                ? await agent.get(url).redirects(0)
                : spec.json
                  ? await agent.post(url).set('x-csrf-token', csrf).send(spec.json).redirects(0)
                  : await agent
                      .post(url)
                      .type('form')
                      .send({ ...(spec.form?.(place, fixture) ?? {}), _csrf: csrf })
                      .redirects(0);
            if (response.status !== statuses[role]) {
              mismatches.push(`${route} ${where} ${role}: ${response.status}, expected ${statuses[role]}`);
            }
            const type = String(response.headers['content-type'] ?? '');
            if (/text|json/.test(type)) {
              // Also with the spaces and dots taken out: "1012 3456 78901" and "0905.111.222" are the same secrets.
              const compact = response.text.replace(/[\s.\u00a0]/g, '');
              for (const secret of hiddenFrom(role, fixture, route)) {
                if (response.text.includes(secret) || compact.includes(secret.replace(/\s/g, ''))) {
                  leaks.push(`${route} ${where} ${role}: shows ${secret}`);
                }
              }
            }
          }
        }
      }
      if (process.env.MATRIX_DEBUG) console.log([...mismatches, ...leaks].join('\n'));
      // One line per cell, so a failure shows the whole table's differences at once.
      expect(mismatches.join('\n')).toBe('');
      expect(leaks.join('\n')).toBe('');
    },
  );
});
