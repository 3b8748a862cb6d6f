import type { Clock } from '../clock.js';
import type { Db } from '../db/database.js';
import { assertNoFieldErrors, type FieldErrors } from '../http/errors.js';
import { cleanText } from '../text/fold.js';
import { generatePassword, hashPassword } from './password.js';
import { isRole, type Role } from '../vocabulary/roles.js';
import { createUsersRepo } from './users-repo.js';

export interface CreateUserInput {
  username: string;
  role: string;
  password: string;
  displayName?: string;
}

const USERNAME = /^[a-z0-9][a-z0-9._-]{2,31}$/;
export const MIN_PASSWORD_LENGTH = 10;

export function validateNewUser(input: CreateUserInput): FieldErrors {
  const errors: FieldErrors = {};
  if (!USERNAME.test(input.username)) {
    errors.username = 'Tên đăng nhập gồm 3–32 ký tự: chữ thường không dấu, số, dấu chấm, gạch ngang hoặc gạch dưới.';
  }
  if (!isRole(input.role)) errors.role = 'Vai trò phải là admin, leader, team_lead, volunteer hoặc viewer.';
  if (input.password.length < MIN_PASSWORD_LENGTH) {
    errors.password = `Mật khẩu cần ít nhất ${MIN_PASSWORD_LENGTH} ký tự.`;
  }
  return errors;
}

export function createUsersService(db: Db, clock: Clock) {
  const repo = createUsersRepo(db);

  async function createUser(input: CreateUserInput): Promise<number> {
    const errors = validateNewUser(input);
    if (!errors.username && repo.findByUsername(input.username)) errors.username = 'Tên đăng nhập này đã có người dùng.';
    assertNoFieldErrors(errors);
    const passwordHash = await hashPassword(input.password);
    return repo.insert({
      username: input.username,
      displayName: cleanText(input.displayName ?? '') || input.username,
      role: input.role as Role,
      passwordHash,
      createdAt: clock.now().toISOString(),
    });
  }

  /**
   * On first start there is nobody to log in as: create `admin` with the configured password, or a
   * generated one that the caller prints once. Returns the generated password, if any.
   */
  async function ensureFirstAdmin(configuredPassword: string | undefined): Promise<{ created: boolean; generatedPassword?: string }> {
    if (repo.count() > 0) return { created: false };
    const password = configuredPassword ?? generatePassword();
    await createUser({ username: 'admin', role: 'admin', password, displayName: 'Quản trị viên' });
    return configuredPassword ? { created: true } : { created: true, generatedPassword: password };
  }

  return { createUser, ensureFirstAdmin, findById: repo.findById, findByUsername: repo.findByUsername };
}

export type UsersService = ReturnType<typeof createUsersService>;
