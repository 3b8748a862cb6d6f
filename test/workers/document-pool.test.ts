import { mkdirSync, writeFileSync } from 'node:fs';
import readXlsxFile from 'read-excel-file/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/clock.js';
import { DEFAULT_DOCUMENT_POOL, type DocumentPoolLimits } from '../../src/config.js';
import { dashboardTrendInput } from '../../src/dashboard/trend-chart.js';
import { toCsv, type ExportTable } from '../../src/exports/table.js';
import { SERVER_BUSY_MESSAGE } from '../../src/http/errors.js';
import { renderAdoptionReport } from '../../src/reports/render-adoption-report.js';
import { WHOLE_COUNTRY } from '../../src/vocabulary/reach.js';
import { createDocumentPool, type DocumentPool, type ReportRenderInput } from '../../src/workers/document-pool.js';
import { createTestContext, TEST_NOW } from '../helpers/app.js';
import { createDemoTestDb } from '../helpers/demo-db.js';
import { binaryBody, pdfInfo, pdfText } from '../helpers/pdf-tools.js';

const NOW = new Date(TEST_NOW);

async function demoContext(documentPool: Partial<DocumentPoolLimits> = {}) {
  const db = await createDemoTestDb(fixedClock(TEST_NOW));
  return createTestContext(db, { documentPool: { ...DEFAULT_DOCUMENT_POOL, ...documentPool } });
}

/** The province report's input, gathered as the route gathers it. */
async function provinceReportInput(context: Awaited<ReturnType<typeof demoContext>>): Promise<ReportRenderInput> {
  const dashboard = await context.services.adoption.dashboard(
    WHOLE_COUNTRY,
    { kind: 'province', code: '52' },
    '2026-11-22',
  );
  return {
    dashboard,
    chart: dashboardTrendInput(dashboard),
    generatedAt: '10:00 22/11/2026',
    fullTableUrl: 'http://localhost:3000/dashboard/table.xlsx?scope=province%3A52&asOf=2026-11-22',
  };
}

const pools: DocumentPool[] = [];
function pool(limits: Partial<DocumentPoolLimits> = {}): DocumentPool {
  const created = createDocumentPool({ ...DEFAULT_DOCUMENT_POOL, threads: 1, ...limits });
  pools.push(created);
  return created;
}
afterAll(async () => {
  await Promise.all(pools.map((p) => p.close()));
});

let context: Awaited<ReturnType<typeof demoContext>>;
let input: ReportRenderInput;
beforeAll(async () => {
  context = await demoContext();
  input = await provinceReportInput(context);
});

describe('the document pool', () => {
  it('when the province report is drawn on a worker, then its PDF reads exactly as one drawn in process', async () => {
    const [inProcess, onWorker] = await Promise.all([
      renderAdoptionReport(input, NOW),
      pool().adoptionReport(input, NOW),
    ]);
    expect(onWorker.title).toBe('Báo cáo tiến độ · Gia Lai');
    expect(onWorker.tableShown).toBe(inProcess.layout.table.shown);
    expect(pdfInfo(onWorker.pdf).Title).toBe('Báo cáo tiến độ · Gia Lai');
    expect(pdfText(onWorker.pdf)).toBe(pdfText(inProcess.pdf));
    expect(pdfText(onWorker.pdf)).toContain('Phường Pleiku (23575)');
    // Kept for a person to look at (test-output/ is not committed).
    mkdirSync('test-output', { recursive: true });
    writeFileSync('test-output/report-through-pool.pdf', onWorker.pdf);
  });

  it('when four reports are asked at once of a one-thread pool, then all four come back whole', async () => {
    const documents = pool({ threads: 1, maxQueue: 3 });
    const reports = await Promise.all([1, 2, 3, 4].map(() => documents.adoptionReport(input, NOW)));
    const texts = reports.map((report) => pdfText(report.pdf));
    expect(new Set(texts).size).toBe(1);
    expect(documents.inFlight()).toBe(0);
  });

  it('when more tasks arrive than threads and queue hold, then the extra one is refused at once as busy', async () => {
    const documents = pool({ threads: 1, maxQueue: 1 });
    const first = documents.adoptionReport(input, NOW);
    const second = documents.adoptionReport(input, NOW);
    await expect(documents.adoptionReport(input, NOW)).rejects.toMatchObject({
      status: 503,
      message: SERVER_BUSY_MESSAGE,
    });
    await Promise.all([first, second]);
    // Room again once they are done.
    await expect(documents.adoptionReport(input, NOW)).resolves.toMatchObject({ title: 'Báo cáo tiến độ · Gia Lai' });
  });

  it('when a task runs past its time, then it is stopped and answered as busy', async () => {
    const documents = pool({ timeoutMs: 1 });
    await expect(documents.adoptionReport(input, NOW)).rejects.toMatchObject({ status: 503 });
    expect(documents.inFlight()).toBe(0);
  });

  it('when a large table is written on a worker, then the CSV and XLSX hold the same cells as inline', async () => {
    const table: ExportTable = {
      sheetName: 'Sạp',
      columns: [{ header: 'Mã sạp' }, { header: 'Tên cơ sở' }, { header: 'Ghi chú' }],
      rows: Array.from({ length: 500 }, (_, i) => [i + 1, `Tạp hóa Đặc sản Pleiku ${i + 1}`, i % 7 ? null : '=1+1']),
    };
    const documents = pool({ inlineCells: 0 });
    const csv = await documents.csv(table);
    expect(csv.toString('utf8')).toBe(toCsv(table));
    const [sheet] = (await readXlsxFile(await documents.xlsx(table))) as unknown as { data: unknown[][] }[];
    const rows = sheet!.data;
    expect(rows).toHaveLength(501);
    expect(rows[0]).toEqual(['Mã sạp', 'Tên cơ sở', 'Ghi chú']);
    expect(rows[8]).toEqual([8, 'Tạp hóa Đặc sản Pleiku 8', '=1+1']);
  });
});

describe('GET /dashboard/report.pdf through a full pool', () => {
  it('when the pool is full, then the leader gets 503 with the Vietnamese message and no export logged', async () => {
    const busy = await demoContext({ threads: 1, maxQueue: 0 });
    const { agent } = await busy.loginAs('leader', 'lanhdao.ban');
    const exports = () => busy.db.prepare("SELECT COUNT(*) FROM export_log WHERE format = 'pdf'").pluck().get();
    const holding = busy.services.documents.adoptionReport(await provinceReportInput(busy), NOW);
    const refused = await agent.get('/dashboard/report.pdf?scope=province:52&asOf=2026-11-22').expect(503);
    expect(refused.text).toContain(SERVER_BUSY_MESSAGE);
    expect(exports()).toBe(0);
    await holding;
    const served = await binaryBody(agent.get('/dashboard/report.pdf?scope=province:52&asOf=2026-11-22')).expect(200);
    expect(pdfText(served.body as Buffer)).toContain('Gia Lai');
    expect(exports()).toBe(1);
    await busy.services.documents.close();
  });

  it('when the pool is full, then a large table export answers 503 and logs nothing', async () => {
    const busy = await demoContext({ threads: 1, maxQueue: 0, inlineCells: 0 });
    const { agent } = await busy.loginAs('leader', 'lanhdao.ban');
    const holding = busy.services.documents.adoptionReport(await provinceReportInput(busy), NOW);
    const refused = await agent.get('/dashboard/table.csv?scope=province:52&asOf=2026-11-22').expect(503);
    expect(refused.text).toContain(SERVER_BUSY_MESSAGE);
    expect(busy.db.prepare('SELECT COUNT(*) FROM export_log').pluck().get()).toBe(0);
    await holding;
    const served = await agent.get('/dashboard/table.csv?scope=province:52&asOf=2026-11-22').expect(200);
    expect(served.text).toContain('Phường Pleiku');
    expect(busy.db.prepare('SELECT COUNT(*) FROM export_log').pluck().get()).toBe(1);
    await busy.services.documents.close();
  });
});
