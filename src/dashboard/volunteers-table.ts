import type { VolunteerActivity } from '../adoption/adoption-types.js';
import type { ExportTable } from '../exports/table.js';

/**
 * The dashboard's volunteer activity as an export, in long format for pivoting in Excel: one row per
 * volunteer per ISO week of the window (weeks without a visit included, as 0), volunteers in the
 * engine's order (most visits first), weeks oldest first. The user id stands beside the name; the week
 * is its ISO label with its Monday and Sunday, and "Tính đến" is the last day counted (asOf in its week).
 */
export function volunteersTable(activity: VolunteerActivity): ExportTable {
  return {
    sheetName: 'Tình nguyện viên',
    columns: [
      { header: 'Mã người dùng', width: 12 },
      { header: 'Tình nguyện viên', width: 28 },
      { header: 'Tuần', width: 10 },
      { header: 'Từ ngày', width: 12 },
      { header: 'Đến ngày', width: 12 },
      { header: 'Lượt làm việc', width: 12 },
      { header: 'Sạp mới', width: 10 },
      { header: 'Tính đến', width: 12 },
    ],
    rows: activity.volunteers.flatMap((volunteer) =>
      activity.weeks.map((week, w) => {
        const counts = volunteer.weeks[w] ?? { visits: 0, onboarded: 0 };
        return [
          volunteer.userId,
          volunteer.displayName,
          week.label,
          week.monday,
          week.sunday,
          counts.visits,
          counts.onboarded,
          week.through,
        ];
      }),
    ),
  };
}
