import { describe, expect, it } from 'vitest';
import { funnelGeometry, funnelSteps, WEB_FUNNEL_SIZE } from '../../src/charts/funnel-chart.js';
import { funnelSvg } from '../../src/dashboard/funnel-svg.js';

const FUNNEL = {
  census: 421,
  hasAccount: 349,
  qrVerified: 317,
  installed: 294,
  followedUp: 200,
  stillDisplayed: 166,
  refused: 47,
  refusals: { prefers_cash: 24, no_smartphone: 8, fears_fraud: 8, no_bank_account: 4, other: 3 },
};

describe('the funnel', () => {
  it('when drawn, then every step has its label and its number with the share of the census', () => {
    expect(funnelSteps(FUNNEL).map((s) => `${s.label}: ${s.value}`)).toEqual([
      'Sạp đang kinh doanh: 421 (100 %)',
      'Có tài khoản ngân hàng: 349 (82 %)',
      'Đã kiểm tra mã QR: 317 (75 %)',
      'Đã dán mã QR: 294 (69 %)',
      'Còn dán khi thăm lại: 166 (39 %)',
    ]);
  });

  it('when drawn, then the census bar spans the drawing and no bar or number goes past its edge', () => {
    const chart = funnelGeometry(FUNNEL, WEB_FUNNEL_SIZE);
    expect(chart.rows[0]!.barWidth).toBe(chart.width);
    for (const row of chart.rows) {
      expect(row.barWidth).toBeLessThanOrEqual(chart.width);
      expect(row.barY + chart.barHeight).toBeLessThanOrEqual(chart.height);
    }
    const svg = funnelSvg(FUNNEL);
    // Numbers are right-aligned at the drawing's right edge, inside the view box.
    expect(svg).toContain(`viewBox="0 0 ${chart.width} ${chart.height}"`);
    expect(svg.match(new RegExp(`x="${chart.width}" y="\\d+" text-anchor="end"`, 'g'))).toHaveLength(5);
    expect(svg).toContain('>421 (100 %)</text>');
    expect(svg).not.toContain('Phễu');
  });

  it('when nobody is surveyed yet, then the numbers are 0 and no bar is drawn', () => {
    const empty = { census: 0, hasAccount: 0, qrVerified: 0, installed: 0, stillDisplayed: 0 };
    const chart = funnelGeometry(empty, WEB_FUNNEL_SIZE);
    expect(chart.rows.map((r) => [r.value, r.barWidth])).toEqual(Array.from({ length: 5 }, () => ['0', 0]));
  });
});
