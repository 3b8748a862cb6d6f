import { describe, expect, it } from 'vitest';
import {
  SEARCH_MAX_CHARS,
  SEARCH_MAX_WORDS,
  searchCutNotice,
  searchQuery,
  searchWords,
} from '../../src/text/search-query.js';

describe('searchQuery caps what a search box sends', () => {
  it('when the query is short, then it is searched as typed, spaces tidied, nothing said', () => {
    expect(searchQuery('  Chợ   Hoa Lư ')).toEqual({ text: 'Chợ Hoa Lư', cut: false });
    expect(searchCutNotice(searchQuery('hoa lu'))).toBe('');
  });

  it('when the query has more words than the cap, then the first ones are kept and the page is told', () => {
    const query = searchQuery(Array.from({ length: 990 }, () => 'a').join(' '));
    expect(query).toEqual({ text: Array(SEARCH_MAX_WORDS).fill('a').join(' '), cut: true });
    expect(searchCutNotice(query)).toBe('Từ khóa quá dài nên chỉ tìm theo "a a a a a a" (tối đa 6 từ, 100 ký tự).');
  });

  it('when the words fit but the text is too long, then it is cut after the last whole word that fits', () => {
    const word = 'x'.repeat(30);
    const query = searchQuery(`${word} ${word} ${word} ${word}`);
    expect(query).toEqual({ text: `${word} ${word} ${word}`, cut: true });
    expect(query.text.length).toBeLessThanOrEqual(SEARCH_MAX_CHARS);
  });

  it('when one word is longer than the cap, then it is cut at the cap', () => {
    expect(searchQuery('y'.repeat(500))).toEqual({ text: 'y'.repeat(SEARCH_MAX_CHARS), cut: true });
  });

  it('when the parameter is not one string (absent, repeated), then the search is empty', () => {
    expect(searchQuery(undefined)).toEqual({ text: '', cut: false });
    expect(searchQuery(['a', 'b'])).toEqual({ text: '', cut: false });
  });

  it('when the text is decomposed (NFD), then it is searched composed (NFC)', () => {
    expect(searchQuery('Lu\u031B').text).toBe('Lư');
  });
});

describe('searchWords bounds every query builder', () => {
  it('when a caller passes a long text, then at most the capped number of folded words come out', () => {
    expect(searchWords('Chợ Hoa Lư')).toEqual(['cho', 'hoa', 'lu']);
    expect(searchWords(Array(1100).fill('b').join(' '))).toHaveLength(SEARCH_MAX_WORDS);
  });
});
