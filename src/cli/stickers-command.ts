import { createWriteStream } from 'node:fs';
import { parseArgs } from 'node:util';
import { openRegistry } from '../bootstrap.js';
import type { Clock } from '../clock.js';
import { loadConfig } from '../config.js';
import { HttpError, ValidationError } from '../http/errors.js';
import { renderStickers, type RenderResult } from '../sticker-pdf/render-stickers.js';
import { isStickerFormat, STICKER_FORMATS } from '../sticker-pdf/sticker-formats.js';
import { EXIT_OK, EXIT_USAGE, type CliIo } from './cli-io.js';

/** The file could not be written: as any other failure of a command, exit 1. */
const EXIT_FAILED = 1;

const USAGE =
  `Cách dùng: phoqr stickers --site MÃ_ĐỊA_ĐIỂM --format ${STICKER_FORMATS.join('|')} ` +
  `--out TỆP.pdf [--only-unprinted]\n`;

/**
 * A site's stickers from the terminal, as the site page prints them; prints are logged without a user, once
 * the file is completely written. A file that cannot be written records nothing (the error is thrown).
 */
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
    // renderStickers resolves only once the file is whole (written, flushed and closed) and rejects when it
    // cannot be written: only then does the batch count as printed, as a download counts once it finishes.
    let result: RenderResult;
    try {
      result = await renderStickers(data, values.format, out, { title: `Mã QR ${site.name} (${data.length})` });
    } catch (error) {
      out.destroy();
      const reason = error instanceof Error ? error.message : String(error);
      io.stderr(`Không tạo được tệp ${values.out} (${reason}). Chưa ghi nhận lượt in nào.\n`);
      return EXIT_FAILED;
    }
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
