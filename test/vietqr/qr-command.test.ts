import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runQrCommand } from '../../src/cli/qr-command.js';
import type { CliIo } from '../../src/cli/cli-io.js';
import { projectRoot } from '../../src/paths.js';
import { tempDir } from '../helpers/temp-dir.js';

const VALID =
  '00020101021238570010A00000072701270006970436011300110012345670208QRIBFTTA' +
  '53037045405500005802VN62230819thanh toan don hang63041459';
const VNPAY =
  '00020101021126280010A000000775011001087990425204597753037045802VN' +
  '5909MYPHAMHER6005HANOI62260311MY PHAM HER0707MPHER0163041C50';

/** Runs the command with captured output, as the `phoqr` dispatcher would with `process` streams. */
async function run(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text), env: {} };
  const code = await runQrCommand(args, io);
  return { code, stdout, stderr };
}

describe('phoqr qr decode', () => {
  it('when given a valid VietQR, then prints its fields as JSON and exits 0', async () => {
    const { code, stdout, stderr } = await run('decode', VALID);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    const report = JSON.parse(stdout) as Record<string, unknown>;
    expect(report).toMatchObject({
      valid: true,
      verdict: 'vietqr',
      payload: VALID,
      problems: [],
      fields: {
        initiation: 'dynamic',
        bin: '970436',
        bank: { code: 'VCB', shortName: 'Vietcombank' },
        account: '0011001234567',
        service: 'account',
        amount: '50000',
        purpose: 'thanh toan don hang',
      },
    });
  });

  it('when the code is damaged, then lists the problems with codes and Vietnamese messages and exits 1', async () => {
    const { code, stdout } = await run('decode', VALID.replace('6304', '6305'));
    expect(code).toBe(1);
    const report = JSON.parse(stdout) as { valid: boolean; problems: Array<{ code: string; message: string }> };
    expect(report.valid).toBe(false);
    expect(report.problems.length).toBeGreaterThan(0);
    for (const problem of report.problems)
      expect(problem).toEqual(
        expect.objectContaining({ code: expect.stringMatching(/^[A-Z_]+$/), message: expect.any(String) }),
      );
  });

  it('when given a VNPAY-QR, then says it is not a VietQR and exits 1', async () => {
    const { code, stdout } = await run('decode', VNPAY);
    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toMatchObject({
      valid: false,
      verdict: 'not_vietqr',
      problems: [{ code: 'NOT_VIETQR' }],
    });
  });

  it.each([
    ['a trailing newline', `${VALID}\n`],
    ['a trailing CRLF and spaces', `  ${VALID} \r\n`],
    ['a BOM', `\uFEFF${VALID}`],
    ['an NBSP', `${VALID}\u00A0`],
    ['zero-width spaces', `\u200B${VALID}\u2060`],
  ])('when the pasted code has %s, then it reads it as the web form does and exits 0', async (_what, pasted) => {
    const { code, stdout } = await run('decode', pasted);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ valid: true, verdict: 'vietqr', payload: VALID });
  });

  it('when given --file with a BOM and a trailing newline, then reads the code from it and exits 0', async () => {
    const file = path.join(tempDir('qr-command'), 'code.txt');
    writeFileSync(file, `\uFEFF${VALID}\r\n`);
    const { code, stdout } = await run('decode', '--file', file);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ valid: true, payload: VALID });
  });

  it('when given a MoMo link, then says it is a MoMo link, not a VietQR, and exits 1', async () => {
    const { code, stdout } = await run('decode', 'https://me.momo.vn/qr3Xy7pTbD');
    expect(code).toBe(1);
    const report = JSON.parse(stdout) as { problems: Array<{ message: string }> };
    expect(report).toMatchObject({ verdict: 'not_vietqr', problems: [{ code: 'NOT_EMV', lookslike: 'momo' }] });
    expect(report.problems[0]?.message).toContain('Đây là liên kết MoMo, không phải mã VietQR chuyển khoản');
  });

  it('when given a link carrying a VietQR, then decodes the code inside and says where it came from', async () => {
    const { code, stdout } = await run('decode', `https://example.vn/pay?qr=${encodeURIComponent(VALID)}`);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({
      valid: true,
      extractedFrom: 'url',
      extractedPayload: VALID,
      note: 'Đã lấy mã VietQR từ trong liên kết.',
      fields: { bin: '970436', account: '0011001234567' },
    });
  });

  it('when given --image, then reads the QR from the photo', async () => {
    const { code, stdout } = await run(
      'decode',
      '--image',
      path.join(projectRoot, 'test', 'fixtures', 'vietqr-dynamic-photo.jpg'),
    );
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({
      valid: true,
      fields: { amount: '35000', bank: { shortName: 'Vietcombank' } },
    });
  });

  it('when the image holds no QR or is not an image, then answers in JSON and exits 1', async () => {
    const file = path.join(tempDir('qr-command'), 'note.txt');
    writeFileSync(file, 'not a picture');
    const { code, stdout } = await run('decode', '--image', file);
    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toMatchObject({ valid: false, payload: null, problems: [{ code: 'UNREADABLE_IMAGE' }] });
  });

  it.each([
    ['no payload', ['decode']],
    ['an unquoted payload split by the shell', ['decode', 'part1', 'part2']],
    ['both a payload and --image', ['decode', VALID, '--image', 'x.png']],
    ['both a payload and --file', ['decode', VALID, '--file', 'x.txt']],
    ['a missing text file', ['decode', '--file', '/nonexistent/qr.txt']],
    ['a missing image file', ['decode', '--image', '/nonexistent/qr.png']],
    ['an unknown option', ['decode', '--bogus', VALID]],
  ])('when given %s, then explains on stderr and exits 2', async (_name, args) => {
    const { code, stdout, stderr } = await run(...args);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.length).toBeGreaterThan(0);
  });
});

describe('phoqr qr encode', () => {
  it('when given a BIN and an account, then prints the static payload and exits 0', async () => {
    const { code, stdout, stderr } = await run('encode', '--bin', '970436', '--account', '0011001234567');
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toBe(
      '00020101021138570010A00000072701270006970436011300110012345670208QRIBFTTA53037045802VN6304E8DB\n',
    );
  });

  it('when given an amount and a purpose, then prints a dynamic payload', async () => {
    const { code, stdout } = await run(
      'encode',
      '--bin',
      '970436',
      '--account',
      '0011001234567',
      '--amount',
      '50000',
      '--purpose',
      'thanh toan don hang',
    );
    expect(code).toBe(0);
    expect(stdout).toBe(`${VALID}\n`);
  });

  it('when given --card, then uses the card service code', async () => {
    const { stdout } = await run('encode', '--bin', '970403', '--account', '9704031101234567', '--card');
    expect(stdout).toBe(
      '00020101021138600010A00000072701300006970403011697040311012345670208QRIBFTTC53037045802VN63044F52\n',
    );
  });

  it('when the purpose has diacritics, then refuses, shows the folded suggestion and exits 2', async () => {
    const { code, stdout, stderr } = await run(
      'encode',
      '--bin',
      '970436',
      '--account',
      '0011001234567',
      '--amount',
      '50000',
      '--purpose',
      'thanh toán đơn hàng',
    );
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('Lỗi (purpose)');
    expect(stderr).toContain('--purpose "thanh toan don hang"');
  });

  it('when several fields are wrong, then names each on stderr and exits 2', async () => {
    const { code, stderr } = await run('encode', '--bin', '97043', '--account', '0011 0012', '--amount', '50.000');
    expect(code).toBe(2);
    expect(stderr).toContain('Lỗi (bin)');
    expect(stderr).toContain('Lỗi (account)');
    expect(stderr).toContain('Lỗi (amount)');
  });

  it('when the BIN is not in the directory, then still prints the payload but warns', async () => {
    const { code, stdout, stderr } = await run('encode', '--bin', '970468', '--account', '0011009950446');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^000201/);
    expect(stderr).toContain('Cảnh báo');
  });

  it.each([
    ['no arguments', ['encode']],
    ['a stray positional', ['encode', '--bin', '970436', '--account', '1', 'extra']],
    ['an option without its value', ['encode', '--bin']],
  ])('when given %s, then exits 2', async (_name, args) => {
    expect((await run(...args)).code).toBe(2);
  });
});

describe('phoqr qr', () => {
  it('prints usage for help and exits 0', async () => {
    const { code, stdout } = await run('--help');
    expect(code).toBe(0);
    expect(stdout).toContain('phoqr qr decode');
  });

  it('exits 2 without a subcommand or with an unknown one', async () => {
    expect((await run()).code).toBe(2);
    expect((await run('print')).code).toBe(2);
  });
});
