import { describe, expect, it } from 'vitest';
import { crc16, crc16PrintableAscii, crc16Update, CRC_INITIAL, crcHex } from '../../src/vietqr/crc16.js';

/** The textbook bit-by-bit CRC-16/CCITT-FALSE over bytes: the reference the table-driven versions must equal. */
function bitwiseCrc(bytes: Uint8Array): number {
  let crc = 0xffff;
  for (const byte of bytes) {
    crc ^= byte << 8;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}

describe('crc16 (CCITT-FALSE)', () => {
  it('gives the catalogue check value 29B1 for "123456789"', () => {
    expect(crcHex(crc16('123456789'))).toBe('29B1');
  });

  it('gives 4F52 for the NAPAS §6.1.2 body, not the XMODEM, reflected or KERMIT values', () => {
    const body = '00020101021138600010A00000072701300006970403011697040311012345670208QRIBFTTC53037045802VN6304';
    expect(crcHex(crc16(body))).toBe('4F52');
    expect(['28FA', 'A443', '5BBC', 'B1A5', 'AB4D']).not.toContain(crcHex(crc16(body)));
  });

  it('zero-pads to four uppercase hex digits', () => {
    expect(crcHex(0x0283)).toBe('0283');
    expect(crcHex(0x00ab)).toBe('00AB');
    expect(crcHex(0xffff)).toBe('FFFF');
  });

  it('equals the bitwise reference on ASCII of every length around the 4-character stride', () => {
    const text = '00020101021238570010A000000727012700069704360113001100123456';
    for (let length = 0; length <= text.length; length++) {
      const slice = text.slice(0, length);
      expect(crc16(slice)).toBe(bitwiseCrc(new TextEncoder().encode(slice)));
    }
  });

  it('takes non-ASCII text over its UTF-8 bytes, as every peer does', () => {
    for (const text of ['thanh toán đơn hàng', 'Đ', '€ 5', '😀 emoji', 'lone \ud800 surrogate']) {
      expect(crc16(text)).toBe(bitwiseCrc(new TextEncoder().encode(text)));
    }
  });

  it('continues a running CRC across ranges', () => {
    const text = 'abcdefghij';
    expect(crc16Update(crc16Update(CRC_INITIAL, text, 0, 4), text, 4, 10)).toBe(crc16(text));
  });

  it('refuses (-1) a range holding a character outside printable ASCII', () => {
    expect(crc16PrintableAscii('abc\ndef', 7)).toBe(-1);
    expect(crc16PrintableAscii('abcdéfgh', 8)).toBe(-1);
    expect(crc16PrintableAscii('abcd\x7f', 5)).toBe(-1);
    expect(crc16PrintableAscii('abcdéfgh', 4)).toBe(crc16('abcd'));
  });
});
