import { createWriteStream } from 'node:fs';
import { parseArgs } from 'node:util';
import { openRegistry } from '../bootstrap.js';
import type { Clock } from '../clock.js';
import { loadConfig } from '../config.js';
import { HttpError, ValidationError } from '../http/errors.js';
import { renderStickers } from '../sticker-pdf/render-stickers.js';
import { isStickerFormat, STICKER_FORMATS } from '../sticker-pdf/sticker-formats.js';
import { EXIT_OK, EXIT_USAGE, type CliIo } from './cli-io.js';

const USAGE =
  `Cách dùng: phoqr stickers --site MÃ_ĐỊA_ĐIỂM --format ${STICKER_FORMATS.join('|')} ` +
  `--out TỆP.pdf [--only-unprinted]\n`;

/** A site's stickers from the terminal, as the site page prints them; prints are logged without a user. */
export async function runStickersCommand(args: string[], io: CliIo, clock: Clock): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      site: { type: 'string' },
      format: { type: 'string', default: 'a4-2x2' },
      out: { type: 'string' },
      'only-unprinted': { type: 'boolean', default: false },
    },
  });
  const siteId = Number(values.site);
  if (!Number.isSafeInteger(siteId) || siteId <= 0 || !values.out || !isStickerFormat(values.format)) {
    io.stderr(USAGE);
    return EXIT_USAGE;
  }
  const config = loadConfig(io.env);
  const { db, services } = openRegistry(config, clock);
  try {
    const { stickers } = services;
    const print = await stickers.forSite(
      null,
      siteId,
      values.format,
      values['only-unprinted'] ? 'unprinted' : 'verified',
    );
    const { site, data } = print;
    const out = createWriteStream(values.out);
    const result = await renderStickers(data, values.format, out, { title: `Mã QR ${site.name} (${data.length})` });
    await print.recordDelivered();
    io.stdout(`Đã ghi ${result.stickers} mã QR của ${site.name} (${result.pages} trang) vào ${values.out}\n`);
    return EXIT_OK;
  } catch (error) {
    if (error instanceof HttpError) {
      io.stderr(
        `${
          error instanceof ValidationError ? Object.values(error.fieldErrors).join(' ') || error.message : error.message
        }\n`,
      );
      return EXIT_USAGE;
    }
    throw error;
  } finally {
    db.close();
  }
}
