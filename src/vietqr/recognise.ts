/**
 * What a pasted or scanned text that is not an EMV payment code looks like, so the volunteer is told
 * "this is a MoMo link" rather than "no CRC, lengths do not add up". Pure: a table of known shapes,
 * checked in order, first match wins. Nothing here guesses a payment code out of a shape; the only
 * thing taken from inside a link is an EMV payload that proves itself (see `embeddedPayloads`).
 */

/** The kinds a NOT_EMV problem names; stable, for programs and tests. */
export type LooksLike =
  | 'momo'
  | 'zalopay'
  | 'vietqr_image'
  | 'social'
  | 'web'
  | 'app_link'
  | 'wifi'
  | 'phone'
  | 'account_number'
  | 'email'
  | 'sms'
  | 'contact'
  | 'text';

export interface Recognised {
  kind: LooksLike;
  /** The site's host for web addresses, the scheme for app links; null otherwise. */
  detail: string | null;
  /** True for URLs and deep links: the only shapes that may carry an EMV payload inside. */
  link: boolean;
}

const NOT_TRANSFER = 'không phải mã VietQR chuyển khoản';

/** What the web and the CLI say when `decode` took the code out of a link (`extractedFrom: 'url'`). */
export const EXTRACTED_FROM_LINK_NOTE = 'Đã lấy mã VietQR từ trong liên kết.';

/** The Vietnamese sentence for a recognised shape. */
export function describeLooksLike(found: Recognised): string {
  switch (found.kind) {
    case 'momo':
      return `Đây là liên kết MoMo, ${NOT_TRANSFER}. Hãy dán mã VietQR (000201…) hoặc chụp mã QR của ví.`;
    case 'zalopay':
      return `Đây là liên kết ZaloPay, ${NOT_TRANSFER}. Hãy dán mã VietQR (000201…) hoặc chụp mã QR của ví.`;
    case 'vietqr_image':
      return (
        `Đây là liên kết tới ảnh mã QR (trang ${found.detail}), ${NOT_TRANSFER}. ` +
        'Hãy chụp ảnh mã hoặc dán nội dung mã (bắt đầu bằng 000201…).'
      );
    case 'social':
      return `Đây là liên kết mạng xã hội (trang ${found.detail}), ${NOT_TRANSFER}.`;
    case 'web':
      return `Đây là một địa chỉ web (trang ${found.detail}), ${NOT_TRANSFER}.`;
    case 'app_link':
      return `Đây là liên kết mở ứng dụng (${found.detail}://…), ${NOT_TRANSFER}.`;
    case 'wifi':
      return `Đây là mã Wi-Fi, ${NOT_TRANSFER}.`;
    case 'phone':
      return (
        `Đây là số điện thoại, ${NOT_TRANSFER}. ` +
        'Nếu đây là số tài khoản, hãy chọn ngân hàng và nhập vào ô số tài khoản.'
      );
    case 'account_number':
      return (
        `Đây là một dãy số (có thể là số tài khoản), ${NOT_TRANSFER}. ` +
        'Hãy chọn ngân hàng và nhập số này vào ô số tài khoản.'
      );
    case 'email':
      return `Đây là địa chỉ email, ${NOT_TRANSFER}.`;
    case 'sms':
      return `Đây là mã gửi tin nhắn SMS, ${NOT_TRANSFER}.`;
    case 'contact':
      return `Đây là danh thiếp liên hệ (vCard/MECARD), ${NOT_TRANSFER}.`;
    case 'text':
      return `Đây không phải mã VietQR chuyển khoản (mã VietQR bắt đầu bằng 000201…).`;
  }
}

/** Hosts by what they are; a host matches itself and its subdomains. */
const HOSTS: ReadonlyArray<readonly [suffix: string, kind: LooksLike]> = [
  ['momo.vn', 'momo'],
  ['mservice.com.vn', 'momo'],
  ['zalopay.vn', 'zalopay'],
  ['zalopay.com.vn', 'zalopay'],
  ['img.vietqr.io', 'vietqr_image'],
  ['api.vietqr.io', 'vietqr_image'],
  ['qr.sepay.vn', 'vietqr_image'],
  ['api.qrserver.com', 'vietqr_image'],
  ['chart.googleapis.com', 'vietqr_image'],
  ['facebook.com', 'social'],
  ['fb.com', 'social'],
  ['fb.me', 'social'],
  ['m.me', 'social'],
  ['messenger.com', 'social'],
  ['zalo.me', 'social'],
  ['chat.zalo.me', 'social'],
  ['tiktok.com', 'social'],
  ['instagram.com', 'social'],
  ['youtube.com', 'social'],
  ['youtu.be', 'social'],
  ['t.me', 'social'],
  ['x.com', 'social'],
  ['twitter.com', 'social'],
  ['wa.me', 'social'],
  ['linkedin.com', 'social'],
];

/** App schemes by what they are; any other scheme is a generic app link. */
const SCHEMES: Readonly<Record<string, LooksLike>> = {
  momo: 'momo',
  zalopay: 'zalopay',
  zalo: 'social',
  fb: 'social',
  mailto: 'email',
  tel: 'phone',
  sms: 'sms',
  smsto: 'sms',
  mmsto: 'sms',
  mecard: 'contact',
  wifi: 'wifi',
};

/** Schemes that name a contact or a network, never a page that could carry a payment code. */
const NOT_LINKS: ReadonlySet<LooksLike> = new Set<LooksLike>(['email', 'phone', 'sms', 'contact', 'wifi']);

function hostKind(host: string): LooksLike {
  const h = host.toLowerCase().replace(/^www\./, '');
  for (const [suffix, kind] of HOSTS) if (h === suffix || h.endsWith(`.${suffix}`)) return kind;
  return 'web';
}

/** A Vietnamese mobile number, as people write it: 0912 345 678, +84 912.345.678, 84912345678. */
const PHONE = /^(?:\+?84|0)(?:3|5|7|8|9)\d{8}$/;
/** A bare run of digits the length of an account or card number (a phone is caught first). */
const DIGITS = /^\d{6,19}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[a-z]{2,}$/i;
/** "scheme:" at the start, RFC 3986 style; "http" without slashes is still a web address. */
const SCHEME = /^([a-z][a-z0-9+.-]{1,30}):/i;
/** A bare host such as "me.momo.vn/abc" or "www.example.com", pasted without "https://". */
const BARE_HOST = /^(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}(?:[/?#]|$)/i;

/**
 * The shape of `text` (already cleaned of edge whitespace), or null when it may be an EMV code and the
 * decoder should read it. Only clearly non-EMV shapes are named here: anything starting with a TLV
 * header ("00" + two digits) goes to the decoder, which explains what is wrong with it.
 */
export function recognise(text: string): Recognised | null {
  // The common case, a code, leaves at once: longer than any phone or account number, and a TLV header.
  if (text.length > 24 && startsWithTlvHeader(text)) return null;
  if (/^BEGIN:VCARD/i.test(text)) return { kind: 'contact', detail: null, link: false };
  const scheme = SCHEME.exec(text);
  if (scheme) {
    const name = (scheme[1] as string).toLowerCase();
    if (name === 'http' || name === 'https') {
      const host = hostOf(text);
      return { kind: host ? hostKind(host) : 'web', detail: host ?? text.slice(0, 40), link: true };
    }
    const kind = SCHEMES[name];
    if (kind) return { kind, detail: name, link: !NOT_LINKS.has(kind) };
    // "000201…:" cannot match SCHEME (it starts with a digit), so any other scheme is an app's deep link.
    return { kind: 'app_link', detail: name, link: true };
  }
  const compact = text.replace(/[\s.()-]/g, '');
  if (PHONE.test(compact)) return { kind: 'phone', detail: null, link: false };
  if (DIGITS.test(compact)) return { kind: 'account_number', detail: null, link: false };
  // A TLV header first: the decoder's to read. Checked before the host and email shapes, because an EMV
  // code may hold a reverse domain and a slash ("…br.gov.bcb.pix2567pix.example.com/qr/…") or an "@".
  if (/^\d{4}/.test(text)) return null;
  if (BARE_HOST.test(text) && !/\s/.test(text)) {
    const host = hostOf(`https://${text}`);
    if (host) return { kind: hostKind(host), detail: host, link: true };
  }
  if (EMAIL.test(text)) return { kind: 'email', detail: null, link: false };
  return { kind: 'text', detail: null, link: false };
}

function startsWithTlvHeader(text: string): boolean {
  for (let i = 0; i < 4; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

function hostOf(url: string): string | null {
  try {
    const host = new URL(url).hostname;
    return host.length > 0 ? host : null;
  } catch {
    return null;
  }
}

const PAYLOAD_START = '000201';
/** "6304" and four hex digits: where an EMV payload may end. */
const CRC_TRAILER = /6304[0-9A-Fa-f]{4}/g;
/** A link carries one code; a bound keeps a hostile text full of "000201" and "6304" from costing n². */
const MAX_CANDIDATES = 24;

/**
 * EMV payloads a link may carry (a "qr=" or "data=" parameter, a path segment, a fragment), raw or
 * percent-encoded, longest-first per start. Candidates only: the caller keeps one only if it decodes as
 * a sound EMV code (CRC and every length right), so nothing is guessed.
 */
export function embeddedPayloads(link: string): string[] {
  const texts = new Set<string>([link]);
  const decoded = percentDecode(link);
  if (decoded !== null) texts.add(decoded);
  // "+" means a space in query strings; a payload with a memo may have been encoded that way.
  const plus = percentDecode(link.replace(/\+/g, ' '));
  if (plus !== null) texts.add(plus);
  const found: string[] = [];
  for (const text of texts) {
    if (found.length >= MAX_CANDIDATES) break;
    for (let start = text.indexOf(PAYLOAD_START); start >= 0; start = text.indexOf(PAYLOAD_START, start + 1)) {
      const ends: number[] = [];
      CRC_TRAILER.lastIndex = start;
      for (let m = CRC_TRAILER.exec(text); m; m = CRC_TRAILER.exec(text)) {
        ends.push(m.index + 8);
        CRC_TRAILER.lastIndex = m.index + 1;
      }
      for (const end of ends.reverse()) {
        const candidate = text.slice(start, end);
        if (!found.includes(candidate) && found.length < MAX_CANDIDATES) found.push(candidate);
      }
    }
  }
  return found;
}

function percentDecode(text: string): string | null {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}
