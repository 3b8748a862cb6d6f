import { dictionary } from '@zxcvbn-ts/language-common';

export const MIN_PASSWORD_LENGTH = 10;

/**
 * The ~49,000 most common passwords of zxcvbn-ts's list (leaked-password corpora), lower case: the first ones
 * a guesser tries, whatever their length ("password123", "1234567890", "qwertyuiop" are all long enough).
 */
const COMMON_PASSWORDS: ReadonlySet<string> = new Set(dictionary['passwords-common']);

/**
 * Why a new password is refused, in Vietnamese, or undefined when it is acceptable: at least 10 characters,
 * not the username (nor containing it), not one of the common passwords. Both the app and the CLI go through it.
 */
export function passwordProblem(password: string, username: string): string | undefined {
  const normalized = password.normalize('NFC');
  if ([...normalized].length < MIN_PASSWORD_LENGTH) return `Mật khẩu cần ít nhất ${MIN_PASSWORD_LENGTH} ký tự.`;
  const lower = normalized.toLowerCase();
  const name = username.trim().toLowerCase();
  if (name && lower.includes(name)) return 'Mật khẩu không được trùng hoặc chứa tên đăng nhập.';
  if (COMMON_PASSWORDS.has(lower))
    return 'Mật khẩu này nằm trong danh sách mật khẩu phổ biến, dễ bị đoán. Hãy chọn mật khẩu khác.';
  return undefined;
}
