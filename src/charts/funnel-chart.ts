/**
 * The steps from a surveyed stall to a sticker still displayed, as geometry: one row per step, its label and
 * its number on one line and its bar below, every number inside the drawing (the census bar used to push its
 * number past the SVG's edge). Pure: the web page draws it as SVG (funnel-svg.ts), the PDF with pdfkit.
 */

/** The counts drawn (the adoption engine's Funnel has these and more); charts import no feature. */
export interface FunnelCounts {
  readonly census: number;
  readonly hasAccount: number;
  readonly qrVerified: number;
  readonly installed: number;
  readonly stillDisplayed: number;
}

export interface FunnelStep {
  readonly label: string;
  readonly count: number;
  /** Of the census, whole percent rounded down; null for an empty census. */
  readonly percent: number | null;
  /** "349 (82 %)", or "0" for an empty census. */
  readonly value: string;
}

export interface FunnelRow extends FunnelStep {
  /** The row's top; the label's and value's baseline is `textY`, the bar spans barY … barY + barHeight. */
  readonly top: number;
  readonly textY: number;
  readonly barY: number;
  readonly barWidth: number;
}

export interface FunnelGeometry {
  readonly width: number;
  readonly height: number;
  readonly barHeight: number;
  readonly rows: readonly FunnelRow[];
  readonly summary: string;
}

/** Plain words for each step, the same on the page and in the report. */
export function funnelSteps(funnel: FunnelCounts): FunnelStep[] {
  const steps: [string, number][] = [
    ['Sạp đang kinh doanh', funnel.census],
    ['Có tài khoản ngân hàng', funnel.hasAccount],
    ['Đã kiểm tra mã QR', funnel.qrVerified],
    ['Đã dán mã QR', funnel.installed],
    ['Còn dán khi thăm lại', funnel.stillDisplayed],
  ];
  return steps.map(([label, count]) => {
    const percent = funnel.census > 0 ? Math.floor((count * 100) / funnel.census) : null;
    return { label, count, percent, value: percent === null ? String(count) : `${count} (${percent} %)` };
  });
}

/** The web page's funnel: 320 units wide, so at a phone's width a unit is about a CSS pixel. */
export const WEB_FUNNEL_SIZE = { width: 320, rowHeight: 40, fontSize: 13, barHeight: 12 } as const;

export function funnelGeometry(
  funnel: FunnelCounts,
  size: { readonly width: number; readonly rowHeight: number; readonly fontSize: number; readonly barHeight: number },
): FunnelGeometry {
  const steps = funnelSteps(funnel);
  const rows = steps.map((step, i) => {
    const top = i * size.rowHeight;
    const textY = top + size.fontSize;
    const barY = textY + 5;
    const barWidth =
      funnel.census > 0 ? Math.max(step.count > 0 ? 1 : 0, (size.width * step.count) / funnel.census) : 0;
    return { ...step, top, textY, barY, barWidth: Math.round(barWidth * 10) / 10 };
  });
  return {
    width: size.width,
    height: steps.length * size.rowHeight,
    barHeight: size.barHeight,
    rows,
    summary: steps.map((s) => `${s.label}: ${s.value}`).join(', '),
  };
}
