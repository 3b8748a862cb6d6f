import { describe, expect, it } from 'vitest';
import { createPhotoReader, PHOTO_READER_DEFAULTS } from '../../src/qr-photo/photo-reader.js';
import { encode, qrMatrix } from '../../src/vietqr/index.js';
import { onBackground, pngHeaderClaiming, renderMatrix, toJpeg, toPng } from '../vietqr/helpers/images.js';

const PAYLOAD = encode({ bin: '970436', account: '0011001234567' });

describe('the photo reader decodes in a child process', () => {
  it('when a phone-sized photo holds a payment code, then the child process returns its payload', async () => {
    const readPhoto = createPhotoReader();
    const photo = toJpeg(onBackground(renderMatrix(qrMatrix(PAYLOAD), 6), 1200, 900, 300, 200, 7), 85);

    await expect(readPhoto(photo)).resolves.toMatchObject({ ok: true, payload: PAYLOAD });
  });

  it('when several photos arrive together, then each gets its own answer', async () => {
    const readPhoto = createPhotoReader({ ...PHOTO_READER_DEFAULTS, atOnce: 1 });
    const payloads = ['0011001234567', '0011009876543', '0011005550001'].map((account) =>
      encode({ bin: '970436', account }),
    );

    const results = await Promise.all(payloads.map((payload) => readPhoto(toPng(renderMatrix(qrMatrix(payload), 5)))));

    expect(results.map((result) => result.ok && result.payload)).toEqual(payloads);
  });

  it('when the header claims too many pixels, then it is refused before any child process starts', async () => {
    // A timeout no worker could meet: reaching a child process would answer TOO_SLOW instead.
    const readPhoto = createPhotoReader({ atOnce: 1, limits: { ...PHOTO_READER_DEFAULTS.limits, timeoutMs: 0 } });

    await expect(readPhoto(pngHeaderClaiming(30_000, 30_000))).resolves.toMatchObject({
      ok: false,
      reason: 'TOO_LARGE',
    });
  });

  it('when the child process runs past its time limit, then the answer says the photo took too long', async () => {
    const readPhoto = createPhotoReader({ atOnce: 1, limits: { ...PHOTO_READER_DEFAULTS.limits, timeoutMs: 0 } });

    const result = await readPhoto(toPng(renderMatrix(qrMatrix(PAYLOAD), 5)));

    expect(result).toMatchObject({ ok: false, reason: 'TOO_SLOW' });
    expect(result.ok || result.message).toMatch(/^Đọc ảnh quá lâu/);
  });
});
