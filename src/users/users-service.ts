import type { AuditAction } from '../audit/audit-actions.js';
import type { Clock } from '../clock.js';
import type { Actor } from '../actor.js';
import { auditChanges } from '../audit/audit-changes.js';
import type { AuditService } from '../audit/audit-service.js';
import {
  assertNoFieldErrors,
  ForbiddenError,
  NotFoundError,
  ValidationError,
  type FieldErrors,
} from '../http/errors.js';
import { TEXT_FIELDS } from '../http/text-fields.js';
import { checkedText } from '../http/validate.js';
import { cleanText, foldForSearch } from '../text/fold.js';
import { searchWords } from '../text/search-query.js';
import { parseVietnamesePhone } from '../text/phone.js';
import { generateOneTimePassword, generatePassword, hashPassword, verifyPassword } from './password.js';
import { passwordProblem } from './password-rules.js';
import {
  formatReachUnit,
  isEmptyReach,
  mayHaveWholeCountry,
  parseReachUnit,
  reachCoversCommune,
  reachOfUnits,
  reachUnits,
  reachWithin,
  REACH_UNIT_HELP,
  WHOLE_COUNTRY,
  type CommunePlace,
  type Reach,
  type ReachPlaces,
  type ReachUnit,
  type SitePlace,
} from '../vocabulary/reach.js';
import { can, isRole, ROLE_LABELS, ROLES, type Role } from '../vocabulary/roles.js';
import type { UserRow, UserRowWithReach, UsersRepo } from './users-repo.js';

export interface CreateUserInput {
  username: string;
  role: string;
  password: string;
  displayName?: string;
  /** The units of the user's reach; none is the whole country, which only admins and leaders may have. */
  reach?: readonly ReachUnit[];
}

const USERNAME = /^[a-z0-9][a-z0-9._-]{2,31}$/;
const USERNAME_RULE = 'Tên đăng nhập gồm 3–32 ký tự: chữ thường không dấu, số, dấu chấm, gạch ngang hoặc gạch dưới.';
/** More units than this in one reach is a pasted list gone wrong, not someone's work. */
const MAX_REACH_UNITS = 50;
/** scrypt runs on libuv's 4 threads: hashing a list of new users leaves room for everybody else's logins. */
const HASHES_AT_ONCE = 2;

/** The answer for a user that does not exist and for one outside the actor's reach alike. */
export const USER_NOT_FOUND = 'Không tìm thấy người dùng này.';
const MANAGERS_ONLY = 'Chỉ quản trị viên và tổ trưởng quản lý được tài khoản người dùng.';
const LEADS_MANAGE_VOLUNTEERS = 'Tổ trưởng chỉ quản lý được tài khoản tình nguyện viên trong phạm vi của mình.';
const LEADS_GRANT_VOLUNTEER = 'Tổ trưởng chỉ cấp được vai trò tình nguyện viên.';

function describeUnit(unit: ReachUnit): string {
  return unit.kind === 'province' ? 'tỉnh, thành phố này' : unit.kind === 'commune' ? 'xã, phường này' : 'địa điểm này';
}

/**
 * How a user is kept in the audit trail: the staff member's name is plain (the log must be readable by those
 * who check it), the phone is personal (only "changed"), the password hash is never named at all.
 */
const USER_AUDIT_FIELDS = {
  plain: ['username', 'display_name', 'role', 'active', 'must_change_password', 'whole_country', 'reach'],
  personal: ['phone'],
} as const;

interface AuditedUser {
  readonly username: string;
  readonly displayName: string;
  readonly role: Role;
  readonly active: boolean;
  readonly mustChangePassword: boolean;
  readonly reach: Reach;
  readonly phone: string | null;
}

/** The user's fields as the audit trail compares them; the reach as its units ("commune:23575,province:52"). */
function auditedUser(user: AuditedUser): Record<string, unknown> {
  return {
    username: user.username,
    display_name: user.displayName,
    role: user.role,
    active: user.active,
    must_change_password: user.mustChangePassword,
    whole_country: user.reach.wholeCountry,
    reach: reachUnits(user.reach).map(formatReachUnit).join(','),
    phone: user.phone,
  };
}

function auditedRow(row: UserRow, reach: Reach): Record<string, unknown> {
  return auditedUser({
    username: row.username,
    displayName: row.display_name,
    role: row.role,
    active: row.active === 1,
    mustChangePassword: row.must_change_password === 1,
    reach,
    phone: row.phone,
  });
}

export function validateNewUser(input: CreateUserInput): FieldErrors {
  const errors: FieldErrors = {};
  if (!USERNAME.test(input.username)) errors.username = USERNAME_RULE;
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

/** A changed password was refused; `wrongCurrentPassword` when the current one was wrong (the throttle counts it). */
export class PasswordChangeRefusedError extends ValidationError {
  constructor(
    fieldErrors: FieldErrors,
    readonly wrongCurrentPassword: boolean,
  ) {
    super(fieldErrors);
  }
}

/**
 * Where the units of a reach are, to check they exist (and, for team leads, that they lie in their own),
 * to name them for people, and to find a commune a list names in words.
 */
export interface PlaceLookup {
  findProvince(code: string): Promise<{ code: string; name: string; unit_type: 'tinh' | 'thanh_pho' } | undefined>;
  findCommune(
    code: string,
  ): Promise<{ code: string; name: string; province_code: string; province_name: string } | undefined>;
  findSitePlace(id: number): Promise<
    | {
        id: number;
        name: string;
        commune_code: string;
        commune_name: string;
        province_code: string;
        province_name: string;
      }
    | undefined
  >;
  searchCommunes(
    query: string,
    provinceCode: string | undefined,
    limit: number,
  ): Promise<{ code: string; name: string; province_code: string; province_name: string; formerName?: string }[]>;
}

export interface UsersServiceDeps {
  readonly users: UsersRepo;
  readonly places: PlaceLookup;
  readonly clock: Clock;
  /** scrypt cost of new hashes (log2 of N), from `config.passwordHashCost`; tests configure the cheapest. */
  readonly passwordHashCost: number;
  readonly transaction: <T>(work: () => Promise<T>) => Promise<T>;
  /** Every change to a user is recorded in the change's transaction. */
  readonly audit: AuditService;
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

/** A user as those who manage them see them: with their phone, which nobody else sees. */
export interface ManagedUser extends UserWithReach {
  readonly phone: string | null;
  readonly createdAt: string;
}

/** What an admin or a team lead fills in to create or edit a user (from the form, cleaned by the routes). */
export interface UserDetailsInput {
  readonly displayName: string;
  readonly phone: string;
  readonly role: string;
  /**
   * The reach as written: units separated by ";" (`commune:23575;province:52;site:12`, a bare 5-digit commune
   * code) or communes by name. Empty is the whole country, for admins and leaders only.
   */
  readonly reachText: string;
}

export interface NewUserInput extends UserDetailsInput {
  readonly username: string;
}

/** A password handed out once: shown to whoever reset it, to be replaced at the user's next login. */
export interface PasswordReset {
  readonly user: User;
  readonly password: string;
  /** Stores the new hash; the caller runs it in the transaction that also ends the user's sessions. */
  commit(): Promise<void>;
}

/** One line of a list of new users, as read from the file (text, not yet checked). */
export interface NewUserLine {
  /** The line's number in the file, the header being line 1: what the preview shows. */
  readonly line: number;
  readonly username: string;
  readonly displayName: string;
  readonly phone: string;
  /** Units separated by ";" (`commune:23575;site:12`, a bare 5-digit commune code) or a commune's name. */
  readonly reach: string;
}

export type NewUserField = 'username' | 'displayName' | 'phone' | 'reach';

export interface CheckedUserLine {
  readonly line: number;
  /** Lower case, trimmed: what would be saved. */
  readonly username: string;
  readonly displayName: string;
  readonly phone: string | null;
  readonly units: readonly ReachUnit[];
  /** The reach in words ("Phường Pleiku (Gia Lai)"), for the preview. */
  readonly reachWords: readonly string[];
  /** What is wrong, column by column, in Vietnamese; empty when the line can be created. */
  readonly problems: Partial<Record<NewUserField, string>>;
}

export interface CreatedAccount {
  readonly id: number;
  readonly username: string;
  readonly displayName: string;
  readonly password: string;
}

function toUser(row: UserRow): User {
  const { id, username, display_name: displayName, role, active } = row;
  return { id, username, displayName, role, active: active === 1, mustChangePassword: row.must_change_password === 1 };
}

function toManaged(row: UserRowWithReach): ManagedUser {
  return { ...toUser(row), reach: row.reach, phone: row.phone, createdAt: row.created_at };
}

/** Remembers each answer for the length of one operation: a list of 500 users shares a few dozen places. */
function memo<K, V>(load: (key: K) => Promise<V>): (key: K) => Promise<V> {
  const answers = new Map<K, Promise<V>>();
  return (key) => {
    let answer = answers.get(key);
    if (!answer) {
      answer = load(key);
      answers.set(key, answer);
    }
    return answer;
  };
}

async function mapAtMost<T, R>(items: readonly T[], atOnce: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(atOnce, items.length) }, lane));
  return results;
}

/** "Phường Pleiku" → "pleiku" as well as "phuong pleiku": a list may leave out the kind of commune. */
function communeNameKeys(name: string): string[] {
  const folded = foldForSearch(name);
  const bare = folded.replace(/^(xa|phuong|dac khu) /, '');
  return bare === folded ? [folded] : [folded, bare];
}

export function createUsersService({ users, places, clock, passwordHashCost, transaction, audit }: UsersServiceDeps) {
  // Hashing a dummy password for unknown usernames makes both failures take the same time; started now, as the
  // login service always did, so that the first failed login is not the one that pays for it.
  const dummyHash = hashPassword('phoqr-dummy-password', passwordHashCost);
  dummyHash.catch(() => undefined);

  /** Place look-ups remembered for one operation. */
  function lookups() {
    return {
      findProvince: memo(places.findProvince),
      findCommune: memo(places.findCommune),
      findSitePlace: memo(places.findSitePlace),
    };
  }
  type Lookups = ReturnType<typeof lookups>;

  /** Where the communes and sites of these reaches lie, for `reachWithin`; unknown ones are left out. */
  async function placesOf(reaches: readonly Reach[], lookup: Lookups = lookups()): Promise<ReachPlaces> {
    const communes = new Map<string, CommunePlace>();
    const sites = new Map<number, SitePlace>();
    for (const reach of reaches) {
      for (const code of reach.communes) {
        const commune = await lookup.findCommune(code);
        if (commune) communes.set(code, { communeCode: commune.code, provinceCode: commune.province_code });
      }
      for (const id of reach.sites) {
        const site = await lookup.findSitePlace(id);
        if (site) sites.set(id, { siteId: site.id, communeCode: site.commune_code, provinceCode: site.province_code });
      }
    }
    return { communes, sites };
  }

  /** Only admins and team leads open user management; everyone else gets 403 before any user is looked at. */
  function assertMayManageUsers(actor: Actor): void {
    if (!can(actor.role, 'manageUsers')) throw new ForbiddenError(MANAGERS_ONLY);
  }

  /** The roles the actor may give: an admin any, a team lead only volunteer. */
  function grantableRoles(actor: Actor): readonly Role[] {
    return actor.role === 'admin' ? ROLES : actor.role === 'team_lead' ? ['volunteer'] : [];
  }

  function assertMayGrant(actor: Actor, role: Role): void {
    if (!grantableRoles(actor).includes(role)) {
      throw new ForbiddenError(actor.role === 'team_lead' ? LEADS_GRANT_VOLUNTEER : MANAGERS_ONLY);
    }
  }

  /**
   * A team lead's users are the volunteers whose whole reach lies inside the lead's own. A user without a
   * reach lies inside nobody's: only an admin gives them one.
   */
  function insideLeadsReach(actor: Actor, reach: Reach, where: ReachPlaces): boolean {
    return !isEmptyReach(reach) && reachWithin(reach, actor.reach, where);
  }

  /**
   * The user, if the actor may manage them (actor null: the command line, which may do anything). Outside a
   * team lead's reach, or missing, `notFound` (existence not revealed); inside it but not a volunteer, 403.
   */
  async function manageable(
    actor: Actor | null,
    row: UserRow | undefined,
    notFound: () => Error,
  ): Promise<UserRowWithReach> {
    if (!row) throw notFound();
    const withReach = { ...row, reach: await users.reachOf(row) };
    if (actor === null || actor.role === 'admin') return withReach;
    assertMayManageUsers(actor);
    if (!insideLeadsReach(actor, withReach.reach, await placesOf([withReach.reach]))) throw notFound();
    if (row.role !== 'volunteer') throw new ForbiddenError(LEADS_MANAGE_VOLUNTEERS);
    return withReach;
  }

  /** The units' reach once each unit is known to exist; the reason it cannot be the role's reach otherwise. */
  async function checkReach(
    role: Role,
    units: readonly ReachUnit[],
    lookup: Lookups = lookups(),
  ): Promise<{ reach?: Reach; problem?: string }> {
    if (units.length === 0) {
      return mayHaveWholeCountry(role)
        ? { reach: WHOLE_COUNTRY }
        : { problem: `${ROLE_LABELS[role]} cần một phạm vi: tỉnh, xã/phường hoặc địa điểm mình phụ trách.` };
    }
    if (units.length > MAX_REACH_UNITS) return { problem: `Một phạm vi có tối đa ${MAX_REACH_UNITS} đơn vị.` };
    for (const unit of units) {
      const known =
        unit.kind === 'province'
          ? await lookup.findProvince(unit.code)
          : unit.kind === 'commune'
            ? await lookup.findCommune(unit.code)
            : await lookup.findSitePlace(unit.id);
      if (!known) return { problem: `Không có ${describeUnit(unit)} trong danh mục (${formatReachUnit(unit)}).` };
    }
    return { reach: reachOfUnits(units) };
  }

  /** checkReach, and for a team lead also inside their own reach: what they may grant. */
  async function checkGrantedReach(
    actor: Actor,
    role: Role,
    units: readonly ReachUnit[],
    lookup: Lookups = lookups(),
  ): Promise<{ reach?: Reach; problem?: string }> {
    const checked = await checkReach(role, units, lookup);
    if (!checked.reach || actor.role === 'admin') return checked;
    const outside = [];
    for (const unit of units) {
      const one = reachOfUnits([unit]);
      if (!reachWithin(one, actor.reach, await placesOf([one], lookup))) outside.push(unit);
    }
    if (outside.length === 0) return checked;
    const words = await describeUnits(outside, lookup);
    return { problem: `Ngoài phạm vi của bạn: ${words.join('; ')}.` };
  }

  /** Each unit in words: "Tỉnh Gia Lai", "Phường Pleiku (Gia Lai)", "Chợ Hoa Lư (Phường Pleiku, Gia Lai)". */
  async function describeUnits(units: readonly ReachUnit[], lookup: Lookups = lookups()): Promise<string[]> {
    const words: string[] = [];
    for (const unit of units) {
      if (unit.kind === 'province') {
        const province = await lookup.findProvince(unit.code);
        words.push(
          !province ? formatReachUnit(unit) : province.unit_type === 'tinh' ? `Tỉnh ${province.name}` : province.name,
        );
      } else if (unit.kind === 'commune') {
        const commune = await lookup.findCommune(unit.code);
        words.push(commune ? `${commune.name} (${commune.province_name})` : formatReachUnit(unit));
      } else {
        const site = await lookup.findSitePlace(unit.id);
        words.push(site ? `${site.name} (${site.commune_name}, ${site.province_name})` : formatReachUnit(unit));
      }
    }
    return words;
  }

  /** A reach in words: ['Toàn quốc'], each unit's name, or none for a user who has no reach yet. */
  async function describeReach(reach: Reach, lookup: Lookups = lookups()): Promise<string[]> {
    return reach.wholeCountry ? ['Toàn quốc'] : describeUnits(reachUnits(reach), lookup);
  }

  /** describeReach for a whole list, each place looked up once. */
  async function describeReaches(reaches: readonly Reach[]): Promise<string[][]> {
    const lookup = lookups();
    const words: string[][] = [];
    for (const reach of reaches) words.push(await describeReach(reach, lookup));
    return words;
  }

  function checkDetails(
    input: { displayName: string; phone: string },
    errors: FieldErrors,
  ): { displayName: string; phone: string | null } {
    const displayName = checkedText(
      { display_name: input.displayName },
      'display_name',
      TEXT_FIELDS.displayName,
      errors,
    );
    if (!displayName) errors.display_name ??= 'Nhập họ tên.';
    const phoneText = checkedText({ phone: input.phone }, 'phone', TEXT_FIELDS.phone, errors);
    const phone = phoneText ? parseVietnamesePhone(phoneText) : null;
    if (phone === undefined) errors.phone = 'Số điện thoại gồm 10 chữ số, bắt đầu bằng 0 (ví dụ 0905 123 456).';
    return { displayName, phone: phone ?? null };
  }

  /** The reach written in a form, if the actor may grant it for the role; a field error `reach` otherwise. */
  async function grantedReach(actor: Actor, role: Role, text: string, errors: FieldErrors): Promise<Reach | undefined> {
    const read = await readReachText(actor, text);
    const checked = read.problem ? { problem: read.problem } : await checkGrantedReach(actor, role, read.units);
    if (checked.problem) errors.reach = checked.problem;
    return checked.reach;
  }

  /** Records one change to a user, in the caller's transaction; `before` undefined for a new user. */
  function recordUser(
    actor: Actor | null,
    action: AuditAction,
    userId: number,
    before: Record<string, unknown> | undefined,
    after: Record<string, unknown>,
  ): Promise<void> {
    return audit.record({
      actor,
      action,
      entity: 'user',
      entityId: userId,
      changes: auditChanges(before, after, USER_AUDIT_FIELDS),
    });
  }

  /** Stores a checked new user and their reach together, with its audit row (actor null: the command line). */
  async function store(
    actor: Actor | null,
    user: {
      username: string;
      displayName: string;
      role: Role;
      password: string;
      reach: Reach;
      phone?: string | null;
      mustChangePassword?: boolean;
    },
  ): Promise<number> {
    const passwordHash = await hashPassword(user.password, passwordHashCost);
    return transaction(async () => {
      const id = await users.insert({
        username: user.username,
        displayName: user.displayName,
        role: user.role,
        passwordHash,
        createdAt: clock.now().toISOString(),
        mustChangePassword: user.mustChangePassword ?? false,
        phone: user.phone ?? null,
      });
      await users.replaceReach(id, user.reach);
      await recordUser(
        actor,
        'user.create',
        id,
        undefined,
        auditedUser({
          ...user,
          active: true,
          mustChangePassword: user.mustChangePassword ?? false,
          phone: user.phone ?? null,
        }),
      );
      return id;
    });
  }

  /** A user with a password of their own choosing (the command line, the first admin, tests). */
  async function createUser(input: CreateUserInput): Promise<number> {
    const errors = validateNewUser(input);
    const displayName = checkedText(
      { display_name: input.displayName ?? '' },
      'display_name',
      TEXT_FIELDS.displayName,
      errors,
    );
    if (!errors.username && (await users.findByUsername(input.username))) {
      errors.username = 'Tên đăng nhập này đã có người dùng.';
    }
    const checked = isRole(input.role) ? await checkReach(input.role, input.reach ?? []) : {};
    if (checked.problem) errors.reach = checked.problem;
    assertNoFieldErrors(errors);
    return store(null, {
      username: input.username,
      displayName: displayName || input.username,
      role: input.role as Role,
      password: input.password,
      reach: checked.reach!,
    });
  }

  /**
   * An admin or team lead creates one user from the form: their one-time password is generated, returned to
   * be shown once, and must be changed at the first login. A team lead creates volunteers inside their reach.
   */
  async function createUserAs(actor: Actor, input: NewUserInput): Promise<CreatedAccount> {
    assertMayManageUsers(actor);
    const errors: FieldErrors = {};
    const username = cleanText(input.username).toLowerCase();
    if (!isRole(input.role)) throw new ValidationError({ role: 'Chọn một vai trò.' });
    assertMayGrant(actor, input.role);
    if (!USERNAME.test(username)) errors.username = USERNAME_RULE;
    else if (await users.findByUsername(username)) errors.username = 'Tên đăng nhập này đã có người dùng.';
    const { displayName, phone } = checkDetails(input, errors);
    const reach = await grantedReach(actor, input.role, input.reachText, errors);
    assertNoFieldErrors(errors);
    const password = generateOneTimePassword();
    const id = await store(actor, {
      username,
      displayName,
      role: input.role,
      password,
      reach: reach!,
      phone,
      mustChangePassword: true,
    });
    return { id, username, displayName, password };
  }

  /** Changes a user's name, phone, role and reach at once, or nothing (a field error on each wrong field). */
  async function updateUser(actor: Actor, id: number, input: UserDetailsInput): Promise<void> {
    assertMayManageUsers(actor);
    const target = await manageable(actor, await users.findById(id), () => new NotFoundError(USER_NOT_FOUND));
    if (!isRole(input.role)) throw new ValidationError({ role: 'Chọn một vai trò.' });
    assertMayGrant(actor, input.role);
    const errors: FieldErrors = {};
    if (target.id === actor.id && input.role !== target.role) {
      errors.role = 'Bạn không tự đổi được vai trò của mình: hãy nhờ một quản trị viên khác.';
    }
    const { displayName, phone } = checkDetails(input, errors);
    const reach = await grantedReach(actor, input.role, input.reachText, errors);
    assertNoFieldErrors(errors);
    await transaction(async () => {
      const before = auditedRow(target, await users.reachOf(target));
      await users.updateDetails(target.id, { displayName, phone, role: input.role as Role });
      await users.replaceReach(target.id, reach!);
      const after = auditedRow({ ...target, display_name: displayName, phone, role: input.role as Role }, reach!);
      await recordUser(actor, 'user.update', target.id, before, after);
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
   * Disables or re-enables an account (actor null: the command line). In the app an admin may for anyone but
   * themselves, a team lead for the volunteers inside their reach. A disabled user can no longer log in and
   * their sessions stop counting; ending those sessions is the caller's part (auth's account access), as
   * users know nothing of sessions. Returns the user as it now is, and whether it was active before, so the
   * caller can say when nothing changed.
   */
  async function setActive(
    actor: Actor | null,
    username: string,
    active: boolean,
  ): Promise<{ user: User; wasActive: boolean }> {
    if (actor) assertMayManageUsers(actor);
    const row = await manageable(actor, await users.findByUsername(username), () => new UnknownUserError(username));
    if (actor && row.id === actor.id && !active) {
      throw new ForbiddenError('Bạn không tự vô hiệu hóa được tài khoản của mình.');
    }
    // An account already as asked changes nothing, so it leaves no audit row.
    if ((row.active === 1) !== active) {
      await transaction(async () => {
        await users.setActive(row.id, active);
        await audit.record({
          actor,
          action: active ? 'user.enable' : 'user.disable',
          entity: 'user',
          entityId: row.id,
          changes: auditChanges({ active: row.active === 1 }, { active }, USER_AUDIT_FIELDS),
        });
      });
    }
    return { user: { ...toUser(row), active }, wasActive: row.active === 1 };
  }

  /**
   * A new one-time password for the user, hashed now (outside any transaction: scrypt takes ~100 ms) and
   * stored by `commit`, which also makes the user choose their own at the next login. The same rule as
   * setActive says who may; nobody resets their own here (they change it at /account/password).
   */
  async function preparePasswordReset(actor: Actor | null, username: string): Promise<PasswordReset> {
    if (actor) assertMayManageUsers(actor);
    const row = await manageable(actor, await users.findByUsername(username), () => new UnknownUserError(username));
    if (actor && row.id === actor.id) {
      throw new ForbiddenError('Mật khẩu của chính bạn được đổi ở trang Đổi mật khẩu.');
    }
    const password = generateOneTimePassword();
    const hash = await hashPassword(password, passwordHashCost);
    // The audit row says a reset happened; nothing of the password or its hash goes into it.
    const commit = () =>
      transaction(async () => {
        await users.setPasswordHash(row.id, hash, true);
        await audit.record({
          actor,
          action: 'user.reset_password',
          entity: 'user',
          entityId: row.id,
          changes: auditChanges(
            { must_change_password: row.must_change_password === 1 },
            { must_change_password: true },
            USER_AUDIT_FIELDS,
          ),
        });
      });
    return { user: toUser(row), password, commit };
  }

  /**
   * The user's own new password, checked (current one right, rules of password-rules.ts, typed twice, not the
   * current one again) and hashed now; `commit` stores it and lifts "must change". Throws
   * PasswordChangeRefusedError with a message next to each field.
   */
  async function prepareOwnPasswordChange(
    userId: number,
    input: { current: string; next: string; confirmation: string },
  ): Promise<{ commit(): Promise<void> }> {
    const row = await users.findById(userId);
    if (!row) throw new NotFoundError(USER_NOT_FOUND);
    const errors: FieldErrors = {};
    if (!input.current) errors.current_password = 'Nhập mật khẩu hiện tại (hoặc mật khẩu dùng một lần được cấp).';
    const problem = passwordProblem(input.next, row.username);
    if (problem) errors.new_password = problem;
    else if (input.next.normalize('NFC') === input.current.normalize('NFC')) {
      errors.new_password = 'Mật khẩu mới phải khác mật khẩu hiện tại.';
    }
    if (!errors.new_password && input.confirmation.normalize('NFC') !== input.next.normalize('NFC')) {
      errors.confirm_password = 'Hai lần nhập mật khẩu mới không giống nhau.';
    }
    let wrongCurrent = false;
    if (input.current && !(await verifyPassword(input.current, row.password_hash))) {
      wrongCurrent = true;
      errors.current_password = 'Mật khẩu hiện tại không đúng.';
    }
    if (Object.keys(errors).length > 0) throw new PasswordChangeRefusedError(errors, wrongCurrent);
    const hash = await hashPassword(input.next, passwordHashCost);
    const commit = () =>
      transaction(async () => {
        await users.setPasswordHash(row.id, hash, false);
        await audit.record({
          actor: { id: row.id },
          action: 'user.password_change',
          entity: 'user',
          entityId: row.id,
          changes: auditChanges(
            { must_change_password: row.must_change_password === 1 },
            { must_change_password: false },
            USER_AUDIT_FIELDS,
          ),
        });
      });
    return { commit };
  }

  /**
   * Finds the commune a list names in words ("Phường Pleiku", "Pleiku", "Pleiku (Gia Lai)"): only an exact
   * name counts, and only inside a team lead's reach, so that a near match never lands a volunteer in the
   * wrong commune; several with that name is a problem that lists them, with their codes.
   */
  async function communeNamed(actor: Actor, text: string): Promise<{ unit?: ReachUnit; problem?: string }> {
    const qualified = /^(.*?)\s*\(([^()]+)\)\s*$/.exec(text);
    const name = qualified ? qualified[1]! : text;
    const provinceKey = qualified ? foldForSearch(qualified[2]!) : undefined;
    const keys = communeNameKeys(name);
    const candidates = (await places.searchCommunes(name, undefined, 50)).filter(
      (commune) =>
        (actor.role === 'admin' ||
          reachCoversCommune(actor.reach, { communeCode: commune.code, provinceCode: commune.province_code })) &&
        (provinceKey === undefined || foldForSearch(commune.province_name).endsWith(provinceKey)),
    );
    const exact = candidates.filter((commune) => communeNameKeys(commune.name).some((key) => keys.includes(key)));
    if (exact.length === 1) return { unit: { kind: 'commune', code: exact[0]!.code } };
    const listed = (exact.length > 1 ? exact : candidates)
      .slice(0, 4)
      // A list that still uses an old name sees which commune holds it now.
      .map(
        (c) =>
          `${c.name}${c.formerName ? ` (trước đây: ${c.formerName})` : ''} (${c.province_name}): commune:${c.code}`,
      )
      .join('; ');
    if (exact.length > 1) return { problem: `Có nhiều xã/phường tên "${text}": ${listed}. Hãy ghi mã.` };
    const where = actor.role === 'admin' ? '' : ' trong phạm vi của bạn';
    return {
      problem: listed
        ? `Không có xã/phường nào tên đúng "${text}"${where}; gần giống: ${listed}.`
        : `Không tìm thấy xã/phường "${text}"${where}.`,
    };
  }

  /** A reach written in a list's cell, as units, or what is wrong with it. */
  async function readReachText(actor: Actor, text: string): Promise<{ units: ReachUnit[]; problem?: string }> {
    const parts = text
      .split(/[;\n]+/)
      .map(cleanText)
      .filter(Boolean);
    if (parts.length > MAX_REACH_UNITS) return { units: [], problem: `Tối đa ${MAX_REACH_UNITS} đơn vị.` };
    const units: ReachUnit[] = [];
    for (const part of parts) {
      const unit =
        parseReachUnit(part) ?? (/^\d{5}$/.test(part) ? { kind: 'commune' as const, code: part } : undefined);
      if (unit) {
        units.push(unit);
        continue;
      }
      if (/^[a-z]+\s*:/i.test(part) || /^\d+$/.test(part)) {
        return { units, problem: `"${part}" không phải phạm vi hợp lệ. ${REACH_UNIT_HELP}` };
      }
      const named = await communeNamed(actor, part);
      if (!named.unit) return { units, problem: named.problem };
      units.push(named.unit);
    }
    return { units };
  }

  /**
   * Checks a list of new users before anything is saved: each line's problems, column by column (username
   * rules, twice in the list, already taken; name; phone; reach unknown or outside a team lead's). A team
   * lead creates volunteers only (403 otherwise); a line without a reach takes `defaultReach`.
   */
  async function checkNewUsers(
    actor: Actor,
    role: string,
    lines: readonly NewUserLine[],
    defaultReach = '',
  ): Promise<{ role: Role; lines: CheckedUserLine[] }> {
    assertMayManageUsers(actor);
    if (!isRole(role)) throw new ValidationError({ role: 'Chọn một vai trò.' });
    assertMayGrant(actor, role);
    const lookup = lookups();
    const readReach = memo(async (text: string) => {
      const read = await readReachText(actor, text);
      if (read.problem) return { ...read, words: [] as string[] };
      const checked = await checkGrantedReach(actor, role, read.units, lookup);
      return { units: read.units, problem: checked.problem, words: await describeUnits(read.units, lookup) };
    });
    const seen = new Map<string, number>();
    const checked: CheckedUserLine[] = [];
    for (const line of lines) {
      const problems: Partial<Record<NewUserField, string>> = {};
      const username = cleanText(line.username).toLowerCase();
      if (!username) problems.username = 'Thiếu tên đăng nhập.';
      else if (!USERNAME.test(username)) problems.username = USERNAME_RULE;
      else if (seen.has(username)) problems.username = `Trùng tên đăng nhập với dòng ${seen.get(username)}.`;
      else if (await users.findByUsername(username)) problems.username = 'Tên đăng nhập này đã có người dùng.';
      if (username && !seen.has(username)) seen.set(username, line.line);

      const errors: FieldErrors = {};
      const { displayName, phone } = checkDetails(line, errors);
      if (errors.display_name) problems.displayName = errors.display_name;
      if (errors.phone) problems.phone = errors.phone;

      const reachText = cleanText(line.reach) || cleanText(defaultReach);
      let units: readonly ReachUnit[] = [];
      let reachWords: readonly string[] = [];
      if (!reachText) {
        problems.reach = 'Thiếu phạm vi: ghi xã/phường (ví dụ commune:23575 hoặc "Phường Pleiku").';
      } else {
        const reach = await readReach(reachText);
        units = reach.units;
        reachWords = reach.words;
        if (reach.problem) problems.reach = reach.problem;
      }
      checked.push({ line: line.line, username, displayName, phone, units, reachWords, problems });
    }
    return { role, lines: checked };
  }

  /**
   * Creates every user of the list in one transaction, all or none: refused (nothing saved, `created`
   * undefined) when any line has a problem, checked again here whatever the preview said. Each gets a
   * one-time password, returned once for the printed sheet, to be changed at the first login.
   */
  async function createUsers(
    actor: Actor,
    role: string,
    lines: readonly NewUserLine[],
    defaultReach = '',
  ): Promise<{ role: Role; lines: CheckedUserLine[]; created?: CreatedAccount[] }> {
    const checked = await checkNewUsers(actor, role, lines, defaultReach);
    if (checked.lines.length === 0 || checked.lines.some((line) => Object.keys(line.problems).length > 0)) {
      return checked;
    }
    const passwords = checked.lines.map(() => generateOneTimePassword());
    // Hashed before the transaction opens: the database is not held while scrypt runs.
    const hashes = await mapAtMost(passwords, HASHES_AT_ONCE, (password) => hashPassword(password, passwordHashCost));
    const createdAt = clock.now().toISOString();
    const created = await transaction(async () => {
      const accounts: CreatedAccount[] = [];
      for (const [index, line] of checked.lines.entries()) {
        // Someone may have taken the name since the check: the whole list is refused, nothing half-saved.
        if (await users.findByUsername(line.username)) {
          throw new ValidationError(
            { file: `Tên đăng nhập ${line.username} (dòng ${line.line}) vừa được tạo. Hãy kiểm tra lại danh sách.` },
            `Tên đăng nhập ${line.username} vừa được tạo. Không tài khoản nào được tạo.`,
          );
        }
        const id = await users.insert({
          username: line.username,
          displayName: line.displayName,
          role: checked.role,
          passwordHash: hashes[index]!,
          createdAt,
          mustChangePassword: true,
          phone: line.phone,
        });
        const reach = reachOfUnits(line.units);
        await users.replaceReach(id, reach);
        await recordUser(
          actor,
          'user.bulk_create',
          id,
          undefined,
          auditedUser({
            username: line.username,
            displayName: line.displayName,
            role: checked.role,
            active: true,
            mustChangePassword: true,
            reach,
            phone: line.phone,
          }),
        );
        accounts.push({ id, username: line.username, displayName: line.displayName, password: passwords[index]! });
      }
      return accounts;
    });
    return { ...checked, created };
  }

  return {
    assertMayManageUsers,
    createUser,
    createUserAs,
    updateUser,
    ensureFirstAdmin,
    verifyCredentials,
    setActive,
    preparePasswordReset,
    prepareOwnPasswordChange,
    checkNewUsers,
    createUsers,
    checkReach,
    describeReaches,
    describeUnits: (units: readonly ReachUnit[]) => describeUnits(units),
    grantableRoles,
    /** The id of the user with this username, if any: for the audit rows of failed logins. */
    idOfUsername: async (username: string): Promise<number | undefined> => (await users.findByUsername(username))?.id,
    findById: async (id: number): Promise<User | undefined> => {
      const row = await users.findById(id);
      return row && toUser(row);
    },
    /** The user and their reach: what a session needs to act for them. */
    findWithReach: async (id: number): Promise<UserWithReach | undefined> => {
      const row = await users.findById(id);
      return row && { ...toUser(row), reach: await users.reachOf(row) };
    },
    /** The user with their phone if the actor may manage them; 404 when missing or outside, 403 when not theirs. */
    async getManageable(actor: Actor, id: number): Promise<ManagedUser> {
      assertMayManageUsers(actor);
      return toManaged(await manageable(actor, await users.findById(id), () => new NotFoundError(USER_NOT_FOUND)));
    },
    /**
     * For an admin, who manages everyone: one page of the list, searched and filtered in SQL, with the number
     * that match. Undefined for a team lead (whose list depends on each volunteer's reach) and while some
     * users have no search key yet: the caller then filters listManageable itself.
     */
    async pageManageable(
      actor: Actor,
      filter: { query: string; role?: Role; active?: boolean; limit: number; offset: number },
    ): Promise<{ users: ManagedUser[]; total: number } | undefined> {
      assertMayManageUsers(actor);
      if (actor.role !== 'admin' || !(await users.allSearchKeysFilled())) return undefined;
      const { query, ...rest } = filter;
      const { rows, total } = await users.pageWithReach({ ...rest, words: searchWords(query) });
      return { users: rows.map(toManaged), total };
    },
    /** Gives every user a search key (users created before the key had none): run at start, in one go. */
    fillSearchKeys: (): Promise<number> => transaction(() => users.fillSearchKeys()),
    /**
     * A manageable user for their page or edit form, which show their phone: that view is recorded
     * ('user.view_personal') when there is a phone to see. A user without one records nothing.
     */
    async viewManageable(actor: Actor, id: number): Promise<ManagedUser> {
      assertMayManageUsers(actor);
      const user = toManaged(
        await manageable(actor, await users.findById(id), () => new NotFoundError(USER_NOT_FOUND)),
      );
      if (user.phone) await transaction(() => recordUser(actor, 'user.view_personal', user.id, undefined, {}));
      return user;
    },
    /**
     * Everyone an admin manages; for a team lead the volunteers inside their reach. 403 for other roles. With
     * a query, only the users whose search key holds its words (and any whose key is not filled yet: the
     * caller matches the query itself too).
     */
    async listManageable(actor: Actor, query = ''): Promise<ManagedUser[]> {
      assertMayManageUsers(actor);
      const rows = await users.listWithReach(searchWords(query));
      if (actor.role === 'admin') return rows.map(toManaged);
      const volunteers = rows.filter((row) => row.role === 'volunteer');
      const where = await placesOf(volunteers.map((row) => row.reach));
      return volunteers.filter((row) => insideLeadsReach(actor, row.reach, where)).map(toManaged);
    },
  };
}

export type UsersService = ReturnType<typeof createUsersService>;
