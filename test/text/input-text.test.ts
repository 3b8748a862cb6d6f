import { describe, expect, it } from 'vitest';
import { TEXT_FIELDS } from '../../src/http/text-fields.js';
import { pdfFontCanDraw } from '../../src/pdf-text/glyph-coverage.js';
import { foldForSearch } from '../../src/text/fold.js';
import { codePointName, normaliseText, type TextRule } from '../../src/text/input-text.js';

const LINE: TextRule = { name: 'Số sạp', max: 40 };
const NOTE: TextRule = { name: 'Ghi chú', max: 500, multiline: true };
const PRINTED: TextRule = { name: 'Số sạp', max: 40, printed: { canDraw: pdfFontCanDraw, where: 'trên tem' } };

function kept(raw: unknown, rule: TextRule = LINE): string {
  const result = normaliseText(raw, rule);
  if (!result.ok) throw new Error(`refused: ${result.message}`);
  return result.value;
}

function refusal(raw: unknown, rule: TextRule = LINE) {
  const result = normaliseText(raw, rule);
  if (result.ok) throw new Error(`kept: ${JSON.stringify(result.value)}`);
  return result;
}

describe('normaliseText: what is kept', () => {
  it.each([
    ['plain text', 'Sạp 12', 'Sạp 12'],
    ['NFD input', 'Sa\u0323p 12', 'Sạp 12'],
    ['spaces at the ends', '  Sạp 12  ', 'Sạp 12'],
    ['NBSP at the ends', '\u00a0Sạp 12\u00a0', 'Sạp 12'],
    ['a BOM at the start', '\ufeffSạp 12', 'Sạp 12'],
    ['a zero-width space at the end', 'Sạp 12\u200b', 'Sạp 12'],
    ['a word joiner and ZWNJ at the ends', '\u2060Sạp 12\u200c', 'Sạp 12'],
    ['inner whitespace runs', 'Sạp   12 \u00a0 Dãy\u3000B', 'Sạp 12 Dãy B'],
    ['a tab and a newline inside a one-line field', 'Sạp\t12\nDãy B', 'Sạp 12 Dãy B'],
    ['a trailing CRLF', 'Sạp 12\r\n', 'Sạp 12'],
    ['a line separator inside a one-line field', 'Sạp\u202812', 'Sạp 12'],
    ['an en dash and quotes', 'Sạp 12 – “Cô Ba”', 'Sạp 12 – “Cô Ba”'],
    ['an emoji in a field that is not printed', 'Bán cá 🐟', 'Bán cá 🐟'],
    ['exactly the limit', 'ạ'.repeat(40), 'ạ'.repeat(40)],
    ['only spaces (empty)', '   \u00a0 ', ''],
    ['the empty text', '', ''],
  ])('when the input has %s, then it is kept as the normalised text', (_case, raw, expected) => {
    expect(kept(raw)).toBe(expected);
  });

  it('when the field is absent or not a string, then it is the empty text', () => {
    expect(kept(undefined)).toBe('');
    expect(kept(['a', 'b'])).toBe('');
    expect(kept(12)).toBe('');
  });

  it('when a multi-line field has line breaks, then they are kept, CRLF as LF, blank runs as one blank line', () => {
    expect(kept('  Dòng một  \r\nDòng   hai\r\rDòng\tba\n\n\n\nhết \n', NOTE)).toBe(
      'Dòng một\nDòng hai\n\nDòng ba\n\nhết',
    );
  });

  it('when a multi-line field has a tab, then it is whitespace, not refused', () => {
    expect(kept('a\tb', NOTE)).toBe('a b');
  });

  it('when a character outside the BMP is counted, then it counts once (code points, not UTF-16 units)', () => {
    expect(kept('𠀀'.repeat(40))).toBe('𠀀'.repeat(40));
  });
});

describe('normaliseText: what is refused, naming the character', () => {
  it.each([
    ['NUL', 'Sạp\u000012', 'control', 0x0000],
    ['ESC (terminal escape)', '\u001b[31mSạp 12', 'control', 0x001b],
    ['BEL', 'Sạp 12\u0007', 'control', 0x0007],
    ['DEL', 'Sạp\u007f12', 'control', 0x007f],
    ['C1 NEL', 'Sạp\u008512', 'control', 0x0085],
    ['C1 CSI', 'Sạp\u009b12', 'control', 0x009b],
    ['a lone surrogate', 'Sạp \ud800 12', 'control', 0xd800],
    ['RLO (right-to-left override)', '\u202eSạp 12', 'bidi', 0x202e],
    ['LRE', 'Sạp\u202a12', 'bidi', 0x202a],
    ['PDF', 'Sạp 12\u202c', 'bidi', 0x202c],
    ['RLI', 'Sạp\u206712', 'bidi', 0x2067],
    ['PDI', 'Sạp\u206912', 'bidi', 0x2069],
    ['LRM at the end', 'Sạp 12\u200e', 'bidi', 0x200e],
    ['RLM', 'Sạp\u200f12', 'bidi', 0x200f],
    ['the Arabic letter mark', 'Sạp\u061c12', 'bidi', 0x061c],
    ['a zero-width space inside', 'SẠP\u200b DUP 5', 'zero_width', 0x200b],
    ['ZWNJ inside', 'Sạp\u200c12', 'zero_width', 0x200c],
    ['ZWJ inside', 'Sạp\u200d12', 'zero_width', 0x200d],
    ['a word joiner inside', 'Sạp\u206012', 'zero_width', 0x2060],
    ['a BOM inside', 'Sạp\ufeff12', 'zero_width', 0xfeff],
    ['a soft hyphen', 'Sạp\u00ad12', 'format', 0x00ad],
    ['an invisible times', 'Sạp\u206212', 'format', 0x2062],
    ['a tag character', 'Sạp 12\u{e0041}', 'format', 0xe0041],
    ['only zero-width spaces', '\u200b\u200b\u200b', 'invisible_only', 0x200b],
    ['only a BOM and spaces', ' \ufeff ', 'invisible_only', 0xfeff],
    ['only ZWJ', '\u200d', 'invisible_only', 0x200d],
  ])('when the input has %s, then it is refused as %s naming the code point', (_case, raw, kind, codePoint) => {
    const result = refusal(raw);
    expect(result.problem).toEqual({ kind, codePoint });
    expect(result.message).toContain(`(${codePointName(codePoint)})`);
    expect(result.message).toMatch(/— hãy gõ lại\.$/);
  });

  it('when a control character is refused, then the message says so in Vietnamese', () => {
    expect(refusal('a\u001bb').message).toBe('Có ký tự điều khiển không nhìn thấy (U+001B) — hãy gõ lại.');
    expect(refusal('\u202eab').message).toBe('Có ký tự đảo chiều chữ không nhìn thấy (U+202E) — hãy gõ lại.');
    expect(refusal('a\u200bb').message).toBe('Có ký tự không nhìn thấy (U+200B) giữa các chữ — hãy gõ lại.');
    expect(refusal('\u200b').message).toBe('Số sạp chỉ có ký tự không nhìn thấy (U+200B) — hãy gõ lại.');
  });

  it('when a multi-line field has a control character other than a line break or tab, then it is refused', () => {
    expect(refusal('a\nb\u0000', NOTE).problem).toEqual({ kind: 'control', codePoint: 0 });
  });

  it('when the text is over the limit, then it is refused with the limit and the length, never cut', () => {
    const result = refusal('ạ'.repeat(57));
    expect(result.problem).toEqual({ kind: 'too_long', length: 57, max: 40 });
    expect(result.message).toBe('Số sạp dài quá 40 ký tự (đang có 57) — hãy viết ngắn lại.');
  });

  it('when the limit is in the thousands, then the numbers are written the Vietnamese way', () => {
    const result = refusal('a'.repeat(1234), { name: 'Ghi chú', max: 1000 });
    expect(result.message).toBe('Ghi chú dài quá 1.000 ký tự (đang có 1.234) — hãy viết ngắn lại.');
  });

  it('when spaces make a text long, then they are counted after collapsing', () => {
    expect(kept(`${'a'.repeat(20)}${' '.repeat(30)}${'b'.repeat(19)}`)).toHaveLength(40);
  });
});

describe('normaliseText: printed fields and the sticker font', () => {
  it.each([
    ['an emoji', 'Sạp 😀 12', '😀'],
    ['a heart with a variation selector', 'Sạp ❤️', '❤'],
    ['a star', '★ Sạp 12', '★'],
    ['an arrow', 'Dãy A → B', '→'],
    ['a Chinese character', 'Sạp 中', '中'],
  ])('when a printed field has %s, then it is refused naming the character', (_case, raw, character) => {
    const result = refusal(raw, PRINTED);
    expect(result.problem).toMatchObject({ kind: 'unprintable', character });
    expect(result.message).toBe(`Không in được ký tự “${character}” trên tem — hãy bỏ ký tự này.`);
  });

  it.each(['Sạp 12 – Dãy B', 'Ki-ốt A3 (cũ)', 'ĐẶNG THỊ ỰA – “Cô Ba”', 'Số 45/7, 100% • giá ₫ €', 'Tạp hoá Hoà & Hòa'])(
    'when a printed field is Vietnamese with usual punctuation (%s), then it is kept',
    (raw) => {
      expect(kept(raw, PRINTED)).toBe(raw);
    },
  );

  it('when every Vietnamese letter is checked against both weights of the font, then all are drawable', () => {
    const letters = 'aàáảãạăằắẳẵặâầấẩẫậeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹỵđ';
    for (const letter of letters + letters.toUpperCase()) expect(pdfFontCanDraw(letter.codePointAt(0)!)).toBe(true);
  });

  it('when a printed field (label, business, site, holder, campaign name) has an emoji, then it is refused', () => {
    for (const rule of [
      TEXT_FIELDS.stallLabel,
      TEXT_FIELDS.businessName,
      TEXT_FIELDS.siteName,
      TEXT_FIELDS.holderName,
      TEXT_FIELDS.campaignName,
    ]) {
      expect(normaliseText('Sạp 😀', rule)).toMatchObject({ ok: false, problem: { kind: 'unprintable' } });
    }
    expect(normaliseText('Sạp 😀', TEXT_FIELDS.ownerName)).toEqual({ ok: true, value: 'Sạp 😀' });
  });
});

describe('foldForSearch for duplicate checks', () => {
  it.each([
    'SẠP DUP 5',
    'SAP DUP 5',
    'sạp dup 5',
    'Sa\u0323p dup 5',
    'SẠP\u200b DUP 5',
    'S\u200dẠP DUP\u00a05',
    ' SẠP  DUP 5 ',
  ])('when the label is %j, then it folds to "sap dup 5"', (label) => {
    expect(foldForSearch(label)).toBe('sap dup 5');
  });
});
