import { describe, expect, it } from 'vitest';
import { exportAction } from '../../src/exports/export-log.js';
import { createDemoTestContext, createTestContext } from '../helpers/app.js';

type Db = ReturnType<typeof createTestContext>['db'];

const exportRows = (db: Db) =>
  (
    db
      .prepare(
        "SELECT user_id, action, entity, site_id, changes FROM audit_log WHERE action LIKE 'export.%' ORDER BY id",
      )
      .all() as { user_id: number | null; action: string; entity: string; site_id: number | null; changes: string }[]
  ).map((row) => ({ ...row, changes: JSON.parse(row.changes) as unknown }));

describe('audit rows of exports', () => {
  it('when the kind of export is known by what was exported, then it is export.stalls, .report or .table', () => {
    expect(exportAction('stalls')).toBe('export.stalls');
    expect(exportAction('adoption-report-commune')).toBe('export.report');
    expect(exportAction('adoption-commune')).toBe('export.table');
    expect(exportAction('adoption-volunteers')).toBe('export.table');
  });

  it('when an export is recorded, then its audit row carries scope, format and row count as plain values', async () => {
    const { db, services, createUser } = createTestContext();
    const leader = await createUser('lanhdao', 'leader');
    await services.exportLog.record({ by: leader, what: 'stalls', format: 'xlsx', scope: 'province:52', rowCount: 12 });
    await services.exportLog.record({
      by: null,
      what: 'adoption-report-commune',
      format: 'pdf',
      scope: 'all',
      rowCount: 3,
    });

    expect(exportRows(db)).toEqual([
      {
        user_id: leader,
        action: 'export.stalls',
        entity: 'export',
        site_id: null,
        changes: {
          what: { after: 'stalls' },
          format: { after: 'xlsx' },
          scope: { after: 'province:52' },
          row_count: { after: 12 },
        },
      },
      expect.objectContaining({ user_id: null, action: 'export.report', site_id: null }),
    ]);
    expect(db.prepare('SELECT count(*) FROM export_log').pluck().get()).toBe(2);
  });

  it('when the export log row cannot be written, then no audit row is either, and the other way round', async () => {
    const { db, data, services } = createTestContext();
    // No such user: the export_log row's foreign key fails.
    await expect(
      services.exportLog.record({ by: 4242, what: 'stalls', format: 'csv', scope: 'all', rowCount: 1 }),
    ).rejects.toThrow(/FOREIGN KEY/);
    const failing = data.transaction(async () => {
      await services.exportLog.record({ by: null, what: 'stalls', format: 'csv', scope: 'all', rowCount: 1 });
      throw new Error('the export failed after it');
    });
    await expect(failing).rejects.toThrow('the export failed after it');
    expect(db.prepare('SELECT count(*) FROM export_log').pluck().get()).toBe(0);
    expect(exportRows(db)).toEqual([]);
  });

  it('when a leader downloads a table of the dashboard, then an export.table row is written for them', async () => {
    const context = await createDemoTestContext();
    const { agent, userId } = await context.loginAs('leader', 'lanhdao.thu');
    await agent.get('/dashboard/table.csv?scope=province:52').expect(200);

    const [row] = exportRows(context.db);
    const logged = context.db.prepare('SELECT what, format, scope, row_count FROM export_log').get() as {
      what: string;
      format: string;
      scope: string;
      row_count: number;
    };
    expect(row).toEqual({
      user_id: userId,
      action: 'export.table',
      entity: 'export',
      site_id: null,
      changes: {
        what: { after: logged.what },
        format: { after: 'csv' },
        scope: { after: logged.scope },
        row_count: { after: logged.row_count },
      },
    });
  });
});
