import jpeg from 'jpeg-js';
import pngjs from 'pngjs';
import type { QrMatrix } from '../../../src/vietqr/index.js';
import { mulberry32 } from '../../../src/demo/prng.js';

/**
 * Test images made in plain JavaScript: a QR drawn from our matrix, then degraded the way phone photos
 * are (scaled, rotated, blurred, on a busy background, JPEG-compressed). Grey levels 0–255 as floats,
 * so each step resamples without rounding until the image is encoded.
 */
export interface GrayImage {
  readonly width: number;
  readonly height: number;
  readonly pixels: Float32Array;
}

function blank(width: number, height: number, value = 255): GrayImage {
  return { width, height, pixels: new Float32Array(width * height).fill(value) };
}

/** mulberry32 (the demo's generator): seeded, so a failing image can be regenerated exactly. */
export { mulberry32 as seededRandom } from '../../../src/demo/prng.js';

/** The matrix at `modulePixels` per module with a white quiet zone of `quiet` modules. */
export function renderMatrix(matrix: QrMatrix, modulePixels: number, quiet = 4): GrayImage {
  const side = (matrix.size + 2 * quiet) * modulePixels;
  const image = blank(side, side);
  for (let y = 0; y < matrix.size; y++) {
    for (let x = 0; x < matrix.size; x++) {
      if (matrix.modules[y * matrix.size + x] !== 1) continue;
      for (let dy = 0; dy < modulePixels; dy++) {
        const row = ((y + quiet) * modulePixels + dy) * side + (x + quiet) * modulePixels;
        image.pixels.fill(0, row, row + modulePixels);
      }
    }
  }
  return image;
}

/** Bilinear sample at a fractional position; outside the image is `outside`. */
function sample(image: GrayImage, x: number, y: number, outside: number): number {
  const x0 = Math.floor(x);
  const y0 = Math.floor(y);
  if (x0 < 0 || y0 < 0 || x0 + 1 >= image.width || y0 + 1 >= image.height) return outside;
  const fx = x - x0;
  const fy = y - y0;
  const i = y0 * image.width + x0;
  const p = image.pixels;
  const top = (p[i] as number) * (1 - fx) + (p[i + 1] as number) * fx;
  const bottom = (p[i + image.width] as number) * (1 - fx) + (p[i + image.width + 1] as number) * fx;
  return top * (1 - fy) + bottom * fy;
}

/** Scaled by any factor (e.g. 0.37 → ~2.2 px per module), bilinear. */
export function resize(image: GrayImage, factor: number): GrayImage {
  const width = Math.max(1, Math.round(image.width * factor));
  const height = Math.max(1, Math.round(image.height * factor));
  const out = blank(width, height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++)
      out.pixels[y * width + x] = sample(image, (x + 0.5) / factor - 0.5, (y + 0.5) / factor - 0.5, 255);
  }
  return out;
}

/** Rotated by `degrees` about its centre onto a canvas large enough to hold it, bilinear. */
export function rotate(image: GrayImage, degrees: number, background = 255): GrayImage {
  const angle = (degrees * Math.PI) / 180;
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  const width = Math.ceil(Math.abs(image.width * cos) + Math.abs(image.height * sin));
  const height = Math.ceil(Math.abs(image.width * sin) + Math.abs(image.height * cos));
  const out = blank(width, height);
  const cx = image.width / 2;
  const cy = image.height / 2;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const dx = x - width / 2;
      const dy = y - height / 2;
      out.pixels[y * width + x] = sample(image, cx + dx * cos + dy * sin, cy - dx * sin + dy * cos, background);
    }
  }
  return out;
}

/** Box blur of the given radius (a (2r+1)² average), horizontal then vertical. */
export function boxBlur(image: GrayImage, radius: number): GrayImage {
  const { width, height } = image;
  const pass = (source: Float32Array, horizontal: boolean): Float32Array => {
    const out = new Float32Array(source.length);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        let sum = 0;
        let count = 0;
        for (let k = -radius; k <= radius; k++) {
          const sx = horizontal ? x + k : x;
          const sy = horizontal ? y : y + k;
          if (sx < 0 || sy < 0 || sx >= width || sy >= height) continue;
          sum += source[sy * width + sx] as number;
          count++;
        }
        out[y * width + x] = sum / count;
      }
    }
    return out;
  };
  return { width, height, pixels: pass(pass(image.pixels, true), false) };
}

/**
 * A busy "table top": a diagonal light gradient with noise, the QR pasted at (left, top) with its
 * white paper multiplied by the local light, as a printed sticker photographed in uneven light would be.
 */
export function onBackground(
  image: GrayImage,
  width: number,
  height: number,
  left: number,
  top: number,
  seed: number,
): GrayImage {
  const random = mulberry32(seed);
  const out = blank(width, height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const light = 0.55 + 0.45 * ((x / width + y / height) / 2);
      const qx = x - left;
      const qy = y - top;
      const inside = qx >= 0 && qy >= 0 && qx < image.width && qy < image.height;
      const base = inside
        ? (image.pixels[qy * image.width + qx] as number)
        : 110 + 60 * Math.sin(x / 37) * Math.cos(y / 53);
      out.pixels[y * width + x] = Math.min(255, Math.max(0, base * light + (random() - 0.5) * 40));
    }
  }
  return out;
}

/** Light modules on dark: a bank app in dark mode. */
export function invert(image: GrayImage): GrayImage {
  return { ...image, pixels: image.pixels.map((v) => 255 - v) };
}

function toRgba(image: GrayImage, alphaFromDarkness = false): Uint8Array {
  const rgba = new Uint8Array(image.width * image.height * 4);
  image.pixels.forEach((value, p) => {
    const v = Math.round(Math.min(255, Math.max(0, value)));
    // For the transparency case: dark modules opaque black, paper fully transparent.
    rgba.set(alphaFromDarkness ? [0, 0, 0, 255 - v] : [v, v, v, 255], p * 4);
  });
  return rgba;
}

export function toPng(image: GrayImage, options: { transparentPaper?: boolean } = {}): Buffer {
  const png = new pngjs.PNG({ width: image.width, height: image.height });
  png.data = Buffer.from(toRgba(image, options.transparentPaper));
  return pngjs.PNG.sync.write(png);
}

export function toJpeg(image: GrayImage, quality: number): Buffer {
  return jpeg.encode({ width: image.width, height: image.height, data: toRgba(image) }, quality).data;
}

/** `parts` pasted onto one white page at their (left, top): e.g. a sticker's payment code and its small check code. */
export function composeImages(
  width: number,
  height: number,
  parts: readonly { image: GrayImage; left: number; top: number }[],
): GrayImage {
  const out = blank(width, height);
  for (const { image, left, top } of parts) {
    for (let y = 0; y < image.height; y++) {
      const row = image.pixels.subarray(y * image.width, (y + 1) * image.width);
      out.pixels.set(row, (top + y) * width + left);
    }
  }
  return out;
}

/** A PNG of only a signature and an IHDR chunk claiming `width` × `height`: what a decompression bomb starts with. */
export function pngHeaderClaiming(width: number, height: number): Buffer {
  const bytes = Buffer.alloc(8 + 25 + 12);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(bytes, 0);
  bytes.writeUInt32BE(13, 8);
  bytes.write('IHDR', 12, 'latin1');
  bytes.writeUInt32BE(width, 16);
  bytes.writeUInt32BE(height, 20);
  bytes.set([8, 6, 0, 0, 0], 24); // 8-bit RGBA, no interlace
  bytes.write('IEND', 8 + 25 + 4, 'latin1');
  return bytes;
}

/** A JPEG of only its start, a JFIF segment and a baseline frame header claiming `width` × `height`. */
export function jpegHeaderClaiming(width: number, height: number): Buffer {
  const jfif = Buffer.from([0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0]);
  const frame = Buffer.from([0xff, 0xc0, 0x00, 0x11, 0x08, 0, 0, 0, 0, 0x03, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
  frame.writeUInt16BE(height, 5);
  frame.writeUInt16BE(width, 7);
  return Buffer.concat([Buffer.from([0xff, 0xd8]), jfif, frame, Buffer.from([0xff, 0xd9])]);
}
