/**
 * CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF, no reflection, no final XOR), the checksum of EMV
 * and VietQR payloads (NAPAS v1.0 §5.2.15). Check value for "123456789" is 0x29B1. Reflected
 * (0x8408), XMODEM (init 0) and KERMIT variants give different values and circulate in public code:
 * this one is table-driven and tested against the NAPAS examples.
 */

/** TABLE[v]: the register after byte v passes through it (v · x^16 mod P). */
const TABLE = buildTable();
/**
 * Slice-by-4 tables: T1[v] = v · x^24, T2[v] = v · x^32, T3[v] = v · x^40 (mod P). Four characters then
 * cost four independent look-ups instead of a chain of four dependent ones, which is what bounds a
 * byte-wise CRC; the codec's hot paths run about twice as fast with it.
 */
const T1 = shiftTable(TABLE);
const T2 = shiftTable(T1);
const T3 = shiftTable(T2);

function buildTable(): Uint16Array {
  const table = new Uint16Array(256);
  for (let byte = 0; byte < 256; byte++) {
    let crc = byte << 8;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? (crc << 1) ^ 0x1021 : crc << 1;
    table[byte] = crc & 0xffff;
  }
  return table;
}

/** Each entry advanced by one more zero byte: r · x^8 mod P. */
function shiftTable(previous: Uint16Array): Uint16Array {
  const table = new Uint16Array(256);
  for (let v = 0; v < 256; v++) {
    const r = previous[v] as number;
    table[v] = ((r << 8) & 0xffff) ^ (TABLE[r >>> 8] as number);
  }
  return table;
}

/** The two-character uppercase hex of every byte, so formatting a CRC costs two look-ups. */
const HEX_BYTE: readonly string[] = Array.from({ length: 256 }, (_, b) =>
  b.toString(16).toUpperCase().padStart(2, '0'),
);

export const CRC_INITIAL = 0xffff;

/** Feeds one byte into a running CRC. */
function updateByte(crc: number, byte: number): number {
  return ((crc << 8) ^ (TABLE[((crc >>> 8) ^ byte) & 0xff] as number)) & 0xffff;
}

/**
 * CRC of `text[start, end)` taken over its UTF-8 bytes, continuing from `crc`. ASCII (the only thing our
 * encoder emits) takes the one-line fast path; other characters are UTF-8 encoded inline, which is what
 * every peer does for non-ASCII payloads, so a foreign code with diacritics still checks correctly.
 */
export function crc16Update(crc: number, text: string, start = 0, end = text.length): number {
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) {
      crc = ((crc << 8) ^ (TABLE[((crc >>> 8) ^ c) & 0xff] as number)) & 0xffff;
      continue;
    }
    let codePoint = c;
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < end) {
      const low = text.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        codePoint = 0x10000 + ((c - 0xd800) << 10) + (low - 0xdc00);
        i++;
      }
    }
    // Lone surrogates are encoded as U+FFFD, as TextEncoder does.
    if (codePoint >= 0xd800 && codePoint <= 0xdfff) codePoint = 0xfffd;
    if (codePoint < 0x800) {
      crc = updateByte(crc, 0xc0 | (codePoint >> 6));
    } else if (codePoint < 0x10000) {
      crc = updateByte(crc, 0xe0 | (codePoint >> 12));
      crc = updateByte(crc, 0x80 | ((codePoint >> 6) & 0x3f));
    } else {
      crc = updateByte(crc, 0xf0 | (codePoint >> 18));
      crc = updateByte(crc, 0x80 | ((codePoint >> 12) & 0x3f));
      crc = updateByte(crc, 0x80 | ((codePoint >> 6) & 0x3f));
    }
    crc = updateByte(crc, 0x80 | (codePoint & 0x3f));
  }
  return crc;
}

/**
 * CRC of `text[0, end)` when every character there is printable ASCII (0x20–0x7E), else -1: the decoder's
 * one pass that both checks the EMV character set and computes the checksum of a well-formed payload.
 */
export function crc16PrintableAscii(text: string, end: number): number {
  let crc = CRC_INITIAL;
  let i = 0;
  for (const end4 = end - 3; i < end4; i += 4) {
    const a = text.charCodeAt(i);
    const b = text.charCodeAt(i + 1);
    const c = text.charCodeAt(i + 2);
    const d = text.charCodeAt(i + 3);
    // Negative exactly when some character is below 0x20 or above 0x7E.
    if (((a - 0x20) | (b - 0x20) | (c - 0x20) | (d - 0x20) | (0x7e - a) | (0x7e - b) | (0x7e - c) | (0x7e - d)) < 0)
      return -1;
    const high = crc ^ ((a << 8) | b);
    crc = (T3[high >>> 8] as number) ^ (T2[high & 0xff] as number) ^ (T1[c] as number) ^ (TABLE[d] as number);
  }
  for (; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c > 0x7e) return -1;
    crc = ((crc << 8) ^ (TABLE[((crc >>> 8) ^ c) & 0xff] as number)) & 0xffff;
  }
  return crc;
}

/** CRC-16/CCITT-FALSE of a whole string's UTF-8 bytes. */
export function crc16(text: string): number {
  const ascii = crc16PrintableAscii(text, text.length);
  return ascii >= 0 ? ascii : crc16Update(CRC_INITIAL, text);
}

/** Four uppercase hex digits, zero-padded: 0x0283 → "0283" (peers that forget the padding emit "283"). */
export function crcHex(crc: number): string {
  return (HEX_BYTE[(crc >>> 8) & 0xff] as string) + (HEX_BYTE[crc & 0xff] as string);
}
