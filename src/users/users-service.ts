import type { Clock } from '../clock.js';
import type { Actor } from '../actor.js';
import { assertNoFieldErrors, ForbiddenError, NotFoundError, type FieldErrors } from '../http/errors.js';
import { cleanText } from '../text/fold.js';
import { generatePassword, hashPassword, verifyPassword } from './password.js';
import { passwordProblem } from './password-rules.js';
import {
  formatReachUnit,
  mayHaveWholeCountry,
  reachOfUnits,
  WHOLE_COUNTRY,
  type Reach,
  type ReachUnit,
} from '../vocabulary/reach.js';
import { isRole, ROLE_LABELS, type Role } from '../vocabulary/roles.js';
import type { UserRow, UsersRepo } from './users-repo.js';

export interface CreateUserInput {
  username: string;
  role: string;
  password: string;
  displayName?: string;
  /** The units of the user's reach; none is the whole country, which only admins and leaders may have. */
  reach?: readonly ReachUnit[];
}

const USERNAME = /^[a-z0-9][a-z0-9._-]{2,31}$/;

function describeUnit(unit: ReachUnit): string {
  return unit.kind === 'province' ? 'tỉnh, thành phố này' : unit.kind === 'commune' ? 'xã, phường này' : 'địa điểm này';
}

export function validateNewUser(input: CreateUserInput): FieldErrors {
  const errors: FieldErrors = {};
  if (!USERNAME.test(input.username)) {
    errors.username = 'Tên đăng nhập gồm 3–32 ký tự: chữ thường không dấu, số, dấu chấm, gạch ngang hoặc gạch dưới.';
  }
  if (!isRole(input.role)) errors.role = 'Vai trò phải là admin, leader, team_lead, volunteer hoặc viewer.';
  const passwordError = passwordProblem(input.password, input.username);
  if (passwordError) errors.password = passwordError;
  return errors;
}

/** No user has this username: the app answers 404, the command line exits 1 with this message. */
export class UnknownUserError extends NotFoundError {
  constructor(readonly username: string) {
    super(`Không có người dùng ${username}.`);
  }
}

/** Where the units of a reach are, to check they exist (and, for team leads, that they lie in their own). */
export interface PlaceLookup {
  findProvince(code: string): Promise<{ code: string } | undefined>;
  findCommune(code: string): Promise<{ code: string; province_code: string } | undefined>;
  findSitePlace(id: number): Promise<{ id: number; commune_code: string; province_code: string } | undefined>;
}

export interface UsersServiceDeps {
  readonly users: UsersRepo;
  readonly places: PlaceLookup;
  readonly clock: Clock;
  /** scrypt cost of new hashes (log2 of N), from `config.passwordHashCost`; tests configure the cheapest. */
  readonly passwordHashCost: number;
  readonly transaction: <T>(work: () => Promise<T>) => Promise<T>;
}

/** A user as other features see them: never the password hash. */
export interface User {
  readonly id: number;
  readonly username: string;
  readonly displayName: string;
  readonly role: Role;
  readonly active: boolean;
  /** A one-time password was handed out: the user must choose their own before doing anything else. */
  readonly mustChangePassword: boolean;
}

/** A user with the part of the country they work in or watch. */
export interface UserWithReach extends User {
  readonly reach: Reach;
}

function toUser(row: UserRow): User {
  const { id, username, display_name: displayName, role, active } = row;
  return { id, username, displayName, role, active: active === 1, mustChangePassword: row.must_change_password === 1 };
}

export function createUsersService({ users, places, clock, passwordHashCost, transaction }: UsersServiceDeps) {
  // Hashing a dummy password for unknown usernames makes both failures take the same time; started now, as the
  // login service always did, so that the first failed login is not the one that pays for it.
  const dummyHash = hashPassword('phoqr-dummy-password', passwordHashCost);
  dummyHash.catch(() => undefined);

  /** The units' reach once each unit is known to exist; the reason it cannot be the role's reach otherwise. */
  async function checkReach(role: Role, units: readonly ReachUnit[]): Promise<{ reach?: Reach; problem?: string }> {
    if (units.length === 0) {
      return mayHaveWholeCountry(role)
        ? { reach: WHOLE_COUNTRY }
        : { problem: `${ROLE_LABELS[role]} cần một phạm vi: tỉnh, xã/phường hoặc địa điểm mình phụ trách.` };
    }
    for (const unit of units) {
      const known =
        unit.kind === 'province'
          ? await places.findProvince(unit.code)
          : unit.kind === 'commune'
            ? await places.findCommune(unit.code)
            : await places.findSitePlace(unit.id);
      if (!known) return { problem: `Không có ${describeUnit(unit)} trong danh mục (${formatReachUnit(unit)}).` };
    }
    return { reach: reachOfUnits(units) };
  }

  async function createUser(input: CreateUserInput): Promise<number> {
    const errors = validateNewUser(input);
    if (!errors.username && (await users.findByUsername(input.username))) {
      errors.username = 'Tên đăng nhập này đã có người dùng.';
    }
    const checked = isRole(input.role) ? await checkReach(input.role, input.reach ?? []) : {};
    if (checked.problem) errors.reach = checked.problem;
    assertNoFieldErrors(errors);
    const passwordHash = await hashPassword(input.password, passwordHashCost);
    return transaction(async () => {
      const id = await users.insert({
        username: input.username,
        displayName: cleanText(input.displayName ?? '') || input.username,
        role: input.role as Role,
        passwordHash,
        createdAt: clock.now().toISOString(),
      });
      await users.replaceReach(id, checked.reach!);
      return id;
    });
  }

  /**
   * On first start there is nobody to log in as: create `admin` with the configured password, or a
   * generated one that the caller prints once. Returns the generated password, if any.
   */
  async function ensureFirstAdmin(
    configuredPassword: string | undefined,
  ): Promise<{ created: boolean; generatedPassword?: string }> {
    if ((await users.count()) > 0) return { created: false };
    const password = configuredPassword ?? generatePassword();
    await createUser({ username: 'admin', role: 'admin', password, displayName: 'Quản trị viên' });
    return configuredPassword ? { created: true } : { created: true, generatedPassword: password };
  }

  /**
   * The user whose password this is, active or not (the caller decides what a disabled account may do), or
   * undefined; an unknown username costs one hash like a known one.
   */
  async function verifyCredentials(username: string, password: string): Promise<User | undefined> {
    const row = await users.findByUsername(username);
    const ok = await verifyPassword(password, row?.password_hash ?? (await dummyHash));
    return row && ok ? toUser(row) : undefined;
  }

  /**
   * Disables or re-enables an account (actor null: the command line; in the app only an admin may). A disabled
   * user can no longer log in and their sessions stop counting; ending those sessions is the caller's part
   * (auth's account access), as users know nothing of sessions. Returns the user as it now is, and whether
   * it was active before, so the caller can say when nothing changed.
   */
  async function setActive(
    actor: Actor | null,
    username: string,
    active: boolean,
  ): Promise<{ user: User; wasActive: boolean }> {
    if (actor && actor.role !== 'admin') {
      throw new ForbiddenError('Chỉ quản trị viên mới vô hiệu hóa hoặc kích hoạt lại được tài khoản.');
    }
    const row = await users.findByUsername(username);
    if (!row) throw new UnknownUserError(username);
    await users.setActive(row.id, active);
    return { user: { ...toUser(row), active }, wasActive: row.active === 1 };
  }

  return {
    createUser,
    ensureFirstAdmin,
    verifyCredentials,
    setActive,
    checkReach,
    findById: async (id: number): Promise<User | undefined> => {
      const row = await users.findById(id);
      return row && toUser(row);
    },
    /** The user and their reach: what a session needs to act for them. */
    findWithReach: async (id: number): Promise<UserWithReach | undefined> => {
      const row = await users.findById(id);
      return row && { ...toUser(row), reach: await users.reachOf(row) };
    },
  };
}

export type UsersService = ReturnType<typeof createUsersService>;
