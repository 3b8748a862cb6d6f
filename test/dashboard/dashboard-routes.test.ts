import { describe, expect, it } from 'vitest';
import { adoptionOn } from '../adoption/adoption-on.js';
import { createDemoTestContext } from '../helpers/app.js';
import { WHOLE_COUNTRY } from '../../src/vocabulary/reach.js';

async function demo() {
  const context = await createDemoTestContext();
  const leader = await context.loginAs('leader', 'lanhdao');
  return { ...context, ...leader };
}

describe('GET /dashboard', () => {
  it('shows the province with cards, "tính đến", the trend chart, the funnel and communes sorted by gap', async () => {
    const { agent } = await demo();
    const page = await agent.get('/dashboard?scope=province:52').expect(200);
    expect(page.text).toContain('<h1>Gia Lai</h1>');
    expect(page.text).toContain('Tính đến hết ngày 22/11/2026');
    expect(page.text).toContain('<svg class="trend"');
    expect(page.text).toContain('<svg class="funnel"');
    expect(page.text).toContain('Các xã, phường');
    expect(page.text).toMatch(/href="\/dashboard\?scope=commune:23575&(amp;)?asOf=2026-11-22"/);
    expect(page.text).toContain('ước tính');
  });

  it('a site scope lists its stalls, and a past date is recomputed from history', async () => {
    const { agent, db } = await demo();
    const siteId = (db.prepare("SELECT id FROM sites WHERE name = 'Chợ Hoa Lư'").get() as { id: number }).id;
    const today = await agent.get(`/dashboard?scope=site:${siteId}`).expect(200);
    expect(today.text).toContain('90/117 (76 %)');
    expect(today.text).toContain('Các sạp');
    const past = await agent.get(`/dashboard?scope=site:${siteId}&asOf=2026-09-15`).expect(200);
    expect(past.text).not.toContain('90/117 (76 %)');
  });

  it('bad scope, future date and unknown province are refused clearly', async () => {
    const { agent } = await demo();
    await agent.get('/dashboard?scope=xyz').set('Accept', 'text/html').expect(400);
    await agent.get('/dashboard?asOf=2030-01-01').set('Accept', 'text/html').expect(400);
    await agent.get('/dashboard?scope=province:99').set('Accept', 'text/html').expect(404);
  });
});

describe('GET /api/v1/adoption', () => {
  it('returns the same figures as JSON', async () => {
    const { agent } = await demo();
    const response = await agent.get('/api/v1/adoption?scope=province:52&asOf=2026-11-22').expect(200);
    expect(response.body.asOf).toBe('2026-11-22');
    expect(response.body.figures.coverage.label).toMatch(/^\d+\/\d+ \(\d+ %\)$/);
    expect(response.body.children.level).toBe('communes');
    const bad = await agent.get('/api/v1/adoption?scope=nope').expect(400);
    expect(bad.body.error).toBeTruthy();
  });
});

describe('GET /dashboard/table.csv|xlsx', () => {
  it('exports the child table with a BOM and Vietnamese headers, and logs the export', async () => {
    const { agent, db } = await demo();
    const csv = await agent.get('/dashboard/table.csv?scope=province:52').expect(200);
    expect(csv.text.startsWith('\uFEFFMã,Xã,Loại,Sạp nhận QR')).toBe(true);
    expect(csv.text).toContain('23575,Phường Pleiku');
    const xlsx = await agent.get('/dashboard/table.xlsx?scope=province:52').buffer(true).expect(200);
    expect(xlsx.headers['content-type']).toContain('spreadsheetml');
    expect(db.prepare('SELECT what, format, scope FROM export_log ORDER BY id').all()).toEqual([
      { what: 'adoption-communes', format: 'csv', scope: 'province:52' },
      { what: 'adoption-communes', format: 'xlsx', scope: 'province:52' },
    ]);
  });
});

/** A CSV export's rows under its header, BOM checked and stripped (cells with quotes kept whole). */
function csvRows(text: string): { header: string[]; rows: string[][] } {
  expect(text.startsWith('\uFEFF')).toBe(true);
  const lines = text.slice(1).split('\r\n');
  expect(lines.pop()).toBe('');
  const split = (line: string) => [...line.matchAll(/("(?:[^"]|"")*"|[^,]*)(,|$)/g)].slice(0, -1).map((m) => m[1]!);
  const [header, ...rows] = lines.map(split);
  return { header: header!, rows };
}

describe('volunteer activity per volunteer', () => {
  it('the page shows each active volunteer by name in a scrollable table, with CSV and XLSX links', async () => {
    const { agent, db } = await demo();
    const activity = await adoptionOn(db).volunteerActivity(
      WHOLE_COUNTRY,
      { kind: 'province', code: '52' },
      '2026-11-22',
      4,
    );
    expect(activity.volunteers.length).toBeGreaterThan(0);
    const page = await agent.get('/dashboard?scope=province:52').expect(200);
    expect(page.text).toContain('Theo từng tình nguyện viên');
    expect(page.text).toMatch(/<div class="table-wrap">\s*<table class="activity-volunteers">/);
    // Names as EJS escapes them: "Rơ Châm H'Nga" is written H&#39;Nga.
    const escaped = (text: string) =>
      text
        .replace(/&/g, '&amp;')
        .replace(/</g, '&lt;')
        .replace(/>/g, '&gt;')
        .replace(/"/g, '&#34;')
        .replace(/'/g, '&#39;');
    for (const volunteer of activity.volunteers)
      expect(page.text).toContain(`<td>${escaped(volunteer.displayName)}</td>`);
    expect(page.text).toMatch(/href="\/dashboard\/volunteers\.csv\?scope=province:52&(amp;)?asOf=2026-11-22"/);
    expect(page.text).toMatch(/href="\/dashboard\/volunteers\.xlsx\?scope=province:52&(amp;)?asOf=2026-11-22"/);
    expect(page.text).toMatch(/href="\/dashboard\/quality\?scope=province:52&(amp;)?asOf=2026-11-22"/);
    expect(page.text).not.toContain('Không có tình nguyện viên nào làm việc');
  });

  it('says so when nobody worked in the scope in those weeks', async () => {
    const { agent, db } = await demo();
    const asOf = '2026-06-01';
    expect(
      (await adoptionOn(db).volunteerActivity(WHOLE_COUNTRY, { kind: 'province', code: '52' }, asOf, 4)).volunteers,
    ).toEqual([]);
    const page = await agent.get(`/dashboard?scope=province:52&asOf=${asOf}`).expect(200);
    expect(page.text).toContain('Không có tình nguyện viên nào làm việc ở phạm vi này trong 4 tuần qua.');
    expect(page.text).not.toContain('class="activity-volunteers"');
  });
});

describe('GET /dashboard/volunteers.csv|xlsx', () => {
  it(
    'exports one row per volunteer per week with a BOM and Vietnamese headers, ' +
      'totals as the engine reports, and logs each export',
    async () => {
      const { agent, db, userId } = await demo();
      const activity = await adoptionOn(db).volunteerActivity(
        WHOLE_COUNTRY,
        { kind: 'province', code: '52' },
        '2026-11-22',
        4,
      );
      const csv = await agent.get('/dashboard/volunteers.csv?scope=province:52&asOf=2026-11-22').expect(200);
      expect(csv.headers['content-type']).toContain('text/csv');
      expect(csv.headers['content-disposition']).toContain('phoqr-province-52-volunteers-2026-11-22.csv');
      const { header, rows } = csvRows(csv.text);
      expect(header).toEqual([
        'Mã người dùng',
        'Tình nguyện viên',
        'Tuần',
        'Từ ngày',
        'Đến ngày',
        'Lượt làm việc',
        'Sạp mới',
        'Tính đến',
      ]);
      expect(rows).toHaveLength(activity.volunteers.length * activity.weeks.length);
      const sum = (column: number) => rows.reduce((total, row) => total + Number(row[column]), 0);
      expect(sum(5)).toBe(activity.weeks.reduce((total, week) => total + week.visits, 0));
      expect(sum(6)).toBe(activity.weeks.reduce((total, week) => total + week.onboarded, 0));
      const first = activity.volunteers[0]!;
      expect(rows[0]!.slice(0, 5)).toEqual([
        String(first.userId),
        first.displayName,
        activity.weeks[0]!.label,
        activity.weeks[0]!.monday,
        activity.weeks[0]!.sunday,
      ]);
      const xlsx = await agent
        .get('/dashboard/volunteers.xlsx?scope=province:52&asOf=2026-11-22')
        .responseType('blob')
        .expect(200);
      expect(xlsx.headers['content-type']).toContain('spreadsheetml');
      expect((xlsx.body as Buffer).subarray(0, 2).toString()).toBe('PK');
      expect(
        db
          .prepare('SELECT exported_by AS by, what, format, scope, row_count AS rowCount FROM export_log ORDER BY id')
          .all(),
      ).toEqual([
        { by: userId, what: 'adoption-volunteers', format: 'csv', scope: 'province:52', rowCount: rows.length },
        { by: userId, what: 'adoption-volunteers', format: 'xlsx', scope: 'province:52', rowCount: rows.length },
      ]);
    },
  );
});

describe('GET /dashboard/quality', () => {
  it('lists what needs fixing under each check, with full counts, stalls linked and accounts masked', async () => {
    const { agent, db } = await demo();
    const quality = await adoptionOn(db).dataQuality(WHOLE_COUNTRY, { kind: 'province', code: '52' }, '2026-11-22');
    const page = await agent.get('/dashboard/quality?scope=province:52&asOf=2026-11-22').expect(200);
    expect(page.text).toContain('<h1>Chất lượng dữ liệu · Gia Lai</h1>');
    expect(page.text).toContain(`Tài khoản chưa kiểm tra tên: ${quality.unverifiedAccounts.count}</h2>`);
    expect(page.text).toContain(
      `Chưa thăm lại ${quality.staleFollowUps.days} ngày: ${quality.staleFollowUps.count}</h2>`,
    );
    expect(page.text).toContain(`Tài khoản trùng trên nhiều sạp: ${quality.duplicateAccounts.count}</h2>`);
    expect(quality.duplicateAccounts.count).toBeGreaterThan(0);
    for (const group of quality.duplicateAccounts.groups) {
      expect(page.text).toContain(group.maskedAccount);
      for (const stall of group.stalls) expect(page.text).toContain(`href="/stalls/${stall.stallId}"`);
    }
    const fullNumbers = db.prepare('SELECT account_number FROM stall_accounts').pluck().all() as string[];
    for (const number of fullNumbers) expect(page.text).not.toContain(number);
    expect(page.text).toMatch(/href="\/dashboard\/quality\.xlsx\?scope=province:52&(amp;)?asOf=2026-11-22"/);
    await agent.get('/dashboard/quality?scope=province:99').set('Accept', 'text/html').expect(404);
  });
});

describe('GET /dashboard/quality.csv|xlsx', () => {
  it('exports one row per listed item and the sticker counts, masked accounts only, and logs each export', async () => {
    const { agent, db, userId } = await demo();
    const quality = await adoptionOn(db).dataQuality(WHOLE_COUNTRY, { kind: 'province', code: '52' }, '2026-11-22');
    const csv = await agent.get('/dashboard/quality.csv?scope=province:52&asOf=2026-11-22').expect(200);
    expect(csv.headers['content-disposition']).toContain('phoqr-province-52-quality-2026-11-22.csv');
    const { header, rows } = csvRows(csv.text);
    expect(header.slice(0, 3)).toEqual(['Mã loại kiểm tra', 'Kiểm tra', 'Số lượng']);
    const listed = (n: number) => Math.max(1, n);
    expect(rows).toHaveLength(
      listed(quality.unverifiedAccounts.stalls.length) +
        listed(quality.staleFollowUps.stalls.length) +
        listed(quality.duplicateAccounts.groups.reduce((n, g) => n + g.stalls.length, 0)) +
        2 +
        listed(quality.pendingPayeeChanges.stalls.length),
    );
    const countOf = (check: string) => [
      ...new Set(rows.filter((row) => row[1] === check).map((row) => Number(row[2]))),
    ];
    expect(countOf('Tài khoản chưa kiểm tra tên')).toEqual([quality.unverifiedAccounts.count]);
    expect(countOf(`Chưa thăm lại ${quality.staleFollowUps.days} ngày`)).toEqual([quality.staleFollowUps.count]);
    expect(countOf('Tài khoản trùng trên nhiều sạp')).toEqual([quality.duplicateAccounts.count]);
    expect(countOf('Mã QR đã thu hồi')).toEqual([quality.stickers.revoked]);
    expect(countOf('Mã QR đã thay')).toEqual([quality.stickers.replaced]);
    expect(countOf('Yêu cầu đổi tài khoản nhận tiền đang chờ duyệt')).toEqual([quality.pendingPayeeChanges.count]);
    for (const group of quality.duplicateAccounts.groups) expect(csv.text).toContain(group.maskedAccount);
    const xlsx = await agent.get('/dashboard/quality.xlsx?scope=province:52&asOf=2026-11-22').buffer(true).expect(200);
    expect(xlsx.headers['content-type']).toContain('spreadsheetml');
    expect(
      db
        .prepare('SELECT exported_by AS by, what, format, scope, row_count AS rowCount FROM export_log ORDER BY id')
        .all(),
    ).toEqual([
      { by: userId, what: 'adoption-quality', format: 'csv', scope: 'province:52', rowCount: rows.length },
      { by: userId, what: 'adoption-quality', format: 'xlsx', scope: 'province:52', rowCount: rows.length },
    ]);
  });

  it('an unknown format is a 400 with a Vietnamese message, and nothing is logged', async () => {
    const { agent, db } = await demo();
    for (const url of [
      '/dashboard/quality.pdf?scope=province:52',
      '/dashboard/volunteers.json?scope=province:52',
      '/dashboard/table.ods?scope=province:52',
    ]) {
      const response = await agent.get(url).expect(400);
      expect(response.text).toContain('Chỉ xuất được CSV hoặc XLSX.');
    }
    expect(db.prepare('SELECT count(*) AS n FROM export_log').get()).toEqual({ n: 0 });
  });
});

describe('GET /api/v1/adoption: activity and quality', () => {
  it('includes the page’s 4 weeks of volunteer activity and the data-quality checks', async () => {
    const { agent, db } = await demo();
    const engine = adoptionOn(db);
    const scope = { kind: 'province', code: '52' } as const;
    const response = await agent.get('/api/v1/adoption?scope=province:52&asOf=2026-11-22').expect(200);
    expect(response.body.activity).toEqual(
      JSON.parse(JSON.stringify(await engine.volunteerActivity(WHOLE_COUNTRY, scope, '2026-11-22', 4))),
    );
    expect(response.body.activity.weeks).toHaveLength(4);
    expect(response.body.activity.volunteers.length).toBeGreaterThan(0);
    expect(response.body.quality).toEqual(
      JSON.parse(JSON.stringify(await engine.dataQuality(WHOLE_COUNTRY, scope, '2026-11-22'))),
    );
    expect(response.body.quality.duplicateAccounts.count).toBeGreaterThan(0);
  });
});
