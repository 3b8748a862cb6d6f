import type { AuditService } from '../audit/audit-service.js';
import { ValidationError } from '../http/errors.js';
import type { UsersService } from '../users/users-service.js';
import type { LoginThrottle } from './login-throttle-service.js';

const WRONG_CREDENTIALS = 'Tên đăng nhập hoặc mật khẩu không đúng.';

export interface AuthServiceDeps {
  readonly users: UsersService;
  readonly throttle: LoginThrottle;
  /** Successful logins are audit rows too (failures are the throttle's). */
  readonly audit: AuditService;
  readonly transaction: <T>(work: () => Promise<T>) => Promise<T>;
}

export function createAuthService({ users, throttle, audit, transaction }: AuthServiceDeps) {
  /**
   * Returns the user's id, or throws a ValidationError with one message that does not say which part was wrong.
   * `address` is where the request came from: a locked account or a throttled address throws the throttle's
   * error before the password is looked at, and every wrong password is recorded against both.
   */
  async function authenticate(username: string, password: string, address: string): Promise<number> {
    const errors: Record<string, string> = {};
    if (!username.trim()) errors.username = 'Nhập tên đăng nhập.';
    if (!password) errors.password = 'Nhập mật khẩu.';
    if (Object.keys(errors).length > 0) throw new ValidationError(errors);
    await throttle.check(username, address);
    const user = await users.verifyCredentials(username.trim(), password);
    if (!user || !user.active) {
      await throttle.recordFailure(username, address);
      // The failure that reaches a limit says so at once, rather than on the next try.
      await throttle.check(username, address);
      throw new ValidationError({ password: WRONG_CREDENTIALS }, WRONG_CREDENTIALS);
    }
    await transaction(() =>
      audit.record({ actor: { id: user.id }, action: 'login.success', entity: 'user', entityId: user.id, address }),
    );
    return user.id;
  }

  return { authenticate };
}

export type AuthService = ReturnType<typeof createAuthService>;
