import { ValidationError } from '../http/errors.js';
import type { UsersService } from '../users/users-service.js';

const WRONG_CREDENTIALS = 'Tên đăng nhập hoặc mật khẩu không đúng.';

export interface AuthServiceDeps {
  readonly users: UsersService;
}

export function createAuthService({ users }: AuthServiceDeps) {
  /** Returns the user's id, or throws a ValidationError with one message that does not say which part was wrong. */
  async function authenticate(username: string, password: string): Promise<number> {
    const errors: Record<string, string> = {};
    if (!username.trim()) errors.username = 'Nhập tên đăng nhập.';
    if (!password) errors.password = 'Nhập mật khẩu.';
    if (Object.keys(errors).length > 0) throw new ValidationError(errors);
    const user = await users.verifyCredentials(username.trim(), password);
    if (!user || !user.active) throw new ValidationError({ password: WRONG_CREDENTIALS }, WRONG_CREDENTIALS);
    return user.id;
  }

  return { authenticate };
}

export type AuthService = ReturnType<typeof createAuthService>;
