import { CHEAP_DEMO_HASHES } from '../helpers/db.js';
import { describe, expect, it } from 'vitest';
import { adoptionOn } from '../adoption/adoption-on.js';
import type { ScopeInfo, VolunteerActivity } from '../../src/adoption/adoption-types.js';
import { volunteersTable } from '../../src/dashboard/volunteers-table.js';
import { seedDemo } from '../../src/demo/demo-seed.js';
import { toCsv } from '../../src/exports/table.js';
import { createTestContext } from '../helpers/app.js';
import { WHOLE_COUNTRY } from '../../src/vocabulary/reach.js';

const SCOPE: ScopeInfo = {
  kind: 'commune',
  key: '23575',
  name: 'Phường Pleiku',
  province: { code: '52', name: 'Gia Lai' },
  commune: { code: '23575', name: 'Phường Pleiku' },
  limited: false,
  parents: [{ kind: 'province', code: '52', name: 'Gia Lai' }],
};

const ACTIVITY: VolunteerActivity = {
  scope: SCOPE,
  asOf: '2026-11-19',
  weeks: [
    {
      label: '2026-W46',
      monday: '2026-11-09',
      sunday: '2026-11-15',
      through: '2026-11-15',
      visits: 5,
      onboarded: 2,
      activeVolunteers: 2,
    },
    {
      label: '2026-W47',
      monday: '2026-11-16',
      sunday: '2026-11-22',
      through: '2026-11-19',
      visits: 3,
      onboarded: 0,
      activeVolunteers: 1,
    },
  ],
  volunteers: [
    {
      userId: 14,
      displayName: 'Võ Hoàng Nhân',
      weeks: [
        { visits: 4, onboarded: 2 },
        { visits: 3, onboarded: 0 },
      ],
      visits: 7,
      onboarded: 2,
      activeWeeks: 2,
    },
    {
      userId: 13,
      displayName: 'Huỳnh Thị Kim Ngân',
      weeks: [
        { visits: 1, onboarded: 0 },
        { visits: 0, onboarded: 0 },
      ],
      visits: 1,
      onboarded: 0,
      activeWeeks: 1,
    },
  ],
};

describe('volunteersTable', () => {
  it(
    'has one row per volunteer per week: user id beside the name, ' +
      'the ISO week with its Monday and Sunday, visits and onboarded',
    () => {
      const table = volunteersTable(ACTIVITY);
      expect(table.columns.map((c) => c.header)).toEqual([
        'Mã người dùng',
        'Tình nguyện viên',
        'Tuần',
        'Từ ngày',
        'Đến ngày',
        'Lượt làm việc',
        'Sạp mới',
        'Tính đến',
      ]);
      expect(table.rows).toEqual([
        [14, 'Võ Hoàng Nhân', '2026-W46', '2026-11-09', '2026-11-15', 4, 2, '2026-11-15'],
        [14, 'Võ Hoàng Nhân', '2026-W47', '2026-11-16', '2026-11-22', 3, 0, '2026-11-19'],
        [13, 'Huỳnh Thị Kim Ngân', '2026-W46', '2026-11-09', '2026-11-15', 1, 0, '2026-11-15'],
        [13, 'Huỳnh Thị Kim Ngân', '2026-W47', '2026-11-16', '2026-11-22', 0, 0, '2026-11-19'],
      ]);
      expect(
        toCsv(table).startsWith(
          '\uFEFFMã người dùng,Tình nguyện viên,Tuần,Từ ngày,Đến ngày,Lượt làm việc,Sạp mới,Tính đến\r\n',
        ),
      ).toBe(true);
    },
  );

  it('without volunteer activity has the headers and no rows', () => {
    const table = volunteersTable({ ...ACTIVITY, volunteers: [] });
    expect(table.rows).toEqual([]);
    expect(toCsv(table).split('\r\n')).toEqual([
      '\uFEFFMã người dùng,Tình nguyện viên,Tuần,Từ ngày,Đến ngày,Lượt làm việc,Sạp mới,Tính đến',
      '',
    ]);
  });

  it('for the demo province: volunteers × weeks rows, adding up to the engine’s weekly totals', async () => {
    const context = createTestContext();
    await seedDemo(context.data, context.clock, CHEAP_DEMO_HASHES);
    const activity = await adoptionOn(context.db).volunteerActivity(
      WHOLE_COUNTRY,
      { kind: 'province', code: '52' },
      '2026-11-22',
      4,
    );
    expect(activity.volunteers.length).toBeGreaterThan(0);
    const table = volunteersTable(activity);
    expect(table.rows).toHaveLength(activity.volunteers.length * activity.weeks.length);
    for (const week of activity.weeks) {
      const rows = table.rows.filter((row) => row[2] === week.label);
      expect(rows.reduce((sum, row) => sum + (row[5] as number), 0)).toBe(week.visits);
      expect(rows.reduce((sum, row) => sum + (row[6] as number), 0)).toBe(week.onboarded);
      expect(rows.filter((row) => (row[5] as number) > 0)).toHaveLength(week.activeVolunteers);
    }
    for (const volunteer of activity.volunteers) {
      const rows = table.rows.filter((row) => row[0] === volunteer.userId);
      expect(rows.every((row) => row[1] === volunteer.displayName)).toBe(true);
      expect(rows.reduce((sum, row) => sum + (row[5] as number), 0)).toBe(volunteer.visits);
      expect(rows.reduce((sum, row) => sum + (row[6] as number), 0)).toBe(volunteer.onboarded);
    }
  });
});
