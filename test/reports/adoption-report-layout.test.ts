import { CHEAP_DEMO_HASHES } from '../helpers/db.js';
import * as fontkit from 'fontkit';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { adoptionOn } from '../adoption/adoption-on.js';
import type {
  AdoptionDashboard,
  AdoptionScope,
  AreaRow,
  GapClass,
  SiteAreaRow,
} from '../../src/adoption/adoption-types.js';
import { sitesBehind, targetsLabel, type SitesBehind } from '../../src/adoption/sites-behind.js';
import { funnelSteps } from '../../src/charts/funnel-chart.js';
import { REPORT_BEHIND_ROWS, reportBehind } from '../../src/dashboard/sites-behind-table.js';
import { formatDecimal } from '../../src/text/numbers.js';
import { dashboardTrendInput } from '../../src/dashboard/trend-chart.js';
import { seedDemo } from '../../src/demo/demo-seed.js';
import {
  FOOTER_TOP,
  layoutAdoptionReport,
  PAGE,
  planTable,
  type DrawOp,
  type ReportLayout,
  type ReportMeasure,
} from '../../src/reports/adoption-report-layout.js';
import { pdfFontBytes } from '../../src/pdf-text/fonts.js';
import { createTestContext } from '../helpers/app.js';
import { realMeasure } from '../helpers/real-metrics.js';
import { WHOLE_COUNTRY } from '../../src/vocabulary/reach.js';

const measure: ReportMeasure = (text, size, weight) => realMeasure(weight)(text, size);
const URL = 'https://phoqr.example/dashboard/table.xlsx?scope=province:52&asOf=2026-11-22';

let province: AdoptionDashboard;
let everything: AdoptionDashboard;
let commune: AdoptionDashboard;

beforeAll(async () => {
  const context = createTestContext();
  await seedDemo(context.data, context.clock, CHEAP_DEMO_HASHES);
  const adoption = adoptionOn(context.db);
  province = await adoption.dashboard(WHOLE_COUNTRY, { kind: 'province', code: '52' }, '2026-11-22');
  everything = await adoption.dashboard(WHOLE_COUNTRY, { kind: 'all' }, '2026-11-22');
  commune = await adoption.dashboard(WHOLE_COUNTRY, { kind: 'commune', code: '23575' }, '2026-11-22');
});

function layout(dashboard: AdoptionDashboard): ReportLayout {
  return layoutAdoptionReport({
    dashboard,
    chart: dashboardTrendInput(dashboard),
    generatedAt: '08:30 30/11/2026',
    fullTableUrl: URL,
    measure,
  });
}

function texts(page: { ops: readonly DrawOp[] }): string[] {
  return page.ops.flatMap((op) => (op.kind === 'text' ? [op.text] : []));
}

const GAP_CLASSES: readonly GapClass[] = ['behind', 'close', 'achieved', 'empty'];

/** A province's dashboard with `counts` synthetic communes per class, furthest behind first (the engine's order). */
function withRows(dashboard: AdoptionDashboard, counts: Readonly<Record<GapClass, number>>): AdoptionDashboard {
  if (dashboard.children.level === 'stalls') throw new Error('area scope expected');
  const template = dashboard.children.rows[0]!;
  let n = 0;
  const rows: AreaRow[] = GAP_CLASSES.flatMap((gapClass) =>
    Array.from({ length: counts[gapClass] }, () => {
      n += 1;
      const gap = { behind: -30, close: -5, achieved: 4, empty: null }[gapClass];
      return {
        ...template,
        key: String(20000 + n),
        name: `Xã Thử Nghiệm Số ${n}`,
        target: { ...template.target, gapClass, gapPp: gap, achieved: gapClass === 'achieved' },
      };
    }),
  );
  return { ...dashboard, children: { ...dashboard.children, rows } } as AdoptionDashboard;
}

/** Every text op inside the page, and nothing but the footer below the content area. */
function expectInsidePage(result: ReportLayout): void {
  for (const page of result.pages) {
    for (const op of page.ops) {
      if (op.kind !== 'text') continue;
      const width = measure(op.text, op.size, op.weight);
      expect(op.x, op.text).toBeGreaterThanOrEqual(0);
      expect(op.x + width, op.text).toBeLessThanOrEqual(PAGE.width - 39);
      expect(op.y, op.text).toBeGreaterThanOrEqual(0);
      if (op.y < FOOTER_TOP) expect(op.y + op.size * 1.25, op.text).toBeLessThanOrEqual(FOOTER_TOP - 4);
    }
  }
}

describe('layoutAdoptionReport', () => {
  it('puts a province with a short table on one page: header, cards, funnel, chart and every commune', () => {
    const result = layout(province);
    expect(result.pages).toHaveLength(1);
    const words = texts(result.pages[0]!).join('\n');
    expect(words).toContain('Gia Lai');
    expect(words).toContain('Số liệu tính đến hết ngày 22/11/2026');
    expect(words).toContain(province.figures.coverage.label);
    expect(words).toContain(`${province.figures.sites.achieved}/${province.figures.sites.total}`);
    expect(words).toContain(province.figures.communes.label);
    expect(words).toContain('Từ khảo sát đến dán mã QR');
    expect(words).toContain(`${province.figures.funnel.census} (100 %)`);
    expect(words).not.toMatch(/Phễu|Trung vị|n = |TNV/);
    expect(words).toContain('Chỉ tiêu 71%');
    expect(words).toContain('Trang 1/1');
    if (province.children.level === 'stalls') throw new Error('communes expected');
    for (const row of province.children.rows) expect(words).toContain(`${row.name} (${row.key})`);
    expect(result.table).toEqual({ total: province.children.rows.length, shown: province.children.rows.length });
    expectInsidePage(result);
  });

  it('names the areas with no stall in one sentence instead of a row each', () => {
    const result = layout(everything);
    const words = texts(result.pages[0]!).join(' ');
    expect(result.pages).toHaveLength(1);
    expect(result.table.shown).toBe(1);
    expect(words).toMatch(/33 tỉnh, thành phố chưa có điểm nào: .*Thành phố Hà Nội/);
    expect(words).not.toContain('Thành phố Hà Nội (01)');
  });

  it('a long table goes on to page two; past two pages the rows furthest behind stay and the rest are counted', () => {
    const big = withRows(province, { behind: 70, close: 40, achieved: 50, empty: 10 });
    const result = layout(big);
    expect(result.pages).toHaveLength(2);
    const [first, second] = result.pages.map((p) => texts(p).join('\n'));
    expect(first).toContain('Xã Thử Nghiệm Số 1 (20001)');
    expect(second).toContain('(tiếp)');
    expect(second).toContain('Trang 2/2');
    const left = 170 - result.table.shown;
    expect(result.table.shown).toBeGreaterThan(60);
    expect(result.table.shown).toBeLessThan(110);
    expect(second).toContain(`Còn ${left} xã, phường không in vì hết chỗ (`);
    expect(second).toContain('10 chưa có sạp');
    expect(second).toContain(URL);
    expect(second).toContain(`Xã Thử Nghiệm Số ${result.table.shown} (`);
    expect(second).not.toContain(`Xã Thử Nghiệm Số ${result.table.shown + 1} (`);
    expectInsidePage(result);
  });

  it('a commune lists its sites by kind, without codes', () => {
    const words = texts(layout(commune).pages[0]!).join('\n');
    expect(words).toContain('Chợ Hoa Lư');
    expect(words).toContain('Loại');
    expect(words).toContain('Cấp xã · Gia Lai');
  });

  it('uses only characters Be Vietnam Pro has (a missing glyph would print blank)', () => {
    const fonts = { regular: fontkit.create(pdfFontBytes().regular), bold: fontkit.create(pdfFontBytes().bold) };
    for (const dashboard of [
      province,
      everything,
      commune,
      withRows(province, { behind: 90, close: 10, achieved: 10, empty: 5 }),
    ]) {
      for (const page of layout(dashboard).pages) {
        for (const op of page.ops) {
          if (op.kind !== 'text') continue;
          const missing = [...op.text].filter((ch) => !fonts[op.weight].hasGlyphForCodePoint(ch.codePointAt(0)!));
          expect(missing, op.text).toEqual([]);
        }
      }
    }
  });

  it('for any number of rows: at most two pages, inside the page, each row printed or counted once', () => {
    fc.assert(
      fc.property(fc.nat(250), fc.nat(40), fc.nat(40), fc.nat(120), (behind, close, achieved, empty) => {
        const result = layout(withRows(province, { behind, close, achieved, empty }));
        const filled = behind + close + achieved;
        expect(result.pages.length).toBeLessThanOrEqual(2);
        expect(result.table.total).toBe(filled + empty);
        expect(result.table.shown).toBeLessThanOrEqual(filled);
        const all = result.pages.map((p) => texts(p).join('\n')).join('\n');
        const numbers = result.pages.flatMap((p) =>
          p.ops.flatMap((op) => (op.kind === 'text' && op.x < 70 && /^\d+$/.test(op.text) ? [Number(op.text)] : [])),
        );
        expect(numbers).toEqual(Array.from({ length: result.table.shown }, (_, i) => i + 1));
        // Rows not printed are either named (no stall yet) or counted in the closing sentence.
        const omitted = `Còn ${filled + empty - result.table.shown} xã, phường không in`;
        if (result.table.shown < filled) expect(all).toContain(omitted);
        else if (empty > 0)
          expect(all.includes(omitted) || all.includes(`Chưa có sạp (${empty} xã, phường)`)).toBe(true);
        else expect(all).not.toContain('không in');
        expectInsidePage(result);
      }),
      { numRuns: 40 },
    );
  });
});

describe('planTable', () => {
  it('keeps every filled row and names the empty ones when they fit', () => {
    const rows = withRows(province, { behind: 2, close: 0, achieved: 1, empty: 2 }).children.rows as AreaRow[];
    const plan = planTable(rows, 6, 'communes', URL);
    expect(plan.shown).toHaveLength(3);
    expect(plan.closing?.text).toBe('Chưa có sạp (2 xã, phường): Xã Thử Nghiệm Số 4, Xã Thử Nghiệm Số 5.');
    const tight = planTable(rows, 5, 'communes', URL);
    expect(tight.shown).toHaveLength(3);
    expect(tight.closing?.text).toBe(
      `Còn 2 xã, phường không in vì hết chỗ (2 chưa có sạp). Bảng đầy đủ (CSV, XLSX): ${URL}`,
    );
  });
});

describe('the report for leaders (issue 17)', () => {
  /** The demo's sites of a scope, from the engine, as the report route gathers them. */
  async function sitesOf(scope: AdoptionScope): Promise<readonly SiteAreaRow[]> {
    const context = createTestContext();
    await seedDemo(context.data, context.clock, CHEAP_DEMO_HASHES);
    return adoptionOn(context.db).sites(WHOLE_COUNTRY, scope, '2026-11-22');
  }

  function leaderLayout(dashboard: AdoptionDashboard, behind: SitesBehind, listUrl: string) {
    return layoutAdoptionReport({
      dashboard,
      chart: dashboardTrendInput(dashboard, behind.targets),
      generatedAt: '08:30 30/11/2026',
      fullTableUrl: URL,
      behind: reportBehind(behind, false, listUrl),
      measure,
    });
  }

  it('when a province has sites behind, then page one lists them with what each needs, in plain words', async () => {
    const behind = sitesBehind(await sitesOf({ kind: 'province', code: '52' }));
    const result = leaderLayout(province, behind, URL);
    const words = texts(result.pages[0]!).join('\n');
    expect(words).toContain('Điểm chưa đạt chỉ tiêu — xa chỉ tiêu nhất ở trên');
    expect(words).toContain(`${behind.rows.length} địa điểm chưa đạt; cần thêm ${behind.stallsNeeded} sạp nhận QR`);
    for (const { site, stallsNeeded } of behind.rows) {
      expect(words).toContain(`${site.name} (${site.commune.name})`);
      expect(words).toContain(`${stallsNeeded} sạp`);
    }
    // The targets that were set, never the weighted mean; every funnel number printed; no jargon.
    expect(words).toContain(`Chỉ tiêu ${targetsLabel(behind.targets)}`);
    expect(words).not.toContain(`Chỉ tiêu ${formatDecimal(province.figures.target.percent!)} %`);
    for (const step of funnelSteps(province.figures.funnel)) expect(words).toContain(step.value);
    expect(words).not.toMatch(/Phễu|Trung vị|n = |TNV/);
    expectInsidePage(result);
  });

  it('when more sites are behind than the page holds, then the first are printed and the rest counted', async () => {
    const behind = sitesBehind(await sitesOf({ kind: 'province', code: '52' }));
    const many = { ...behind, rows: Array.from({ length: 30 }, (_, i) => behind.rows[i % behind.rows.length]!) };
    const result = leaderLayout(province, many, 'https://phoqr.example/dashboard#behind');
    const words = texts(result.pages[0]!).join(' ');
    expect(words).toContain(
      `và ${30 - REPORT_BEHIND_ROWS} điểm khác — danh sách đầy đủ: https://phoqr.example/dashboard#behind`,
    );
    expectInsidePage(result);
  });
});
