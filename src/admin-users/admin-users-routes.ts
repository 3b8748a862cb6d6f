import { Router, type Response } from 'express';
import type { Actor } from '../actor.js';
import type { Province } from '../admin-units/admin-units-service.js';
import type { AccountAccess } from '../auth/account-access.js';
import { ValidationError } from '../http/errors.js';
import { withForm } from '../http/form-context.js';
import { paginate, pagerView } from '../http/pagination.js';
import { actorOf, parseId } from '../http/params.js';
import { textField, type FormInput } from '../http/validate.js';
import type { ManagedUser, UsersService } from '../users/users-service.js';
import { formatReachUnit, parseReachUnit, reachUnits } from '../vocabulary/reach.js';
import type { Role } from '../vocabulary/roles.js';
import { USERS_PER_PAGE, userListFilters, type AdminUsersService, type UserListEntry } from './admin-users-service.js';
import {
  decodeUserList,
  encodeUserList,
  USER_LIST_COLUMNS_HELP,
  USER_LIST_MAX_BYTES,
  USER_LIST_MAX_LINES,
} from './user-list.js';
import { searchCutNotice } from '../text/search-query.js';

export interface AdminUsersRoutesDeps {
  readonly users: UsersService;
  readonly adminUsers: AdminUsersService;
  readonly accountAccess: AccountAccess;
  readonly adminUnits: { listProvinces(): Promise<Province[]> };
  /** Where volunteers log in, printed next to their one-time passwords. */
  readonly publicBaseUrl: string;
}

/** The form's checkboxes and additions, as one reach text for the users service (units separated by ";"). */
function reachTextOf(body: FormInput): string {
  const kept = ([] as unknown[]).concat(body.reach ?? []).filter((value): value is string => typeof value === 'string');
  const communeCode = textField(body, 'commune_code');
  const province = textField(body, 'add_province');
  return [
    ...kept,
    textField(body, 'reach_codes'),
    communeCode ? `commune:${communeCode}` : textField(body, 'commune_query'),
    province ? `province:${province}` : '',
  ]
    .map((part) => part.trim())
    .filter(Boolean)
    .join(';');
}

function detailsOf(body: FormInput) {
  return {
    displayName: textField(body, 'display_name'),
    phone: textField(body, 'phone'),
    role: textField(body, 'role'),
    reachText: reachTextOf(body),
  };
}

/**
 * /admin/users: user management for admins (everyone) and team leads (the volunteers inside their reach):
 * the list, one user's page, creating and editing, disabling, resetting a password, unlocking, and creating
 * many volunteers from a CSV or XLSX list. Every page holds personal data (phones) or a one-time password:
 * none is kept by the browser (Cache-Control: no-store).
 */
export function adminUsersRoutes({
  users,
  adminUsers,
  accountAccess,
  adminUnits,
  publicBaseUrl,
}: AdminUsersRoutesDeps): Router {
  const router = Router();
  const loginUrl = `${publicBaseUrl}/login`;

  router.use((_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });
  router.param('userId', async (req, res, next, raw) => {
    res.locals.managedUser = await adminUsers.userPage(actorOf(req), parseId(raw));
    next();
  });
  const managedOf = (res: Response) => res.locals.managedUser as UserListEntry;

  /** The locals of the create and edit form: the roles the actor may give, the provinces they may add. */
  async function formPage(actor: Actor, user: ManagedUser | undefined, values: FormInput) {
    const provinces = (await adminUnits.listProvinces()).filter(
      (province) => actor.role === 'admin' || actor.reach.wholeCountry || actor.reach.provinces.includes(province.code),
    );
    const kept = ([] as unknown[]).concat(values.reach ?? []).filter((v): v is string => typeof v === 'string');
    const units = kept.flatMap((text) => {
      const unit = parseReachUnit(text);
      return unit ? [unit] : [];
    });
    const words = await users.describeUnits(units);
    return {
      title: user ? `Sửa ${user.displayName}` : 'Thêm người dùng',
      user,
      roles: users.grantableRoles(actor),
      provinces,
      reachChoices: units.map((unit, index) => ({ value: formatReachUnit(unit), words: words[index] })),
    };
  }

  function importPage(actor: Actor) {
    return {
      title: 'Thêm người dùng từ danh sách',
      roles: users.grantableRoles(actor),
      columnsHelp: USER_LIST_COLUMNS_HELP,
      maxMegabytes: USER_LIST_MAX_BYTES / 1024 / 1024,
      maxLines: USER_LIST_MAX_LINES,
    };
  }

  router.get('/', async (req, res) => {
    const actor = actorOf(req);
    const filters = userListFilters(req.query);
    const result = await adminUsers.list(actor, filters);
    const query = {
      q: filters.query,
      role: filters.role,
      status: filters.status,
      locked: filters.lockedOnly ? '1' : undefined,
    };
    res.render('admin-users/list', {
      title: 'Người dùng',
      searchNotice: searchCutNotice({ text: filters.query, cut: filters.queryCut }),
      ...result,
      filters,
      roles: users.grantableRoles(actor),
      pager: pagerView(paginate(result.total, result.page, USERS_PER_PAGE), {
        path: '/admin/users',
        query,
        noun: 'người dùng',
      }),
    });
  });

  router.get('/new', async (req, res) => {
    const actor = actorOf(req);
    users.assertMayManageUsers(actor);
    res.render('admin-users/form', { ...(await formPage(actor, undefined, {})), values: { role: 'volunteer' } });
  });

  router.post('/', async (req, res) => {
    const actor = actorOf(req);
    const body = (req.body ?? {}) as FormInput;
    withForm(res, 'admin-users/form', () => formPage(actor, undefined, body));
    const account = await users.createUserAs(actor, { ...detailsOf(body), username: textField(body, 'username') });
    res.render('admin-users/password', { title: 'Đã tạo tài khoản', account, created: true, loginUrl });
  });

  router.get('/import', (req, res) => {
    const actor = actorOf(req);
    users.assertMayManageUsers(actor);
    res.render('admin-users/import', { ...importPage(actor), values: { role: 'volunteer' } });
  });

  router.post('/import', async (req, res) => {
    const actor = actorOf(req);
    users.assertMayManageUsers(actor);
    const body = (req.body ?? {}) as FormInput;
    withForm(res, 'admin-users/import', () => importPage(actor));
    if (!req.file) throw new ValidationError({ user_list: 'Chọn tệp danh sách (CSV hoặc XLSX).' });
    const read = await adminUsers.readUserList(req.file.buffer);
    if (read.problem !== undefined) throw new ValidationError({ user_list: read.problem });
    const role = textField(body, 'role') || 'volunteer';
    const defaultReach = textField(body, 'default_reach');
    const checked = await users.checkNewUsers(actor, role, read.lines, defaultReach);
    res.render('admin-users/preview', {
      ...importPage(actor),
      title: 'Xem trước danh sách',
      ...checked,
      notes: read.notes,
      payload: encodeUserList({ role, defaultReach, lines: read.lines }),
    });
  });

  router.post('/import/confirm', async (req, res) => {
    const actor = actorOf(req);
    users.assertMayManageUsers(actor);
    const body = (req.body ?? {}) as FormInput;
    withForm(res, 'admin-users/import', () => importPage(actor));
    const payload = decodeUserList(body.payload);
    if (!payload) {
      throw new ValidationError({ user_list: 'Không đọc được danh sách đã xem trước: hãy tải tệp lên lại.' });
    }
    const result = await users.createUsers(actor, payload.role, payload.lines, payload.defaultReach);
    if (!result.created) {
      res.status(400).render('admin-users/preview', {
        ...importPage(actor),
        title: 'Xem trước danh sách',
        ...result,
        notes: [],
        payload: encodeUserList(payload),
        refused: true,
      });
      return;
    }
    res.render('admin-users/sheet', {
      title: 'Phiếu mật khẩu',
      accounts: result.created,
      role: result.role as Role,
      loginUrl,
    });
  });

  router.get('/:userId', async (req, res) => {
    const user = await adminUsers.viewUserPage(actorOf(req), managedOf(res).id);
    res.render('admin-users/show', { title: user.displayName, managed: user });
  });

  router.get('/:userId/edit', async (req, res) => {
    const user = await adminUsers.viewUserPage(actorOf(req), managedOf(res).id);
    const values = {
      display_name: user.displayName,
      phone: user.phone ?? '',
      role: user.role,
      reach: reachUnits(user.reach).map(formatReachUnit),
    };
    res.render('admin-users/form', { ...(await formPage(actorOf(req), user, values)), values });
  });

  router.post('/:userId', async (req, res) => {
    const actor = actorOf(req);
    const user = managedOf(res);
    const body = (req.body ?? {}) as FormInput;
    withForm(res, 'admin-users/form', () => formPage(actor, user, body));
    await users.updateUser(actor, user.id, detailsOf(body));
    res.redirect(303, `/admin/users/${user.id}?done=saved`);
  });

  router.post('/:userId/disable', async (req, res) => {
    const user = managedOf(res);
    const { endedSessions } = await accountAccess.disable(actorOf(req), user.username);
    res.redirect(303, `/admin/users/${user.id}?done=disabled&sessions=${endedSessions}`);
  });

  router.post('/:userId/enable', async (req, res) => {
    const user = managedOf(res);
    await accountAccess.enable(actorOf(req), user.username);
    res.redirect(303, `/admin/users/${user.id}?done=enabled`);
  });

  router.post('/:userId/unlock', async (req, res) => {
    const user = managedOf(res);
    await accountAccess.unlock(actorOf(req), user.id);
    res.redirect(303, `/admin/users/${user.id}?done=unlocked`);
  });

  // The one-time password is the answer to the POST itself: never in a URL, never stored in clear.
  router.post('/:userId/reset-password', async (req, res) => {
    const { user, password, endedSessions } = await accountAccess.resetPassword(actorOf(req), managedOf(res).username);
    res.render('admin-users/password', {
      title: 'Mật khẩu dùng một lần',
      account: { ...user, password },
      created: false,
      endedSessions,
      locked: managedOf(res).locked,
      loginUrl,
    });
  });

  return router;
}
