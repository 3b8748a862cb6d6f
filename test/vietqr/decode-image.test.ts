import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/paths.js';
import { decodeImage } from '../../src/qr-image/decode-image.js';
import type { DecodeImageResult } from '../../src/qr-image/decode-image.js';
import { decode, encode, qrMatrix } from '../../src/vietqr/index.js';
import {
  boxBlur,
  composeImages,
  invert,
  jpegHeaderClaiming,
  pngHeaderClaiming,
  onBackground,
  renderMatrix,
  resize,
  rotate,
  seededRandom,
  toJpeg,
  toPng,
} from './helpers/images.js';

const STATIC = encode({ bin: '970436', account: '0011001234567' });
const DYNAMIC = encode({
  bin: '970422',
  account: '0123456789',
  initiation: 'dynamic',
  amount: 120000,
  purpose: 'tien hang cho Hoa Lu',
});
const fixture = (name: string) => readFileSync(path.join(projectRoot, 'test', 'fixtures', name));

function payloadOf(result: DecodeImageResult): string | null {
  return result.ok ? result.payload : null;
}

describe('decodeImage reads our own rendering', () => {
  it('from a clean PNG', () => {
    expect(payloadOf(decodeImage(toPng(renderMatrix(qrMatrix(STATIC), 6))))).toBe(STATIC);
  });

  it('from a clean JPEG', () => {
    expect(payloadOf(decodeImage(toJpeg(renderMatrix(qrMatrix(DYNAMIC), 6), 80)))).toBe(DYNAMIC);
  });

  it('from a PNG whose paper is transparent (alpha counts as white)', () => {
    expect(payloadOf(decodeImage(toPng(renderMatrix(qrMatrix(STATIC), 5), { transparentPaper: true })))).toBe(STATIC);
  });

  it('from light modules on dark, as a bank app in dark mode shows it', () => {
    const result = decodeImage(toPng(invert(renderMatrix(qrMatrix(STATIC), 6))));
    expect(result).toMatchObject({ ok: true, payload: STATIC, attempt: { inverted: true } });
  });
});

describe('decodeImage reads degraded photos', () => {
  it('scaled down to ~2.3 pixels per module', () => {
    expect(payloadOf(decodeImage(toPng(resize(renderMatrix(qrMatrix(STATIC), 8), 2.3 / 8))))).toBe(STATIC);
  });

  it.each([
    ['rotated 17°', 17, 0, 90],
    ['rotated 17° and blurred', 17, 1, 90],
    ['rotated 17°, blurred hard, JPEG quality 40', 17, 2, 40],
    ['rotated -33°, blurred, JPEG quality 40', -33, 1, 40],
  ])('%s, on a noisy uneven background', (_name, degrees, blur, quality) => {
    let sticker = rotate(renderMatrix(qrMatrix(DYNAMIC), 8), degrees);
    if (blur > 0) sticker = boxBlur(sticker, blur);
    const photo = onBackground(sticker, 900, 800, 170, 120, 7);
    expect(payloadOf(decodeImage(toJpeg(photo, quality)))).toBe(DYNAMIC);
  });

  it('from a 3200×2400 phone photo, by way of a downscale', () => {
    const sticker = boxBlur(rotate(renderMatrix(qrMatrix(STATIC), 24), 17), 3);
    const photo = toJpeg(onBackground(sticker, 3200, 2400, 1100, 700, 11), 60);
    const result = decodeImage(photo);
    expect(result).toMatchObject({ ok: true, payload: STATIC });
    // The behaviour that keeps it affordable: it read a downscaled copy, not the full 7.7 megapixels.
    expect(result.ok && result.attempt.factor).toBeGreaterThan(1);
  }, 30_000);
});

describe('decodeImage on the fixture images', () => {
  it("reads a PNG drawn by the qrcode package's own renderer", () => {
    const result = decodeImage(fixture('vietqr-static-qrcode.png'));
    expect(result.ok).toBe(true);
    expect(decode(payloadOf(result) ?? '').fields).toMatchObject({
      bin: '970418',
      account: '21510001234567',
      initiation: 'static',
    });
  });

  it('reads the small degraded photo, which then decodes as a valid dynamic VietQR', () => {
    const result = decodeImage(fixture('vietqr-dynamic-photo.jpg'));
    const decoded = decode(payloadOf(result) ?? '');
    expect(decoded.valid).toBe(true);
    expect(decoded.fields).toMatchObject({ amount: '35000', purpose: 'tien rau sap 12', initiation: 'dynamic' });
  });
});

describe('decodeImage says why it found nothing', () => {
  it('"no QR found" for a photo without a code', () => {
    const nothing = { width: 1, height: 1, pixels: new Float32Array(1) };
    const blank = onBackground(nothing, 400, 300, 9999, 9999, 3);
    expect(decodeImage(toJpeg(blank, 60))).toMatchObject({ ok: false, reason: 'NO_QR_FOUND' });
  });

  it('"unreadable image" for bytes that are neither JPEG nor PNG', () => {
    const random = seededRandom(1);
    const bytes = Uint8Array.from({ length: 2000 }, () => Math.floor(random() * 256));
    expect(decodeImage(bytes)).toMatchObject({ ok: false, reason: 'UNREADABLE_IMAGE' });
    expect(decodeImage(new Uint8Array())).toMatchObject({ ok: false, reason: 'UNREADABLE_IMAGE' });
    expect(decodeImage(Buffer.from('GIF89a……'))).toMatchObject({ ok: false, reason: 'UNREADABLE_IMAGE' });
  });

  it('"unreadable image" for a truncated PNG, with a Vietnamese message', () => {
    const png = toPng(renderMatrix(qrMatrix(STATIC), 4));
    const result = decodeImage(png.subarray(0, 60));
    expect(result).toMatchObject({ ok: false, reason: 'UNREADABLE_IMAGE' });
    expect(!result.ok && result.message).toContain('Không đọc được ảnh');
  });

  it('never throws on a JPEG header followed by garbage', () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(500, 0x41)]);
    expect(() => decodeImage(bytes)).not.toThrow();
    expect(decodeImage(bytes).ok).toBe(false);
  });
});

describe('decodeImage reads the size from the header before any pixel', () => {
  it('when a PNG claims 30000 × 30000 pixels, then it is refused as too large without decoding it', () => {
    // The file has no pixel data at all: decoding would fail as a broken PNG, not as a large one.
    const result = decodeImage(pngHeaderClaiming(30_000, 30_000));
    expect(result).toMatchObject({ ok: false, reason: 'TOO_LARGE' });
    expect(result.ok || result.message).toMatch(/^Ảnh quá lớn \(30000 × 30000 điểm ảnh, tối đa 20 megapixel\)/);
  });

  it('when a JPEG claims 7000 × 7000 pixels (49 MP), then it is refused as too large', () => {
    expect(decodeImage(jpegHeaderClaiming(7000, 7000))).toMatchObject({ ok: false, reason: 'TOO_LARGE' });
  });

  it('when a PNG claims 4000 × 5000 pixels (the limit), then it is read and found broken', () => {
    expect(decodeImage(pngHeaderClaiming(4000, 5000))).toMatchObject({ ok: false, reason: 'UNREADABLE_IMAGE' });
  });
});

describe('decodeImage finds every code and chooses the payment one', () => {
  const CHECK_URL = 'https://phoqr.example.vn/v/7K3MX9QT';

  it('when the check code of our sticker is found first, then the search goes on past it to the payment code', () => {
    const payment = renderMatrix(qrMatrix(STATIC), 5);
    const check = renderMatrix(qrMatrix(CHECK_URL), 4);
    // The check code sits above the payment code, as on our sticker; jsQR reports it first here.
    const sticker = composeImages(payment.width + 40, payment.height + check.height + 60, [
      { image: check, left: 20, top: 20 },
      { image: payment, left: 20, top: check.height + 40 },
    ]);
    const result = decodeImage(toPng(sticker));
    expect(result).toMatchObject({ ok: true, payload: STATIC, payloads: [CHECK_URL, STATIC] });
  });

  it('when a photo shows a large check code beside a small payment code, then the payment code is read', () => {
    const check = renderMatrix(qrMatrix(CHECK_URL), 8);
    const payment = renderMatrix(qrMatrix(STATIC), 4);
    const sticker = composeImages(check.width + payment.width + 60, check.height + 40, [
      { image: check, left: 20, top: 20 },
      { image: payment, left: check.width + 40, top: 20 },
    ]);
    const result = decodeImage(toPng(sticker));
    expect(result).toMatchObject({ ok: true, payload: STATIC });
  });

  it('when a photo holds only a code that is not a payment code, then that code is returned to be named', () => {
    const result = decodeImage(toPng(renderMatrix(qrMatrix(CHECK_URL), 6)));
    expect(result).toMatchObject({ ok: true, payload: CHECK_URL, payloads: [CHECK_URL] });
  });
});
