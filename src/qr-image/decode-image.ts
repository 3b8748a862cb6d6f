import { imageSize } from 'image-size';
import jpeg from 'jpeg-js';
import jsQR, { type QRCode } from 'jsqr';
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
 *
 * The image's size is read from its header before any pixel is decoded: a small file can claim 30000×30000
 * pixels and would otherwise take gigabytes and a minute to refuse. Every QR code in the photo is looked
 * for and the payment one is chosen, since our own sticker carries a second, small code (its /v/ check).
 */

export type DecodeImageResult =
  | { ok: true; payload: string; payloads: readonly string[]; attempt: DecodeAttempt }
  | { ok: false; reason: DecodeImageFailure; message: string };

/** Why a photo gave no code: not an image we read, too many pixels, no code in it, or too slow to read. */
export type DecodeImageFailure = 'UNREADABLE_IMAGE' | 'TOO_LARGE' | 'NO_QR_FOUND' | 'TOO_SLOW';

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
/**
 * Refuse absurd images before allocating for them: phones take 12–16 MP photos (a 200 MP sensor saves
 * 12 MP by default), and decoding 20 MP already takes ~100 MB of pixel buffers.
 */
export const MAX_MEGAPIXELS = 20;
/** Codes looked for in one image: a sticker has two; a few more cover a photo of a counter with several. */
const MAX_CODES_PER_IMAGE = 4;

/** A photo refused, and why, in words for the volunteer. */
export type ImageRefusal = Extract<DecodeImageResult, { ok: false }>;

const UNREADABLE = (detail: string): ImageRefusal => ({
  ok: false,
  reason: 'UNREADABLE_IMAGE',
  message: `Không đọc được ảnh (${detail}). Hãy dùng ảnh JPEG hoặc PNG.`,
});

const NO_QR: ImageRefusal = {
  ok: false,
  reason: 'NO_QR_FOUND',
  message: 'Không tìm thấy mã QR trong ảnh. Hãy chụp lại gần hơn, đủ sáng, mã nằm trọn trong khung và không bị loá.',
};

const TOO_LARGE = (width: number, height: number): ImageRefusal => ({
  ok: false,
  reason: 'TOO_LARGE',
  message:
    `Ảnh quá lớn (${width} × ${height} điểm ảnh, tối đa ${MAX_MEGAPIXELS} megapixel). ` +
    'Hãy chụp lại bằng máy ảnh thường của điện thoại hoặc chụp màn hình mã QR.',
});

type ImageFormat = 'png' | 'jpeg';

/** What the header says: the format and the size, read without decoding a pixel. */
export type ImageHeader =
  { ok: true; format: ImageFormat; width: number; height: number } | { ok: false; refusal: ImageRefusal };

/**
 * Reads the format and pixel size from the file's header (image-size reads only the header bytes) and
 * refuses what is not a PNG or JPEG, or has more than MAX_MEGAPIXELS: in microseconds, on any thread.
 */
export function readImageHeader(bytes: Uint8Array): ImageHeader {
  let size: ReturnType<typeof imageSize>;
  try {
    size = imageSize(bytes);
  } catch {
    return { ok: false, refusal: UNREADABLE('không phải JPEG hay PNG') };
  }
  const format = size.type === 'png' ? 'png' : size.type === 'jpg' ? 'jpeg' : undefined;
  if (!format) return { ok: false, refusal: UNREADABLE('không phải JPEG hay PNG') };
  const { width, height } = size;
  if (!(width >= 1 && height >= 1)) {
    return { ok: false, refusal: UNREADABLE('ảnh rỗng') };
  }
  if (width * height > MAX_MEGAPIXELS * 1_000_000) {
    return { ok: false, refusal: TOO_LARGE(width, height) };
  }
  return { ok: true, format, width, height };
}

/** A payment code (EMVCo, as VietQR is) begins with its format indicator; our /v/ check code is a URL. */
function isPaymentCode(text: string): boolean {
  return text.startsWith('000201');
}

interface Rgba {
  width: number;
  height: number;
  data: Uint8Array;
}

/** Decodes every pixel: only after readImageHeader has bounded the size. */
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
function locate(gray: Gray, inverted: boolean): QRCode | null {
  try {
    const found = jsQR.default(toRgbaClamped(gray), gray.width, gray.height, {
      inversionAttempts: inverted ? 'invertFirst' : 'dontInvert',
    });
    return found && found.data !== '' ? found : null;
  } catch {
    return null;
  }
}

/**
 * A copy of the image with the found code's box (and a margin for its quiet zone) painted over, so the next
 * search finds another code: jsQR reports one code per image, the most prominent.
 */
function paintOver(gray: Gray, code: QRCode): Gray {
  const { topLeftCorner, topRightCorner, bottomLeftCorner, bottomRightCorner } = code.location;
  const xs = [topLeftCorner.x, topRightCorner.x, bottomLeftCorner.x, bottomRightCorner.x];
  const ys = [topLeftCorner.y, topRightCorner.y, bottomLeftCorner.y, bottomRightCorner.y];
  const margin = Math.ceil(0.15 * Math.max(Math.max(...xs) - Math.min(...xs), Math.max(...ys) - Math.min(...ys)));
  const left = Math.max(0, Math.floor(Math.min(...xs)) - margin);
  const right = Math.min(gray.width - 1, Math.ceil(Math.max(...xs)) + margin);
  const top = Math.max(0, Math.floor(Math.min(...ys)) - margin);
  const bottom = Math.min(gray.height - 1, Math.ceil(Math.max(...ys)) + margin);
  const pixels = new Uint8Array(gray.pixels);
  for (let y = top; y <= bottom; y++) pixels.fill(255, y * gray.width + left, y * gray.width + right + 1);
  return { width: gray.width, height: gray.height, pixels };
}

/** The codes found in one image, most prominent first, stopping at the first payment code. */
function locateAll(gray: Gray, inverted: boolean): string[] {
  const texts: string[] = [];
  let image = gray;
  for (let i = 0; i < MAX_CODES_PER_IMAGE; i++) {
    const code = locate(image, inverted);
    if (!code) break;
    texts.push(code.data);
    if (isPaymentCode(code.data)) break;
    image = paintOver(image, code);
  }
  return texts;
}

/**
 * The text of the payment code in a JPEG or PNG (else of the first code found), every code found, or why
 * there is none. Never throws. CPU-heavy on a large photo: the app runs it in a worker (src/qr-photo/).
 */
export function decodeImage(bytes: Uint8Array): DecodeImageResult {
  const header = readImageHeader(bytes);
  if (!header.ok) return header.refusal;
  let gray: Gray;
  try {
    const image = decodePixels(bytes, header.format);
    // The decoder's size must be the header's: the limit above was checked on the header.
    if (image.width !== header.width || image.height !== header.height) return UNREADABLE('kích thước ảnh sai');
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
  const found: string[] = [];
  let first: DecodeAttempt | undefined;
  for (const { factor, inverted } of attempts) {
    const scaled = downscale(gray, factor);
    const texts = locateAll(scaled, inverted);
    const attempt = { factor, width: scaled.width, height: scaled.height, inverted };
    for (const text of texts) if (!found.includes(text)) found.push(text);
    const payment = texts.find(isPaymentCode);
    if (payment !== undefined) return { ok: true, payload: payment, payloads: found, attempt };
    if (texts.length > 0) first ??= attempt;
  }
  // No payment code at any scale: the first code found, for the caller to say what it is instead.
  if (first) return { ok: true, payload: found[0]!, payloads: found, attempt: first };
  return NO_QR;
}
