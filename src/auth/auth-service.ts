import type { Db } from '../db/database.js';
import { ValidationError } from '../http/errors.js';
import { hashPassword, verifyPassword } from '../users/password.js';
import { createUsersRepo } from '../users/users-repo.js';

const WRONG_CREDENTIALS = 'Tên đăng nhập hoặc mật khẩu không đúng.';

export function createAuthService(db: Db) {
  const users = createUsersRepo(db);
  // Hashing a dummy password for unknown usernames makes both failures take the same time.
  const dummyHash = hashPassword('phoqr-dummy-password');

  /** Returns the user's id, or throws a ValidationError with one message that does not say which part was wrong. */
  async function authenticate(username: string, password: string): Promise<number> {
    const errors: Record<string, string> = {};
    if (!username.trim()) errors.username = 'Nhập tên đăng nhập.';
    if (!password) errors.password = 'Nhập mật khẩu.';
    if (Object.keys(errors).length > 0) throw new ValidationError(errors);
    const user = users.findByUsername(username.trim());
    const ok = await verifyPassword(password, user?.password_hash ?? (await dummyHash));
    if (!user || !ok || !user.active) throw new ValidationError({ password: WRONG_CREDENTIALS }, WRONG_CREDENTIALS);
    return user.id;
  }

  return { authenticate };
}
