import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { loadBankDirectory } from '../banks/bank-directory-file.js';
import { decodeImage, type DecodeImageFailure } from '../qr-image/decode-image.js';
import {
  cleanPastedCode,
  decode,
  EXTRACTED_FROM_LINK_NOTE,
  foldToAscii,
  isPrintableAscii,
  validateVietQrInput,
  encode,
} from '../vietqr/index.js';
import type { Problem, Verdict, VietQrFields, VietQrInput } from '../vietqr/index.js';
import { EXIT_NEGATIVE, EXIT_OK, EXIT_USAGE } from './cli-io.js';
import type { CliIo } from './cli-io.js';

/**
 * `phoqr qr decode PAYLOAD | --image FILE` and `phoqr qr encode --bin B --account A …`.
 * Exit codes (cli-io): 0 a valid VietQR / a payload printed; 1 decoded, but not a valid VietQR (or no QR
 * in the photo); 2 bad usage or input the encoder refuses.
 */

const USAGE = `Cách dùng:
  phoqr qr decode PAYLOAD          Kiểm tra một mã VietQR (đặt PAYLOAD trong dấu nháy), in kết quả JSON
  phoqr qr decode --image FILE     Đọc mã QR từ ảnh JPEG/PNG rồi kiểm tra như trên
  phoqr qr decode --file FILE      Đọc nội dung mã từ tệp văn bản rồi kiểm tra như trên
                                   (dấu cách, xuống dòng, BOM ở hai đầu được bỏ qua, như trên trang web)
  phoqr qr encode --bin BIN --account SỐ_TÀI_KHOẢN [--card] [--amount SỐ_TIỀN] [--purpose NỘI_DUNG] [--dynamic]
                                   In mã VietQR. Mặc định là mã tĩnh (dán tại quầy, không ghi số tiền);
                                   --amount tạo mã động cho một lần thanh toán. --card: chuyển đến số thẻ.
Mã thoát: 0 hợp lệ, 1 không phải VietQR hợp lệ, 2 sai cách dùng hoặc dữ liệu không tạo được mã.
`;

/** The JSON `decode` prints: the decoder's result plus the payload that was read (useful with --image). */
interface DecodeReport {
  valid: boolean;
  verdict: Verdict | null;
  payload: string | null;
  /** Set when the code was taken out of a link: where from, the code itself, and the sentence the web shows. */
  extractedFrom?: 'url';
  extractedPayload?: string;
  note?: string;
  problems: Array<{ code: Problem['code'] | DecodeImageFailure; message: string; path?: string }>;
  fields: Partial<VietQrFields>;
}

export async function runQrCommand(args: string[], io: CliIo): Promise<number> {
  const [subcommand, ...rest] = args;
  try {
    switch (subcommand) {
      case 'decode':
        return await runDecode(rest, io);
      case 'encode':
        return runEncode(rest, io);
      case 'help':
      case '--help':
      case '-h':
        io.stdout(USAGE);
        return EXIT_OK;
      default:
        io.stderr(
          subcommand === undefined
            ? 'Thiếu lệnh con (decode hoặc encode).\n'
            : `Lệnh con không hợp lệ: ${subcommand}.\n`,
        );
        io.stderr(USAGE);
        return EXIT_USAGE;
    }
  } catch (error) {
    // parseArgs rejects unknown options and missing values with a TypeError whose code starts ERR_PARSE_ARGS.
    if (error instanceof TypeError && String((error as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS')) {
      io.stderr(`Tham số không hợp lệ: ${error.message}\n${USAGE}`);
      return EXIT_USAGE;
    }
    throw error;
  }
}

function printJson(io: CliIo, report: DecodeReport): void {
  io.stdout(JSON.stringify(report, null, 2) + '\n');
}

async function runDecode(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { image: { type: 'string' }, file: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    allowPositionals: true,
  });
  if (values.help) {
    io.stdout(USAGE);
    return EXIT_OK;
  }
  const sources = (values.image !== undefined ? 1 : 0) + (values.file !== undefined ? 1 : 0) + positionals.length;
  if (sources > 1 && (values.image !== undefined || values.file !== undefined)) {
    io.stderr('Chỉ đưa một trong PAYLOAD, --image FILE hoặc --file FILE.\n');
    return EXIT_USAGE;
  }
  if (values.image === undefined && values.file === undefined && positionals.length !== 1) {
    io.stderr(
      positionals.length === 0
        ? 'Thiếu PAYLOAD cần kiểm tra.\n'
        : 'PAYLOAD có dấu cách: hãy đặt cả mã trong dấu nháy "…".\n',
    );
    io.stderr(USAGE);
    return EXIT_USAGE;
  }

  let payload: string;
  if (values.image !== undefined) {
    let bytes: Buffer;
    try {
      bytes = await readFile(values.image);
    } catch (error) {
      io.stderr(`Không mở được tệp ảnh ${values.image}: ${error instanceof Error ? error.message : String(error)}\n`);
      return EXIT_USAGE;
    }
    const read = decodeImage(bytes);
    if (!read.ok) {
      printJson(io, {
        valid: false,
        verdict: null,
        payload: null,
        problems: [{ code: read.reason, message: read.message }],
        fields: {},
      });
      return EXIT_NEGATIVE;
    }
    payload = read.payload;
  } else if (values.file !== undefined) {
    try {
      payload = await readFile(values.file, 'utf8');
    } catch (error) {
      io.stderr(`Không mở được tệp ${values.file}: ${error instanceof Error ? error.message : String(error)}\n`);
      return EXIT_USAGE;
    }
  } else {
    payload = positionals[0] as string;
  }

  // The same cleaner as the web form (src/vietqr/pasted.ts): a code copied from a chat or a file with a
  // trailing newline, a BOM or an NBSP reads the same here as there.
  payload = cleanPastedCode(payload);
  const result = decode(payload, { directory: loadBankDirectory() });
  printJson(io, {
    valid: result.valid,
    verdict: result.verdict,
    payload,
    ...(result.extractedFrom && {
      extractedFrom: result.extractedFrom,
      extractedPayload: result.payload as string,
      note: EXTRACTED_FROM_LINK_NOTE,
    }),
    problems: result.problems,
    fields: result.fields,
  });
  return result.valid ? EXIT_OK : EXIT_NEGATIVE;
}

function runEncode(args: string[], io: CliIo): number {
  const { values, positionals } = parseArgs({
    args,
    options: {
      bin: { type: 'string' },
      account: { type: 'string' },
      card: { type: 'boolean', default: false },
      amount: { type: 'string' },
      purpose: { type: 'string' },
      dynamic: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: true,
  });
  if (values.help) {
    io.stdout(USAGE);
    return EXIT_OK;
  }
  if (positionals.length > 0) {
    io.stderr(`Tham số thừa: ${positionals.join(' ')}. Nội dung có dấu cách phải đặt trong dấu nháy.\n`);
    return EXIT_USAGE;
  }
  const input: VietQrInput = {
    bin: values.bin ?? '',
    account: values.account ?? '',
    service: values.card ? 'card' : 'account',
    // A fixed amount only makes sense for one payment, so --amount makes the code dynamic.
    initiation: values.amount !== undefined || values.dynamic ? 'dynamic' : 'static',
    ...(values.amount !== undefined && { amount: values.amount }),
    ...(values.purpose !== undefined && { purpose: values.purpose }),
  };
  const errors = validateVietQrInput(input);
  if (errors.length > 0) {
    for (const error of errors) io.stderr(`Lỗi (${error.field}): ${error.message}\n`);
    // Never fold silently: the trader must see the memo the payer's app will show, so suggest, don't apply.
    const purpose = values.purpose;
    if (purpose !== undefined && !isPrintableAscii(purpose) && isPrintableAscii(foldToAscii(purpose))) {
      io.stderr(`Gợi ý: --purpose "${foldToAscii(purpose)}"\n`);
    }
    return EXIT_USAGE;
  }
  const payload = encode(input);
  if (!loadBankDirectory().byBin(input.bin)) {
    io.stderr(`Cảnh báo: BIN ${input.bin} không có trong danh bạ ngân hàng; hãy kiểm tra lại mã ngân hàng.\n`);
  }
  io.stdout(payload + '\n');
  return EXIT_OK;
}
