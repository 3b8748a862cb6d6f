import { EXTRACTED_FROM_LINK_NOTE } from './recognise.js';
import type { DecodeResult } from './types.js';

/**
 * The sentence a person sees for a code that is not a valid VietQR, the same on the onboarding form, in
 * its live preview (the JSON API) and wherever else a decode result is shown. "Not a VietQR" results
 * (a link, a Wi-Fi code, another scheme's payment code) already say what the text is ("Đây là …"), so
 * they are not prefixed with "không hợp lệ": the code is fine, it is just not a bank-transfer code.
 */
export function decodeFailureWords(result: DecodeResult): string {
  const details = result.problems.map((problem) => problem.message).join(' ');
  const words = result.verdict === 'not_vietqr' ? details : `Mã QR này không hợp lệ: ${details}`;
  return result.extractedFrom ? `${EXTRACTED_FROM_LINK_NOTE} ${words}` : words;
}
