import { encode } from '../../../src/vietqr/index.js';
import type { StickerData } from '../../../src/sticker-pdf/index.js';

/**
 * Stickers from the Chợ Hoa Lư pilot (Gia Lai, Phường Pleiku 23575), with real static VietQR payloads
 * from our encoder. `variant` changes the account and serial so every sticker of a batch differs.
 */

export const HOA_LU_BASE = {
  bankShortName: 'BIDV',
  bankName: 'Ngân hàng TMCP Đầu tư và Phát triển Việt Nam',
  holderName: 'NGUYEN THI KIM DUNG',
  stallLabel: 'Sạp 12 – Dãy B',
  businessName: 'Tạp hóa Kim Dung – Đặc sản Pleiku',
  siteName: 'Chợ Hoa Lư',
  helpLine: 'Hỗ trợ: Đoàn phường Pleiku 0269 3824 567',
} as const;

/** Six unambiguous letters and digits, like the codes the verification page takes. */
function verificationCode(variant: number): string {
  const alphabet = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
  let value = 7_000_003 + variant * 7_919;
  let code = '';
  for (let i = 0; i < 6; i++) {
    code += alphabet[value % alphabet.length];
    value = Math.floor(value / alphabet.length);
  }
  return code;
}

export function hoaLuSticker(variant = 0, overrides: Partial<StickerData> = {}): StickerData {
  const account = String(1_100_123_456_7 + variant * 1_013).padStart(13, '0');
  const code = verificationCode(variant);
  return {
    ...HOA_LU_BASE,
    payload: encode({ bin: '970418', account, service: 'account', initiation: 'static' }),
    accountNumber: account,
    serial: `52-23575-${String(123 + variant).padStart(6, '0')}`,
    verificationCode: code,
    verificationUrl: `https://phoqr.example/v/${code}`,
    ...overrides,
  };
}

/** A batch of `count` distinct stickers. */
export function hoaLuBatch(count: number): StickerData[] {
  return Array.from({ length: count }, (_, i) => hoaLuSticker(i));
}
