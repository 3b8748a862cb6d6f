import jpeg from 'jpeg-js';
import jsQR from 'jsqr';
import pngjs from 'pngjs';

/**
 * Reads a QR code from a JPEG or PNG photo — e.g. the trader's existing bank QR, photographed on the
 * counter or screenshotted from a bank app — and returns its text; the caller then `decode`s it as VietQR.
 *
 * It lives here and not in src/vietqr because it is about pixels, not payment codes: it reads any QR,
 * pulls in image decoders, and is CPU-heavy, while the codec stays small enough to ship to a browser.
 * It is still pure (bytes in, text out, no file system), all in JavaScript from the npm registry.
 *
 * Phone photos are 3000–4000 px; jsQR is slow on those and often fails (its binarizer's blocks are tuned
 * for smaller images), so it is tried on box-averaged downscales first and the original size only when
 * small. Rotation needs no handling (QR is rotation-invariant), so EXIF orientation is ignored.
 */

export type DecodeImageResult =
  | { ok: true; payload: string; attempt: DecodeAttempt }
  | { ok: false; reason: 'UNREADABLE_IMAGE' | 'NO_QR_FOUND'; message: string };

/** Which try found the code: useful in tests and when tuning the sequence. */
export interface DecodeAttempt {
  /** Source pixels per side of one analysed pixel (1 = original size). */
  readonly factor: number;
  readonly width: number;
  readonly height: number;
  readonly inverted: boolean;
}

interface Gray {
  readonly width: number;
  readonly height: number;
  readonly pixels: Uint8Array;
}

/**
 * Longest sides, in pixels, at which jsQR is tried, in order. jsQR's binarizer works on 8-pixel blocks and
 * reads best when a module is ~2–6 px, so the sequence walks down from ~1000 px (a sticker filling a
 * quarter of a phone photo) to ~300 px (a blurred, noisy close-up); 1600 catches a small QR in a big photo.
 */
const TARGET_SIZES = [1000, 600, 400, 1600, 300];
/** Images up to this size are also tried as they are, first. */
const ORIGINAL_MAX = 1600;
/** Refuse absurd images before allocating for them (a 100-megapixel JPEG is not a photo of a sticker). */
const MAX_MEGAPIXELS = 50;

const UNREADABLE = (detail: string): DecodeImageResult => ({
  ok: false,
  reason: 'UNREADABLE_IMAGE',
  message: `Không đọc được ảnh (${detail}). Hãy dùng ảnh JPEG hoặc PNG.`,
});

const NO_QR: DecodeImageResult = {
  ok: false,
  reason: 'NO_QR_FOUND',
  message: 'Không tìm thấy mã QR trong ảnh. Hãy chụp lại gần hơn, đủ sáng, mã nằm trọn trong khung và không bị loá.',
};

type ImageFormat = 'png' | 'jpeg';

function sniffFormat(bytes: Uint8Array): ImageFormat | null {
  if (bytes.length >= 8 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47)
    return 'png';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  return null;
}

interface Rgba {
  width: number;
  height: number;
  data: Uint8Array;
}

function decodePixels(bytes: Uint8Array, format: ImageFormat): Rgba {
  if (format === 'png') {
    const png = pngjs.PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    return { width: png.width, height: png.height, data: png.data };
  }
  const image = jpeg.decode(bytes, {
    useTArray: true,
    formatAsRGBA: true,
    maxResolutionInMP: MAX_MEGAPIXELS,
    maxMemoryUsageInMB: 1024,
  });
  return { width: image.width, height: image.height, data: image.data };
}

/**
 * RGBA → luminance (ITU-R BT.601 weights in fixed point). Transparent pixels count as white, the
 * background a PNG with alpha is shown on.
 */
function toGray(image: Rgba): Gray {
  const { width, height, data } = image;
  const pixels = new Uint8Array(width * height);
  for (let i = 0, p = 0; p < pixels.length; i += 4, p++) {
    const alpha = data[i + 3] as number;
    const y = ((data[i] as number) * 77 + (data[i + 1] as number) * 150 + (data[i + 2] as number) * 29) >> 8;
    pixels[p] = alpha === 255 ? y : (y * alpha + 255 * (255 - alpha)) / 255;
  }
  return { width, height, pixels };
}

/** Averages each factor×factor block: unlike nearest-neighbour it keeps thin module edges from aliasing away. */
function downscale(gray: Gray, factor: number): Gray {
  if (factor === 1) return gray;
  const width = Math.floor(gray.width / factor);
  const height = Math.floor(gray.height / factor);
  const pixels = new Uint8Array(width * height);
  const sums = new Uint32Array(width);
  const area = factor * factor;
  for (let y = 0; y < height; y++) {
    sums.fill(0);
    for (let dy = 0; dy < factor; dy++) {
      const row = (y * factor + dy) * gray.width;
      for (let x = 0, sx = 0; x < width; x++) {
        let sum = 0;
        for (let dx = 0; dx < factor; dx++, sx++) sum += gray.pixels[row + sx] as number;
        sums[x] = (sums[x] as number) + sum;
      }
    }
    for (let x = 0; x < width; x++) pixels[y * width + x] = Math.round((sums[x] as number) / area);
  }
  return { width, height, pixels };
}

/** jsQR wants RGBA. */
function toRgbaClamped(gray: Gray): Uint8ClampedArray {
  const rgba = new Uint8ClampedArray(gray.pixels.length * 4);
  for (let p = 0, i = 0; p < gray.pixels.length; p++, i += 4) {
    const v = gray.pixels[p] as number;
    rgba[i] = v;
    rgba[i + 1] = v;
    rgba[i + 2] = v;
    rgba[i + 3] = 255;
  }
  return rgba;
}

/** Downscale factors to try, best first, without repeats and never below ~200 px. */
function scaleFactors(width: number, height: number): number[] {
  const longest = Math.max(width, height);
  const factors: number[] = [];
  if (longest <= ORIGINAL_MAX) factors.push(1);
  for (const target of TARGET_SIZES) {
    const factor = Math.max(1, Math.round(longest / target));
    if (!factors.includes(factor) && Math.min(width, height) / factor >= 200) factors.push(factor);
  }
  if (factors.length === 0) factors.push(1);
  return factors;
}

/**
 * jsQR on one image. Its internal errors on odd pixel data count as "not found here", so a photo never
 * crashes a form. The inverted try uses 'invertFirst': jsQR 1.4.0's 'onlyInvert' throws (it never builds
 * the inverted image), and the plain pass it adds after the inverted one is cheap next to a photo's decode.
 */
function locate(gray: Gray, inverted: boolean): string | null {
  try {
    const found = jsQR.default(toRgbaClamped(gray), gray.width, gray.height, {
      inversionAttempts: inverted ? 'invertFirst' : 'dontInvert',
    });
    return found && found.data !== '' ? found.data : null;
  } catch {
    return null;
  }
}

/** The text of the first QR code found in a JPEG or PNG, or why there is none. Never throws. */
export function decodeImage(bytes: Uint8Array): DecodeImageResult {
  const format = sniffFormat(bytes);
  if (!format) return UNREADABLE('không phải JPEG hay PNG');
  let gray: Gray;
  try {
    const image = decodePixels(bytes, format);
    if (image.width < 1 || image.height < 1) return UNREADABLE('ảnh rỗng');
    if (image.width * image.height > MAX_MEGAPIXELS * 1_000_000)
      return UNREADABLE(`ảnh lớn hơn ${MAX_MEGAPIXELS} megapixel`);
    gray = toGray(image);
  } catch (error) {
    return UNREADABLE(error instanceof Error ? `ảnh hỏng: ${error.message}` : 'ảnh hỏng');
  }

  const factors = scaleFactors(gray.width, gray.height);
  // Dark-on-light first at every scale (printed stickers); light-on-dark (a bank app in dark mode) once,
  // at the best scale.
  const attempts: Array<{ factor: number; inverted: boolean }> = [
    ...factors.map((factor) => ({ factor, inverted: false })),
    { factor: factors[0] as number, inverted: true },
  ];
  for (const { factor, inverted } of attempts) {
    const scaled = downscale(gray, factor);
    const found = locate(scaled, inverted);
    if (found !== null) {
      return { ok: true, payload: found, attempt: { factor, width: scaled.width, height: scaled.height, inverted } };
    }
  }
  return NO_QR;
}
