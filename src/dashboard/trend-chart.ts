import type { AdoptionDashboard } from '../adoption/adoption-types.js';
import type { TargetsSet } from '../adoption/sites-behind.js';
import type { TrendChartInput } from '../charts/trend-chart.js';

/**
 * The chart of a dashboard: its weekly points, its target and, with a deadline, the expected line. When the
 * scope's sites have different targets (`targets` a range), the line is the level at which the whole scope
 * is đạt, labelled as such rather than as a "Chỉ tiêu" nobody set.
 */
export function dashboardTrendInput(dashboard: AdoptionDashboard, targets: TargetsSet | null = null): TrendChartInput {
  const { trend, figures } = dashboard;
  const targetPercent = Math.round(figures.target.percent ?? figures.coverage.targetPercent);
  const mixed = targets !== null && targets.min !== targets.max;
  return {
    title: `Tỷ lệ nhận QR — ${figures.scope.name}`,
    targetPercent,
    targetLabel: mixed ? `Mức cần đạt chung ${targetPercent}%` : undefined,
    points: trend.points.map((p) => ({ weekEnd: p.asOf, percent: p.percent })),
    targets: trend.points.map((p) => (p.targetPercent === null ? null : Math.round(p.targetPercent))),
    expected: trend.schedule ? trend.points.map((p) => p.expectedPercent) : undefined,
  };
}
