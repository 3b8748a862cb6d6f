import { describe, expect, it } from 'vitest';
import { formatCount, pageHref, paginate, pagerView, parsePageNumber, windowOf } from '../../src/http/pagination.js';

describe('pagination', () => {
  it('when a page number is not a whole number of at least 1, then it is page 1; a huge one is capped', () => {
    for (const raw of [undefined, '', '0', '-2', '1.5', 'abc', ['2'], '000']) expect(parsePageNumber(raw)).toBe(1);
    expect(parsePageNumber('3')).toBe(3);
    expect(parsePageNumber(' 007 ')).toBe(7);
    expect(parsePageNumber('99999999999999999999999')).toBe(1_000_000);
  });

  it('when a page past the end is asked, then the last page is given; an empty list has one empty page', () => {
    expect(paginate(6_644, 1_000_000)).toEqual({
      page: 133,
      pages: 133,
      size: 50,
      total: 6_644,
      offset: 6_600,
      first: 6_601,
      last: 6_644,
    });
    expect(paginate(0, 5)).toMatchObject({ page: 1, pages: 1, offset: 0, first: 0, last: 0 });
    expect(windowOf([1, 2, 3, 4, 5], 2, 2)).toEqual({ rows: [3, 4], pagination: paginate(5, 2, 2) });
  });

  it('when the pager is drawn, then it speaks Vietnamese with vi-VN thousands and keeps the filters', () => {
    const view = pagerView(paginate(6_644, 2), {
      path: '/sites/12',
      query: { q: 'hoa lư', status: '', page: '9' },
      fragment: 'stalls',
      noun: 'sạp',
    });
    expect(view.summary).toBe('Hiển thị 51–100 trên 6.644 sạp');
    expect(view.position).toBe('Trang 2/133');
    expect(view.previousHref).toBe('/sites/12?q=hoa+l%C6%B0#stalls');
    expect(view.nextHref).toBe('/sites/12?q=hoa+l%C6%B0&page=3#stalls');
    expect(pagerView(paginate(6, 1), { path: '/', noun: 'địa điểm' })).toMatchObject({ summary: '6 địa điểm' });
    expect(pageHref({ path: '/admin/users' }, 1)).toBe('/admin/users');
    expect(formatCount(1_000_000)).toBe('1.000.000');
  });
});
