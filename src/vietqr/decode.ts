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
import { embeddedPayloads, recognise } from './recognise.js';
import type {
  DecodeResult,
  Initiation,
  Problem,
  ProblemCode,
  TipOrFee,
  TransferService,
  VietQrFields,
} from './types.js';

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
const LANGUAGE = createLevel(); // 64

/**
 * True while decoding a text with characters outside the BMP (emoji…): lengths then count code points,
 * not UTF-16 units. EMVCo counts characters for S-format fields (VIETQR.md §1, S5), and the only place
 * such characters may legally appear is template 64; the CRC is over UTF-8 bytes either way (crc16.ts).
 * Set once per decode, before any walk; the common all-ASCII text never pays for it.
 */
let countCodePoints = false;

/** Index `count` characters (code points) after `start`, or Infinity when `to` comes first. */
function advance(text: string, start: number, count: number, to: number): number {
  let pos = start;
  for (let n = 0; n < count; n++) {
    if (pos >= to) return Infinity;
    const c = text.charCodeAt(pos);
    pos += c >= 0xd800 && c <= 0xdbff && pos + 1 < to ? 2 : 1;
  }
  return pos;
}

/** Characters (code points) in `text[from, to)`. */
function charLength(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (!(
      c >= 0xdc00 &&
      c <= 0xdfff &&
      i > from &&
      text.charCodeAt(i - 1) >= 0xd800 &&
      text.charCodeAt(i - 1) <= 0xdbff
    ))
      n++;
  }
  return n;
}

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
  const tag = tagId(id);
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
    const end = countCodePoints ? advance(text, start, length, to) : start + length;
    if (end > to) {
      found.push(P.lengthOverrun(path, text.slice(pos, pos + 2), length, charLength(text, start, to)));
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

/**
 * One problem per kind of bad character, naming the first and the count. Characters outside ASCII are
 * allowed in the value of template 64 (`[unicodeFrom, unicodeTo)`), the one place EMVCo and NAPAS allow
 * S-format text (merchant name and city in another language); control characters are allowed nowhere.
 */
function reportCharacters(text: string, found: Problem[], unicodeFrom: number, unicodeTo: number): void {
  let nonAscii = 0;
  let firstNonAscii = -1;
  let control = 0;
  let firstControl = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 0x7e) {
      if (i >= unicodeFrom && i < unicodeTo && c !== 0x7f) continue;
      if (nonAscii++ === 0) firstNonAscii = i;
    } else if (c < 0x20) {
      if (control++ === 0) firstControl = i;
    }
  }
  if (nonAscii > 0)
    found.push(P.nonAscii(nonAscii, String.fromCodePoint(text.codePointAt(firstNonAscii) ?? 0xfffd), firstNonAscii));
  if (control > 0) found.push(P.controlCharacter(control, firstControl));
}

/** The CRC over everything before the written one, and whether that part was all printable ASCII. */
function computeCrc(text: string): { crc: number; plain: boolean } {
  const covered = hasCrcTrailer(text) ? text.length - 4 : text.length;
  const crc = crc16PrintableAscii(text, covered);
  if (crc >= 0) return { crc, plain: true };
  return { crc: crc16Update(CRC_INITIAL, text, 0, covered), plain: false };
}

/** Reports a missing trailer, a malformed or a wrong CRC. */
function checkCrc(text: string, crc: number, found: Problem[]): void {
  const trailer = hasCrcTrailer(text);
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

/**
 * Why an amount (54, or the fixed fee 56) is not one, or null when it is. EMVCo: digits and at most one
 * ".", at most 13 characters. `vnd` adds the VietQR rule that VND has no minor unit (NAPAS §5.2.6), so
 * "12.50" is refused in a VietQR but fine in a foreign code (THB, SGD, BRL… have two decimals).
 */
function amountProblem(value: string, vnd: boolean): string | null {
  if (value.length > MAX_AMOUNT_DIGITS) return `dài quá ${MAX_AMOUNT_DIGITS} ký tự`;
  let dot = -1;
  let nonZero = false;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === 46 && dot < 0) dot = i;
    else if (c < 48 || c > 57) return 'chỉ được gồm chữ số, không có dấu phân cách';
    else if (dot >= 0 && vnd) return 'tiền đồng không có phần lẻ';
    else if (c !== 48) nonZero = true;
  }
  if (!nonZero) return 'số tiền phải lớn hơn 0';
  return null;
}

/** EMVCo 57: a percentage from "00.01" to "99.99" (at most 5 characters, no "%"). */
function percentageProblem(value: string): string | null {
  if (!/^\d{1,2}(?:\.\d{0,2})?$/.test(value)) return 'phải là số phần trăm dạng 00.01–99.99, không có dấu %';
  const percent = Number(value);
  if (!(percent >= 0.01 && percent <= 99.99)) return 'phải từ 00.01 đến 99.99';
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
const KNOWN_ROOT_IDS: readonly number[] = [0, 1, 38, 53, 54, 55, 56, 57, 58, 59, 60, 62, 63];
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
  'COUNTRY_MISSING',
]);

/**
 * Other schemes' merchant-account GUIDs (tags 26–51), by the name a volunteer may know. A code with none
 * of these and no NAPAS 38 is still "not a VietQR", just without a name.
 */
const SCHEME_GUIDS: ReadonlyArray<readonly [prefix: string, name: string]> = [
  ['A000000775', 'VNPAY-QR'],
  ['VN.AIRPAY.WWW', 'ShopeePay/AirPay'],
  ['A000000677010111', 'PromptPay (Thái Lan)'],
  ['A000000677010112', 'PromptPay (Thái Lan)'],
  ['A000000677', 'PromptPay (Thái Lan)'],
  ['BR.GOV.BCB.PIX', 'PIX (Brasil)'],
  ['ID.CO.QRIS.WWW', 'QRIS (Indonesia)'],
  ['ID.CO.', 'QRIS (Indonesia)'],
  ['COM.NOBUBANK.WWW', 'QRIS (Indonesia)'],
  ['SG.COM.NETS', 'SGQR (Singapore)'],
  ['SG.PAYNOW', 'PayNow/SGQR (Singapore)'],
  ['SG.', 'SGQR (Singapore)'],
  ['A0000006150001', 'DuitNow (Malaysia)'],
  ['MY.', 'DuitNow (Malaysia)'],
  ['PH.PPMI', 'QR Ph (Philippines)'],
  ['NG.COM.NIBSS', 'NQR (Nigeria)'],
  ['KH.', 'KHQR (Campuchia)'],
  ['A000000632', 'LAPNet (Lào)'],
];

/** A 2-digit tag ID as written. */
function tagId(id: number): string {
  return id < 10 ? `0${id}` : String(id);
}

/** Another scheme's code, named when recognisable, so the message says what it is. */
function otherScheme(text: string): string | null {
  for (let id = 26; id <= 51; id++) {
    if (!has(ROOT, id)) continue;
    const value = valueOf(text, ROOT, id);
    // 00 holds the GUID (an AID or a reverse domain name), e.g. "0010A000000775…".
    if (!value.startsWith('00') || value.length < 4) continue;
    const length = Number(value.slice(2, 4));
    const guid = value.slice(4, 4 + length).toUpperCase();
    for (const [prefix, name] of SCHEME_GUIDS) if (guid.startsWith(prefix)) return name;
  }
  if (has(ROOT, 26) && valueOf(text, ROOT, 26).startsWith('000200')) return 'hoá đơn điện EVN';
  if (has(ROOT, 58)) {
    const country = valueOf(text, ROOT, 58);
    if (country !== 'VN' && /^[A-Z]{2}$/.test(country)) return `mã QR nước ngoài, quốc gia ${country}`;
  }
  for (let id = 2; id <= 25; id++) if (has(ROOT, id)) return 'mã QR của tổ chức thẻ quốc tế';
  return null;
}

/** NAPAS services in 38/02 that are not transfers (S3): QRPUSH pays a merchant, QRCASH withdraws cash. */
const NAPAS_OTHER_SERVICES: Readonly<Record<string, string>> = {
  QRPUSH: 'NAPAS QRPUSH, thanh toán cho cửa hàng',
  QRCASH: 'NAPAS QRCASH, rút tiền tại ATM',
};

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

/** 53 and 58: VND and Vietnam in a VietQR; in another scheme's code only their EMVCo formats (N 3, 2 letters). */
function checkCurrencyAndCountry(text: string, vietQr: boolean, found: Problem[]): void {
  if (has(ROOT, 53)) {
    const currency = valueOf(text, ROOT, 53);
    if (vietQr ? currency !== '704' : !(currency.length === 3 && isAllDigits(currency)))
      found.push(P.currencyInvalid(currency, vietQr));
  } else if (ROOT.complete) found.push(P.currencyMissing());
  if (has(ROOT, 58)) {
    const country = valueOf(text, ROOT, 58);
    if (vietQr ? country !== 'VN' : !/^[A-Za-z]{2}$/.test(country)) found.push(P.countryInvalid(country, vietQr));
  } else if (ROOT.complete) found.push(P.countryMissing());
}

function readAmount(text: string, vietQr: boolean, found: Problem[]): string | null {
  if (!has(ROOT, 54)) return null;
  const amount = valueOf(text, ROOT, 54);
  const why = amountProblem(amount, vietQr);
  if (why) found.push(P.amountInvalid(amount, why));
  return amount;
}

/**
 * 55/56/57 as EMVCo MPM defines them (NAPAS §5.2.7–5.2.9 repeats it): 55 "01" = the payer's app prompts
 * for a tip (no 56, no 57); "02" = a fixed fee, 56 present (an amount), 57 absent; "03" = a percentage
 * fee, 57 present ("00.01"–"99.99"), 56 absent. 56 or 57 without the matching 55 is a problem, and so is
 * any other 55. A code that follows these rules is a valid VietQR: what a sticker may carry is the
 * onboarding's policy (account-source.ts refuses any tip or fee there), not the codec's.
 */
function readTipOrFee(text: string, vietQr: boolean, found: Problem[]): TipOrFee | null {
  const fixed = has(ROOT, 56) ? valueOf(text, ROOT, 56) : null;
  const percentage = has(ROOT, 57) ? valueOf(text, ROOT, 57) : null;
  if (fixed !== null) {
    const why = amountProblem(fixed, vietQr);
    if (why) found.push(P.convenienceFeeInvalid('56', fixed, why));
  }
  if (percentage !== null) {
    const why = percentageProblem(percentage);
    if (why) found.push(P.convenienceFeeInvalid('57', percentage, why));
  }
  if (!has(ROOT, 55)) {
    if (fixed !== null) found.push(P.convenienceFeeMismatch('56', 'có phí cố định (56) nhưng thiếu chỉ báo 55 = 02'));
    if (percentage !== null)
      found.push(P.convenienceFeeMismatch('57', 'có phí phần trăm (57) nhưng thiếu chỉ báo 55 = 03'));
    return null;
  }
  const indicator = valueOf(text, ROOT, 55);
  if (indicator === '01') {
    if (fixed !== null || percentage !== null)
      found.push(P.convenienceFeeMismatch('55', '55 = 01 (người trả nhập tiền tip) thì không được có 56 hay 57'));
    return { kind: 'tip_prompt', value: null };
  }
  if (indicator === '02') {
    if (fixed === null)
      found.push(P.convenienceFeeMismatch('56', '55 = 02 (phí cố định) thì phải có số tiền phí ở 56'));
    if (percentage !== null) found.push(P.convenienceFeeMismatch('57', '55 = 02 (phí cố định) thì không được có 57'));
    return { kind: 'fixed_fee', value: fixed };
  }
  if (indicator === '03') {
    if (percentage === null)
      found.push(P.convenienceFeeMismatch('57', '55 = 03 (phí phần trăm) thì phải có tỉ lệ phí ở 57'));
    if (fixed !== null) found.push(P.convenienceFeeMismatch('56', '55 = 03 (phí phần trăm) thì không được có 56'));
    return { kind: 'percentage_fee', value: percentage };
  }
  found.push(P.tipIndicatorInvalid(indicator));
  return null;
}

/** Template 64 limits (EMVCo MPM 4.8 / NAPAS §5.2.16), in characters: 01 name ≤25, 02 city ≤15. */
const MAX_ALTERNATE_NAME_LENGTH = 25;
const MAX_ALTERNATE_CITY_LENGTH = 15;

/**
 * 64, Merchant Information — Language Template: 00 language (ISO 639-1, 2 letters), 01 the merchant
 * name and 02 the city in that language. Their text may be any Unicode (S format): lengths count
 * characters (code points, as written, not normalised: NFC would change the bytes the CRC covers).
 */
function checkLanguageTemplate(text: string, found: Problem[]): void {
  if (!has(ROOT, 64)) return;
  walk(text, ROOT.start[64] as number, ROOT.end[64] as number, LANGUAGE, '64', found);
  if (has(LANGUAGE, 0) && !/^[A-Za-z]{2}$/.test(valueOf(text, LANGUAGE, 0)))
    found.push(P.languageTemplateInvalid('64/00', 'mã ngôn ngữ phải gồm 2 chữ cái (ISO 639), ví dụ “vi”'));
  for (const [id, max, label] of [
    [1, MAX_ALTERNATE_NAME_LENGTH, 'tên'],
    [2, MAX_ALTERNATE_CITY_LENGTH, 'thành phố'],
  ] as const) {
    if (!has(LANGUAGE, id)) continue;
    const length = charLength(text, LANGUAGE.start[id] as number, LANGUAGE.end[id] as number);
    if (length > max)
      found.push(P.languageTemplateInvalid(tagPath('64', id), `${label} dài ${length} ký tự; tối đa ${max}`));
  }
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

/**
 * 62/08 (the transfer memo) is read at any length its TLV allows (at most 95 characters inside the
 * 99-character 62), not capped at the 25 of NAPAS Table 2. Decided on purpose (issue 14): bank apps and
 * providers emit longer memos (32 seen in codes in the wild), the payer's app shows them, and refusing a
 * trader's real bank-issued code for its memo would send the volunteer to type the account by hand for
 * nothing: onboarding keeps only BIN and account, and our own encoder still emits at most 25 (encode.ts),
 * so nothing we print carries a long memo. The other 62 sub-fields keep the 25 cap.
 */
const UNCAPPED_ADDITIONAL_ID = 8;

/** 62: sub-fields 01–07 at most 25 characters, 09 a set of A/M/E; 08, 01 and 05 by name, the rest raw. */
function readAdditionalData(text: string, found: Problem[]): AdditionalData {
  const data: AdditionalData = { purpose: null, billNumber: null, referenceLabel: null, others: null };
  if (!has(ROOT, 62)) return data;
  walk(text, ROOT.start[62] as number, ROOT.end[62] as number, ADDITIONAL, '62', found);
  for (let id = 1; id <= 8; id++) {
    if (id === UNCAPPED_ADDITIONAL_ID) continue;
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
    else if (!(code in NAPAS_OTHER_SERVICES)) found.push(P.serviceUnsupported(code));
  } else if (level.complete) found.push(P.serviceMissing());
  if (has(level, 1)) readBeneficiary(text, beneficiary, found);
  else if (level.complete) found.push(P.beneficiaryMissing());
  return beneficiary;
}

/** Problems that mean the text is not a sound EMV code: a candidate cut from a link must have none. */
const STRUCTURE_CODES: ReadonlySet<ProblemCode> = new Set<ProblemCode>([
  'CRC_MISSING',
  'CRC_INVALID_FORMAT',
  'CRC_MISMATCH',
  'CRC_NOT_LAST',
  'TLV_HEADER_INVALID',
  'LENGTH_OVERRUN',
  'TRAILING_DATA',
  'FORMAT_INDICATOR_NOT_FIRST',
  'FORMAT_INDICATOR_INVALID',
]);

/**
 * Decodes a payload. Never throws; `valid` is true only for a VietQR transfer code with no problem.
 * Text that is no EMV code at all (a link, a phone number, a Wi-Fi code…) is `not_vietqr` with one
 * NOT_EMV problem saying what it looks like; a link that carries a sound EMV code (CRC and every length
 * right) is decoded as that code, with `extractedFrom: 'url'`. The text is taken as given: trimming what
 * a person pasted is `cleanPastedCode`'s job, so a stray trailing space is reported here, not hidden.
 */
export function decode(text: string, options: DecodeOptions = {}): DecodeResult {
  if (typeof text !== 'string') return { valid: false, verdict: 'invalid', fields: {}, problems: [P.notAString()] };
  if (text.length === 0) return { valid: false, verdict: 'invalid', fields: {}, problems: [P.emptyInput()] };
  const shape = recognise(text);
  if (shape === null) return decodeEmv(text, options);
  if (shape.link) {
    for (const candidate of embeddedPayloads(text)) {
      const inner = decodeEmv(candidate, options);
      if (!inner.problems.some((problem) => STRUCTURE_CODES.has(problem.code)))
        return { ...inner, extractedFrom: 'url', payload: candidate };
    }
  }
  return { valid: false, verdict: 'not_vietqr', fields: {}, problems: [P.notEmv(shape)] };
}

function decodeEmv(text: string, options: DecodeOptions): DecodeResult {
  const found: Problem[] = [];
  const { crc, plain } = computeCrc(text);
  countCodePoints = !plain && /[\uD800-\uDBFF]/.test(text);
  const structure: Problem[] = [];
  walk(text, 0, text.length, ROOT, 'root', structure);
  if (!plain) {
    const unicode64 = has(ROOT, 64);
    reportCharacters(text, found, unicode64 ? (ROOT.start[64] as number) : 0, unicode64 ? (ROOT.end[64] as number) : 0);
  }
  checkCrc(text, crc, found);
  for (const problem of structure) found.push(problem);
  checkOrder(text, found);

  // Tag 38 is NAPAS's slot; a code without it (VNPAY-QR uses 26) or with another GUID in it is not a
  // VietQR, and neither is a NAPAS code for another service (QRPUSH pays a shop, QRCASH an ATM). When a
  // broken length hides the rest of the code, none of this can be said.
  let guid: string | null = null;
  let otherService: string | null = null;
  if (has(ROOT, 38)) {
    walk(text, ROOT.start[38] as number, ROOT.end[38] as number, MERCHANT_ACCOUNT, '38', found);
    if (has(MERCHANT_ACCOUNT, 0)) guid = valueOf(text, MERCHANT_ACCOUNT, 0);
    if (guid === NAPAS_GUID && has(MERCHANT_ACCOUNT, 2))
      otherService = NAPAS_OTHER_SERVICES[valueOf(text, MERCHANT_ACCOUNT, 2)] ?? null;
  }
  const foreignGuid = guid !== null && guid !== NAPAS_GUID;
  // Without 38, another network's merchant tag (02–51) says "another scheme" even when a broken length
  // stopped the walk early: the damage is then reported without VietQR's currency and decimals rules.
  // A code with no merchant account at all (EMVCo requires at least one in 02–51) names nobody to pay:
  // it is a damaged code, not another scheme's.
  const notVietQr = foreignGuid || otherService !== null || (!has(ROOT, 38) && hasOtherMerchantTag());
  const isVietQr = has(ROOT, 38) && !notVietQr;

  const initiation = readInitiation(text, found);
  // Another scheme's code is held to EMVCo's formats only: its currency, its decimals, its country.
  checkCurrencyAndCountry(text, !notVietQr, found);
  const amount = readAmount(text, !notVietQr, found);
  const tipOrFee = readTipOrFee(text, !notVietQr, found);
  checkOptionalRootTags(text, found);
  checkLanguageTemplate(text, found);
  const additional = readAdditionalData(text, found);
  const { bin, account, service } = isVietQr
    ? readMerchantAccount(text, guid, found)
    : { bin: null, account: null, service: null };
  if (notVietQr) found.push(P.notVietQr(otherService ?? otherScheme(text)));
  else if (!has(ROOT, 38) && ROOT.complete) found.push(P.merchantAccountMissing());

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
        tipOrFee,
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
  if (tipOrFee !== null) fields.tipOrFee = tipOrFee;
  if (Object.keys(unknown).length > 0) fields.unknown = unknown;

  if (notVietQr) {
    const emvProblems = found.filter((problem) => !VIETQR_PROFILE_CODES.has(problem.code));
    const verdict = emvProblems.length === 1 ? 'not_vietqr' : 'invalid';
    return { valid: false, verdict, fields, problems: emvProblems };
  }
  return { valid: false, verdict: 'invalid', fields, problems: found };
}

function hasOtherMerchantTag(): boolean {
  for (let id = 2; id <= 51; id++) if (id !== 38 && has(ROOT, id)) return true;
  return false;
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
