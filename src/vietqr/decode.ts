import type { BankDirectory, BankEntry } from './banks.js';
import { crc16PrintableAscii, crc16Update, CRC_INITIAL, crcHex } from './crc16.js';
import {
  MAX_ACCOUNT_LENGTH,
  MAX_ADDITIONAL_LENGTH,
  MAX_AMOUNT_DIGITS,
  MAX_MERCHANT_CITY_LENGTH,
  MAX_MERCHANT_NAME_LENGTH,
  NAPAS_GUID,
} from './encode.js';
import { problems as P } from './problems.js';
import type { DecodeResult, Initiation, Problem, ProblemCode, TransferService, VietQrFields } from './types.js';

/**
 * VietQR decoder. It walks every level the lengths define (root → 38 → 38/01, and 62) and requires them
 * to add up exactly — a valid CRC is not a valid payload (the NAPAS spec's own first example is
 * CRC-correct and TLV-broken). It reports every problem it finds rather than the first, accepts tags in
 * any order except 00 first and 63 last, and never throws: a scanned string is untrusted input.
 *
 * Hot path: one pass computes the CRC and checks the character set; each level is walked once by
 * index, recording value offsets in reusable typed arrays; substrings are cut only for values returned.
 */

export interface DecodeOptions {
  /** Fills `fields.bank`; without it `bank` is null. */
  directory?: BankDirectory;
}

/**
 * Offsets of one template level's values by tag ID. Reused across calls (decode is synchronous and calls
 * no user code while walking), so a decode allocates no per-tag objects. A tag is present when its
 * stamp equals the level's current generation, which spares clearing 100 slots per walk.
 */
interface Level {
  readonly stamp: Uint32Array;
  readonly start: Int32Array;
  readonly end: Int32Array;
  generation: number;
  /** Objects read, duplicates included. */
  count: number;
  /** Different IDs read. */
  distinct: number;
  firstId: number;
  lastId: number;
  /** True when the lengths added up to the end of the level. */
  complete: boolean;
}

function createLevel(): Level {
  return {
    stamp: new Uint32Array(100),
    start: new Int32Array(100),
    end: new Int32Array(100),
    generation: 0,
    count: 0,
    distinct: 0,
    firstId: -1,
    lastId: -1,
    complete: false,
  };
}

const ROOT = createLevel();
const MERCHANT_ACCOUNT = createLevel(); // 38
const BENEFICIARY = createLevel(); // 38/01
const ADDITIONAL = createLevel(); // 62

function has(level: Level, id: number): boolean {
  return level.stamp[id] === level.generation;
}

function valueOf(text: string, level: Level, id: number): string {
  return text.slice(level.start[id], level.end[id]);
}

function lengthOf(level: Level, id: number): number {
  return (level.end[id] as number) - (level.start[id] as number);
}

function tagPath(path: string, id: number): string {
  const tag = id < 10 ? `0${id}` : String(id);
  return path === 'root' ? tag : `${path}/${tag}`;
}

/**
 * Reads the TLV objects of `text[from, to)` into `level`. A broken header or a length that runs past the
 * level's end stops the walk (nothing after it can be located); zero lengths and duplicates are reported
 * and the walk goes on. The first occurrence of a duplicated tag is the one kept.
 */
function walk(text: string, from: number, to: number, level: Level, path: string, found: Problem[]): void {
  level.generation = level.generation === 0xffffffff ? 1 : level.generation + 1;
  if (level.generation === 1) level.stamp.fill(0);
  level.count = 0;
  level.distinct = 0;
  level.firstId = -1;
  level.lastId = -1;
  level.complete = false;
  let pos = from;
  while (pos < to) {
    if (to - pos < 4) {
      found.push(P.trailingData(path, to - pos));
      return;
    }
    const i1 = text.charCodeAt(pos) - 48;
    const i2 = text.charCodeAt(pos + 1) - 48;
    const l1 = text.charCodeAt(pos + 2) - 48;
    const l2 = text.charCodeAt(pos + 3) - 48;
    if (i1 < 0 || i1 > 9 || i2 < 0 || i2 > 9 || l1 < 0 || l1 > 9 || l2 < 0 || l2 > 9) {
      found.push(P.tlvHeaderInvalid(path, text.slice(pos, pos + 4), pos));
      return;
    }
    const id = i1 * 10 + i2;
    const length = l1 * 10 + l2;
    const start = pos + 4;
    const end = start + length;
    if (end > to) {
      found.push(P.lengthOverrun(path, text.slice(pos, pos + 2), length, to - start));
      return;
    }
    if (length === 0) found.push(P.zeroLength(tagPath(path, id)));
    if (level.stamp[id] === level.generation) {
      found.push(P.duplicateTag(tagPath(path, id)));
    } else {
      level.stamp[id] = level.generation;
      level.start[id] = start;
      level.end[id] = end;
      level.distinct++;
    }
    if (level.count === 0) level.firstId = id;
    level.lastId = id;
    level.count++;
    pos = end;
  }
  level.complete = true;
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 70) return c - 55;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

/** The CRC written in the last 4 characters (either case), or -1 when they are not hex. */
function writtenCrc(text: string): number {
  let value = 0;
  for (let i = text.length - 4; i < text.length; i++) {
    const nibble = hexValue(text.charCodeAt(i));
    if (nibble < 0) return -1;
    value = (value << 4) | nibble;
  }
  return value;
}

/** True when the payload ends in "6304" + 4 characters: the only place a CRC object may be. */
function hasCrcTrailer(text: string): boolean {
  const n = text.length;
  return (
    n >= 8 &&
    text.charCodeAt(n - 8) === 54 &&
    text.charCodeAt(n - 7) === 51 &&
    text.charCodeAt(n - 6) === 48 &&
    text.charCodeAt(n - 5) === 52
  );
}

/** One problem per kind of bad character, naming the first and the count. */
function reportCharacters(text: string, found: Problem[]): void {
  let nonAscii = 0;
  let firstNonAscii = -1;
  let control = 0;
  let firstControl = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 0x7e) {
      if (nonAscii++ === 0) firstNonAscii = i;
    } else if (c < 0x20) {
      if (control++ === 0) firstControl = i;
    }
  }
  if (nonAscii > 0)
    found.push(P.nonAscii(nonAscii, String.fromCodePoint(text.codePointAt(firstNonAscii) ?? 0xfffd), firstNonAscii));
  if (control > 0) found.push(P.controlCharacter(control, firstControl));
}

/** Checks the character set and the CRC; reports a missing trailer, a malformed or a wrong CRC. */
function checkCharactersAndCrc(text: string, found: Problem[]): void {
  const trailer = hasCrcTrailer(text);
  const covered = trailer ? text.length - 4 : text.length;
  let crc = crc16PrintableAscii(text, covered);
  if (crc < 0) {
    reportCharacters(text, found);
    crc = crc16Update(CRC_INITIAL, text, 0, covered);
  }
  if (!trailer) {
    found.push(P.crcMissing());
    return;
  }
  const written = writtenCrc(text);
  if (written < 0) found.push(P.crcInvalidFormat(text.slice(-4)));
  else if (written !== crc) found.push(P.crcMismatch(text.slice(-4), crcHex(crc)));
}

function isAllDigits(text: string): boolean {
  if (text.length === 0) return false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** Why a tag-54 value is not a VND amount, or null when it is (NAPAS §5.2.6; VND has no minor unit). */
function amountProblem(value: string): string | null {
  if (value.length > MAX_AMOUNT_DIGITS) return `dài quá ${MAX_AMOUNT_DIGITS} ký tự`;
  let dot = -1;
  let nonZero = false;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === 46 && dot < 0) dot = i;
    else if (c < 48 || c > 57) return 'chỉ được gồm chữ số, không có dấu phân cách';
    else if (dot >= 0) return 'tiền đồng không có phần lẻ';
    else if (c !== 48) nonZero = true;
  }
  if (!nonZero) return 'số tiền phải lớn hơn 0';
  return null;
}

/** Why a 38/01/01 value is not an account (or card) number, or null. */
function accountProblem(value: string, service: TransferService | null): string | null {
  if (value.length > MAX_ACCOUNT_LENGTH) return `dài ${value.length} ký tự, tối đa ${MAX_ACCOUNT_LENGTH}`;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    const digit = c >= 48 && c <= 57;
    if (service === 'card' && !digit) return 'số thẻ chỉ gồm chữ số';
    if (!digit && !((c >= 65 && c <= 90) || (c >= 97 && c <= 122))) return 'chỉ được gồm chữ cái không dấu và chữ số';
  }
  return null;
}

function consumerDataRequestValid(value: string): boolean {
  if (value.length > 3) return false;
  let seen = 0;
  for (let i = 0; i < value.length; i++) {
    const bit = value[i] === 'A' ? 1 : value[i] === 'M' ? 2 : value[i] === 'E' ? 4 : 0;
    if (bit === 0 || seen & bit) return false;
    seen |= bit;
  }
  return true;
}

/** Root tags this decoder interprets; any other is kept raw in `unknown`. */
const KNOWN_ROOT_IDS: readonly number[] = [0, 1, 38, 53, 54, 58, 59, 60, 62, 63];
const KNOWN_ROOT = new Uint8Array(100);
for (const id of KNOWN_ROOT_IDS) KNOWN_ROOT[id] = 1;

/** 62 sub-fields with their own property; any other goes to `additional`. */
const NAMED_ADDITIONAL = new Uint8Array(100);
for (const id of [1, 5, 8]) NAMED_ADDITIONAL[id] = 1;

/** Root tag limits (NAPAS Table 1) checked beyond the VietQR core. */
const ROOT_TEXT_LIMITS: ReadonlyArray<readonly [id: number, label: string, max: number]> = [
  [59, 'Tên đơn vị', MAX_MERCHANT_NAME_LENGTH],
  [60, 'Thành phố', MAX_MERCHANT_CITY_LENGTH],
  [61, 'Mã bưu chính', 10],
];

const ADDITIONAL_LABELS = [
  '',
  'Số hoá đơn',
  'Số điện thoại',
  'Tên cửa hàng',
  'Mã khách hàng thân thiết',
  'Mã tham chiếu',
  'Nhãn khách hàng',
  'Mã điểm bán',
  'Nội dung chuyển khoản',
];

/**
 * Problems that only make sense for a VietQR: for another scheme's code (a foreign currency, VNPAY's
 * own rules) they are noise, and the verdict is "not a VietQR".
 */
const VIETQR_PROFILE_CODES: ReadonlySet<ProblemCode> = new Set<ProblemCode>([
  'INITIATION_MISSING',
  'INITIATION_INVALID',
  'CURRENCY_MISSING',
  'CURRENCY_INVALID',
  'COUNTRY_MISSING',
  'COUNTRY_INVALID',
]);

/** Another scheme's code, named when recognisable, so the message says what it is. */
function otherScheme(text: string): string | null {
  if (!has(ROOT, 26)) return null;
  const value = valueOf(text, ROOT, 26);
  if (value.startsWith('0010A000000775')) return 'VNPAY-QR';
  return null;
}

function collectOthers(text: string, level: Level, named: Uint8Array): Record<string, string> {
  const others: Record<string, string> = {};
  for (let id = 0; id < 100; id++) {
    if (has(level, id) && named[id] !== 1) others[id < 10 ? `0${id}` : String(id)] = valueOf(text, level, id);
  }
  return others;
}

/** 00 first and "01", 63 last: the only order rules (NAPAS §5.1); everything else may come in any order. */
function checkOrder(text: string, found: Problem[]): void {
  if (ROOT.count > 0 && ROOT.firstId !== 0) found.push(P.formatIndicatorNotFirst());
  if (has(ROOT, 0) && !(lengthOf(ROOT, 0) === 2 && valueOf(text, ROOT, 0) === '01')) {
    found.push(P.formatIndicatorInvalid(valueOf(text, ROOT, 0)));
  }
  if (ROOT.complete && has(ROOT, 63) && ROOT.lastId !== 63) found.push(P.crcNotLast());
}

/**
 * 01, 53 and 58: static or dynamic, VND, Vietnam. A missing tag is only reported when the walk reached
 * the end of the code; after a broken length it may simply not have been found.
 */
function readInitiation(text: string, found: Problem[]): Initiation | null {
  if (!has(ROOT, 1)) {
    if (ROOT.complete) found.push(P.initiationMissing());
    return null;
  }
  const value = valueOf(text, ROOT, 1);
  if (value === '11') return 'static';
  if (value === '12') return 'dynamic';
  found.push(P.initiationInvalid(value));
  return null;
}

function checkCurrencyAndCountry(text: string, found: Problem[]): void {
  if (has(ROOT, 53)) {
    if (!(lengthOf(ROOT, 53) === 3 && valueOf(text, ROOT, 53) === '704'))
      found.push(P.currencyInvalid(valueOf(text, ROOT, 53)));
  } else if (ROOT.complete) found.push(P.currencyMissing());
  if (has(ROOT, 58)) {
    if (!(lengthOf(ROOT, 58) === 2 && valueOf(text, ROOT, 58) === 'VN'))
      found.push(P.countryInvalid(valueOf(text, ROOT, 58)));
  } else if (ROOT.complete) found.push(P.countryMissing());
}

function readAmount(text: string, found: Problem[]): string | null {
  if (!has(ROOT, 54)) return null;
  const amount = valueOf(text, ROOT, 54);
  const why = amountProblem(amount);
  if (why) found.push(P.amountInvalid(amount, why));
  return amount;
}

/** 52, 59, 60, 61: optional, but held to their EMV formats. */
function checkOptionalRootTags(text: string, found: Problem[]): void {
  if (has(ROOT, 52)) {
    const mcc = valueOf(text, ROOT, 52);
    if (mcc.length !== 4 || !isAllDigits(mcc)) found.push(P.mccInvalid(mcc));
  }
  for (const [id, label, max] of ROOT_TEXT_LIMITS) {
    if (has(ROOT, id) && lengthOf(ROOT, id) > max)
      found.push(P.fieldTooLong(String(id), label, lengthOf(ROOT, id), max));
  }
}

interface AdditionalData {
  purpose: string | null;
  billNumber: string | null;
  referenceLabel: string | null;
  /** Other sub-fields; null when there are none, so the common case allocates no record. */
  others: Record<string, string> | null;
}

/** 62: sub-fields 01–08 at most 25 characters, 09 a set of A/M/E; 08, 01 and 05 by name, the rest raw. */
function readAdditionalData(text: string, found: Problem[]): AdditionalData {
  const data: AdditionalData = { purpose: null, billNumber: null, referenceLabel: null, others: null };
  if (!has(ROOT, 62)) return data;
  walk(text, ROOT.start[62] as number, ROOT.end[62] as number, ADDITIONAL, '62', found);
  for (let id = 1; id <= 8; id++) {
    if (has(ADDITIONAL, id) && lengthOf(ADDITIONAL, id) > MAX_ADDITIONAL_LENGTH) {
      found.push(
        P.fieldTooLong(
          tagPath('62', id),
          ADDITIONAL_LABELS[id] as string,
          lengthOf(ADDITIONAL, id),
          MAX_ADDITIONAL_LENGTH,
        ),
      );
    }
  }
  if (has(ADDITIONAL, 9) && !consumerDataRequestValid(valueOf(text, ADDITIONAL, 9))) {
    found.push(P.consumerDataRequestInvalid(valueOf(text, ADDITIONAL, 9)));
  }
  if (has(ADDITIONAL, 8)) data.purpose = valueOf(text, ADDITIONAL, 8);
  if (has(ADDITIONAL, 1)) data.billNumber = valueOf(text, ADDITIONAL, 1);
  if (has(ADDITIONAL, 5)) data.referenceLabel = valueOf(text, ADDITIONAL, 5);
  const named =
    (data.purpose === null ? 0 : 1) + (data.billNumber === null ? 0 : 1) + (data.referenceLabel === null ? 0 : 1);
  if (ADDITIONAL.distinct > named) data.others = collectOthers(text, ADDITIONAL, NAMED_ADDITIONAL);
  return data;
}

interface Beneficiary {
  bin: string | null;
  account: string | null;
  service: TransferService | null;
}

/** 38 of a VietQR (already walked): GUID present, 38/01 beneficiary, 38/02 a transfer service code. */
function readMerchantAccount(text: string, guid: string | null, found: Problem[]): Beneficiary {
  const level = MERCHANT_ACCOUNT;
  // One object shape for every outcome keeps the caller's property reads monomorphic (a spread here cost 3×).
  const beneficiary: Beneficiary = { bin: null, account: null, service: null };
  if (guid === null && level.complete) found.push(P.guidMissing());
  if (has(level, 2)) {
    const code = valueOf(text, level, 2);
    if (code === 'QRIBFTTA') beneficiary.service = 'account';
    else if (code === 'QRIBFTTC') beneficiary.service = 'card';
    else found.push(P.serviceUnsupported(code));
  } else if (level.complete) found.push(P.serviceMissing());
  if (has(level, 1)) readBeneficiary(text, beneficiary, found);
  else if (level.complete) found.push(P.beneficiaryMissing());
  return beneficiary;
}

/** Decodes a payload. Never throws; `valid` is true only for a VietQR transfer code with no problem. */
export function decode(text: string, options: DecodeOptions = {}): DecodeResult {
  if (typeof text !== 'string') return { valid: false, verdict: 'invalid', fields: {}, problems: [P.notAString()] };
  if (text.length === 0) return { valid: false, verdict: 'invalid', fields: {}, problems: [P.emptyInput()] };
  const found: Problem[] = [];

  checkCharactersAndCrc(text, found);
  walk(text, 0, text.length, ROOT, 'root', found);
  checkOrder(text, found);

  // Tag 38 is NAPAS's slot; a code without it (VNPAY-QR uses 26) or with another GUID in it is not a
  // VietQR. When a broken length hides the rest of the code, neither can be said.
  let guid: string | null = null;
  if (has(ROOT, 38)) {
    walk(text, ROOT.start[38] as number, ROOT.end[38] as number, MERCHANT_ACCOUNT, '38', found);
    if (has(MERCHANT_ACCOUNT, 0)) guid = valueOf(text, MERCHANT_ACCOUNT, 0);
  }
  const foreignGuid = guid !== null && guid !== NAPAS_GUID;
  const isVietQr = has(ROOT, 38) && !foreignGuid;
  const notVietQr = foreignGuid || (!has(ROOT, 38) && ROOT.complete);

  const initiation = readInitiation(text, found);
  checkCurrencyAndCountry(text, found);
  const amount = readAmount(text, found);
  checkOptionalRootTags(text, found);
  const additional = readAdditionalData(text, found);
  const { bin, account, service } = isVietQr
    ? readMerchantAccount(text, guid, found)
    : { bin: null, account: null, service: null };
  if (notVietQr) found.push(P.notVietQr(otherScheme(text)));

  const unknown = ROOT.distinct > countKnownRoot() ? collectOthers(text, ROOT, KNOWN_ROOT) : {};
  const bank: BankEntry | null = bin !== null && options.directory ? (options.directory.byBin(bin) ?? null) : null;
  const merchantName = has(ROOT, 59) ? valueOf(text, ROOT, 59) : null;
  const merchantCity = has(ROOT, 60) ? valueOf(text, ROOT, 60) : null;
  const { purpose, billNumber, referenceLabel } = additional;

  if (found.length === 0 && initiation !== null && bin !== null && account !== null && service !== null) {
    return {
      valid: true,
      verdict: 'vietqr',
      problems: [],
      fields: {
        initiation,
        bin,
        bank,
        account,
        service,
        amount,
        purpose,
        billNumber,
        referenceLabel,
        merchantName,
        merchantCity,
        additional: additional.others ?? {},
        unknown,
      },
    };
  }

  // What could be read, for a UI that shows it beside the problems (e.g. to pre-fill a form).
  const fields: Partial<VietQrFields> = {};
  if (initiation !== null) fields.initiation = initiation;
  if (bin !== null) fields.bin = bin;
  if (bank !== null) fields.bank = bank;
  if (account !== null) fields.account = account;
  if (service !== null) fields.service = service;
  if (amount !== null) fields.amount = amount;
  if (purpose !== null) fields.purpose = purpose;
  if (billNumber !== null) fields.billNumber = billNumber;
  if (referenceLabel !== null) fields.referenceLabel = referenceLabel;
  if (merchantName !== null) fields.merchantName = merchantName;
  if (merchantCity !== null) fields.merchantCity = merchantCity;
  if (additional.others !== null) fields.additional = additional.others;
  if (Object.keys(unknown).length > 0) fields.unknown = unknown;

  if (notVietQr) {
    const emvProblems = found.filter((problem) => !VIETQR_PROFILE_CODES.has(problem.code));
    const verdict = emvProblems.length === 1 ? 'not_vietqr' : 'invalid';
    return { valid: false, verdict, fields, problems: emvProblems };
  }
  return { valid: false, verdict: 'invalid', fields, problems: found };
}

function countKnownRoot(): number {
  let known = 0;
  for (const id of KNOWN_ROOT_IDS) if (has(ROOT, id)) known++;
  return known;
}

/** 38/01: BIN (00) and account (01), and nothing else — a service code nested here is a known peer bug. */
function readBeneficiary(text: string, beneficiary: Beneficiary, found: Problem[]): void {
  const level = BENEFICIARY;
  walk(text, MERCHANT_ACCOUNT.start[1] as number, MERCHANT_ACCOUNT.end[1] as number, level, '38/01', found);
  if (has(level, 0)) {
    const bin = valueOf(text, level, 0);
    if (bin.length !== 6 || !isAllDigits(bin)) found.push(P.binInvalid(bin));
    beneficiary.bin = bin;
  } else if (level.complete) found.push(P.binMissing());
  if (has(level, 1)) {
    const account = valueOf(text, level, 1);
    const why = accountProblem(account, beneficiary.service);
    if (why) found.push(P.accountInvalid(account, why));
    beneficiary.account = account;
  } else if (level.complete) found.push(P.accountMissing());
  const expected = (has(level, 0) ? 1 : 0) + (has(level, 1) ? 1 : 0);
  if (level.distinct > expected) {
    for (let id = 2; id < 100; id++) {
      if (!has(level, id)) continue;
      const hint =
        id === 2
          ? ' (mã dịch vụ phải nằm ngay trong trường 38, cạnh 38/01)'
          : ' (38/01 chỉ gồm mã BIN 00 và số tài khoản 01)';
      found.push(P.unexpectedTag(tagPath('38/01', id), hint));
    }
  }
}
