import { describe, expect, it } from 'vitest';
import {
  groupAccountNumber,
  HOLDER_CHECK,
  PAYMENT_NETWORK,
  STICKER_TITLE,
  stickerTexts,
} from '../../src/sticker-pdf/index.js';
import { hoaLuSticker } from './helpers/sticker-fixtures.js';

describe('groupAccountNumber', () => {
  it.each([
    ['0011001234567', '0011 0012 3456 7'],
    ['1234567890123456789', '1234 5678 9012 3456 789'],
    ['12345678', '1234 5678'],
    ['123', '123'],
    [' 0011 0012 3456 7 ', '0011 0012 3456 7'],
    ['', ''],
  ])('when the account is "%s", then it prints as "%s"', (account, printed) => {
    expect(groupAccountNumber(account)).toBe(printed);
  });
});

describe('stickerTexts', () => {
  it('when a sticker is printed, then it carries the fixed Vietnamese wording and the network as text', () => {
    const texts = stickerTexts(hoaLuSticker());
    expect(texts.title).toBe('QUÉT MÃ ĐỂ THANH TOÁN');
    expect(texts.title).toBe(STICKER_TITLE);
    expect(texts.holderCheck).toBe(HOLDER_CHECK);
    expect(texts.brand).toBe(PAYMENT_NETWORK);
    expect(texts.brand).toBe('VietQR · NAPAS 247');
  });

  it('when names come decomposed (NFD) or with stray spaces, then they print composed (NFC) and single-spaced', () => {
    const texts = stickerTexts(
      hoaLuSticker(0, {
        siteName: '  Chợ   Hoa Lư '.normalize('NFD'),
        businessName: 'Tạp hóa Kim Dung'.normalize('NFD'),
      }),
    );
    expect(texts.siteName).toBe('Chợ Hoa Lư');
    expect(texts.siteName).toBe(texts.siteName.normalize('NFC'));
    expect(texts.businessName).toBe('Tạp hóa Kim Dung');
  });

  it('when the holder name is given in the bank form, then it prints exactly as given', () => {
    expect(stickerTexts(hoaLuSticker(0, { holderName: 'NGUYEN THI KIM DUNG' })).holderName).toBe('NGUYEN THI KIM DUNG');
  });

  it('when the serial and verification code are given, then they print with their labels', () => {
    const texts = stickerTexts(hoaLuSticker(0, { serial: '52-23575-000123', verificationCode: '7KQ2M9' }));
    expect(texts.serial).toBe('Số tem: 52-23575-000123');
    expect(texts.verificationCode).toBe('Mã xác minh: 7KQ2M9');
  });
});
