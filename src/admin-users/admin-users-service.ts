import type { Actor } from '../actor.js';
import type { LoginThrottle } from '../auth/login-throttle-service.js';
import { parsePageNumber } from '../http/pagination.js';
import { matchesSearch } from '../text/fold.js';
import type { ManagedUser, UsersService } from '../users/users-service.js';
import { isRole, type Role } from '../vocabulary/roles.js';
import { createUserListReader, type UserListReader } from './user-list.js';
import { searchQuery } from '../text/search-query.js';

/** Users on one page of the list: a commune's volunteers fit on one, a province's take a few. */
export const USERS_PER_PAGE = 50;

export interface UserListFilters {
  /** Words of the username or the name, accents optional. */
  readonly query: string;
  /** The query was longer than the search caps and was cut (the page says so). */
  readonly queryCut: boolean;
  readonly role?: Role;
  readonly status?: 'active' | 'disabled';
  /** Only accounts that failed logins locked. */
  readonly lockedOnly: boolean;
  /** From 1. */
  readonly page: number;
}

export interface UserListEntry extends ManagedUser {
  /** The reach in words ("Phường Pleiku (Gia Lai)"); empty for a user who has none yet. */
  readonly reachWords: readonly string[];
  readonly locked: boolean;
}

export interface AdminUsersDeps {
  readonly users: UsersService;
  readonly throttle: Pick<LoginThrottle, 'lockedUsernames' | 'isLocked'>;
  /** Reads uploaded lists in a worker; one is made when not given. */
  readonly readUserList?: UserListReader;
}

/** Query text to filters: anything unknown is ignored, not an error (a link that was edited by hand). */
export function userListFilters(query: Record<string, unknown>): UserListFilters {
  const text = (name: string) => (typeof query[name] === 'string' ? (query[name] as string).slice(0, 100) : '');
  const status = text('status');
  const search = searchQuery(query.q);
  return {
    query: search.text,
    queryCut: search.cut,
    role: isRole(text('role')) ? (text('role') as Role) : undefined,
    status: status === 'active' || status === 'disabled' ? status : undefined,
    lockedOnly: text('locked') === '1',
    page: parsePageNumber(query.page),
  };
}

/**
 * The pages of user management (/admin/users): the users the actor manages (the users service decides who
 * they are), searched, filtered and with the facts the list shows — reach in words, locked or not.
 */
export function createAdminUsersService({ users, throttle, readUserList = createUserListReader() }: AdminUsersDeps) {
  /** An admin's list (not of locked accounts only), searched and paged in SQL; undefined when it cannot be. */
  async function pagedInSql(actor: Actor, filters: UserListFilters) {
    if (filters.lockedOnly) return undefined;
    const filter = {
      query: filters.query,
      role: filters.role,
      active: filters.status === undefined ? undefined : filters.status === 'active',
      limit: USERS_PER_PAGE,
    };
    let page = filters.page;
    let found = await users.pageManageable(actor, { ...filter, offset: (page - 1) * USERS_PER_PAGE });
    const pages = found ? Math.max(1, Math.ceil(found.total / USERS_PER_PAGE)) : 1;
    if (found && page > pages) {
      page = pages;
      found = await users.pageManageable(actor, { ...filter, offset: (page - 1) * USERS_PER_PAGE });
    }
    return found && { shown: found.users, total: found.total, page, pages };
  }

  /** One page of the list: a page of users, all that matched, and where the page is. */
  async function listed(shown: ManagedUser[], total: number, page: number, pages: number, locked: ReadonlySet<string>) {
    const words = await users.describeReaches(shown.map((user) => user.reach));
    const entries: UserListEntry[] = shown.map((user, index) => ({
      ...user,
      reachWords: words[index]!,
      locked: locked.has(user.username.toLowerCase()),
    }));
    return { users: entries, total, page, pages };
  }

  async function list(actor: Actor, filters: UserListFilters) {
    const locked = await throttle.lockedUsernames();
    const paged = await pagedInSql(actor, filters);
    if (paged) return listed(paged.shown, paged.total, paged.page, paged.pages, locked);
    const matching = (await users.listManageable(actor, filters.query)).filter(
      (user) =>
        (!filters.query || matchesSearch(`${user.username} ${user.displayName}`, filters.query)) &&
        (!filters.role || user.role === filters.role) &&
        (!filters.status || user.active === (filters.status === 'active')) &&
        (!filters.lockedOnly || locked.has(user.username.toLowerCase())),
    );
    const pages = Math.max(1, Math.ceil(matching.length / USERS_PER_PAGE));
    const page = Math.min(filters.page, pages);
    const shown = matching.slice((page - 1) * USERS_PER_PAGE, page * USERS_PER_PAGE);
    return listed(shown, matching.length, page, pages, locked);
  }

  /** One user's page: 404 outside the actor's reach, 403 when the actor may not manage them. */
  async function entryOf(user: ManagedUser): Promise<UserListEntry> {
    const [reachWords] = await users.describeReaches([user.reach]);
    return { ...user, reachWords: reachWords!, locked: await throttle.isLocked(user.username) };
  }

  return {
    list,
    readUserList,
    /** A user the actor manages, for the routes that act on them (404 outside, 403 for other roles). */
    userPage: async (actor: Actor, id: number): Promise<UserListEntry> => entryOf(await users.getManageable(actor, id)),
    /** The same, for the pages that show the user's phone: that view is recorded in the audit trail. */
    viewUserPage: async (actor: Actor, id: number): Promise<UserListEntry> =>
      entryOf(await users.viewManageable(actor, id)),
  };
}

export type AdminUsersService = ReturnType<typeof createAdminUsersService>;
