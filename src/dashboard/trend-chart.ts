import type { AdoptionDashboard } from '../adoption/adoption-types.js';
import type { TrendChartInput } from '../charts/trend-chart.js';

/** The chart of a dashboard: its weekly points, its target and, with a deadline, the expected line. */
export function dashboardTrendInput(dashboard: AdoptionDashboard): TrendChartInput {
  const { trend, figures } = dashboard;
  return {
    title: `Tỷ lệ nhận QR — ${figures.scope.name}`,
    targetPercent: Math.round(figures.target.percent ?? figures.coverage.targetPercent),
    points: trend.points.map((p) => ({ weekEnd: p.asOf, percent: p.percent })),
    targets: trend.points.map((p) => (p.targetPercent === null ? null : Math.round(p.targetPercent))),
    expected: trend.schedule ? trend.points.map((p) => p.expectedPercent) : undefined,
  };
}
