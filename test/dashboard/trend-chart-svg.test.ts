import { describe, expect, it } from 'vitest';
import { trendChartSvg } from '../../src/dashboard/trend-chart-svg.js';

const weeks = ['2026-10-04', '2026-10-11', '2026-10-18', '2026-10-25'];

describe('trendChartSvg', () => {
  it('draws the actual line, the target line and labels the weeks', () => {
    const svg = trendChartSvg({
      title: 'Chợ Hoa Lư',
      targetPercent: 70,
      points: weeks.map((weekEnd, i) => ({ weekEnd, percent: 40 + i * 10 })),
    });
    expect(svg).toMatch(/^<svg class="trend"/);
    expect(svg).toContain('class="actual" d="M46 ');
    expect(svg.match(/<circle/g)).toHaveLength(4);
    expect(svg).toContain('Chỉ tiêu 70%');
    expect(svg).toContain('>04/10<');
    expect(svg).toContain('aria-label="Chợ Hoa Lư: 70% tuần gần nhất, chỉ tiêu 70%"');
    expect(svg).not.toContain('class="expected"');
  });

  it('breaks the line where the census was empty and draws "expected" only when given', () => {
    const svg = trendChartSvg({
      title: 'x',
      targetPercent: 80,
      points: [
        { weekEnd: weeks[0]!, percent: null },
        { weekEnd: weeks[1]!, percent: 20 },
        { weekEnd: weeks[2]!, percent: null },
        { weekEnd: weeks[3]!, percent: 30 },
      ],
      expected: [10, 20, 30, 40],
    });
    const actual = /class="actual" d="([^"]*)"/.exec(svg)![1]!;
    expect(actual.match(/M/g)).toHaveLength(2);
    expect(actual).not.toContain('L');
    expect(svg).toContain('class="expected"');
  });

  it('when the target is the same every week, then its line is flat across the plot', () => {
    const svg = trendChartSvg({
      title: 'x',
      targetPercent: 70,
      points: weeks.map((weekEnd) => ({ weekEnd, percent: 50 })),
      targets: [70, 70, 70, 70],
    });
    expect(svg).toContain('<path class="target" d="M46 69.6L340 69.6"/>');
  });

  it('when the target changed from 70 to 40 between two weeks, then its line steps halfway between them', () => {
    const svg = trendChartSvg({
      title: 'x',
      targetPercent: 40,
      points: weeks.map((weekEnd) => ({ weekEnd, percent: 50 })),
      targets: [70, 70, 40, 40],
    });
    expect(svg).toContain('<path class="target" d="M46 69.6L193 69.6L193 121.2L340 121.2"/>');
    expect(svg).toContain('Chỉ tiêu 40%');
  });

  it('when the first weeks had no census (no target), then the line starts at the first target, not today’s', () => {
    const svg = trendChartSvg({
      title: 'x',
      targetPercent: 40,
      points: weeks.map((weekEnd, i) => ({ weekEnd, percent: i === 0 ? null : 50 })),
      targets: [null, 70, 70, 40],
    });
    expect(svg).toContain('<path class="target" d="M46 69.6L291 69.6L291 121.2L340 121.2"/>');
  });

  it('escapes the title', () => {
    expect(trendChartSvg({ title: '<b>"x"</b>', targetPercent: 70, points: [] })).toContain(
      'aria-label="&lt;b&gt;&quot;x&quot;&lt;/b&gt;: chưa có số liệu',
    );
  });
});
