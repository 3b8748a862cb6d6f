import { describe, expect, it } from 'vitest';
import type { Actor } from '../../src/actor.js';
import { WHOLE_COUNTRY } from '../../src/vocabulary/reach.js';
import { createTestContext, TEST_PASSWORD } from '../helpers/app.js';

type Db = ReturnType<typeof createTestContext>['db'];

interface Row {
  user_id: number | null;
  action: string;
  entity: string;
  entity_id: number | null;
  site_id: number | null;
  commune_code: string | null;
  changes: Record<string, unknown>;
}

function auditRows(db: Db, action?: string): Row[] {
  const rows = db
    .prepare(
      'SELECT user_id, action, entity, entity_id, site_id, commune_code, changes FROM audit_log ' +
        (action ? 'WHERE action = ? ' : '') +
        'ORDER BY id',
    )
    .all(...(action ? [action] : [])) as (Omit<Row, 'changes'> & { changes: string })[];
  return rows.map((row) => ({ ...row, changes: JSON.parse(row.changes) as Record<string, unknown> }));
}

/** Every row as stored, for "no personal value and no password anywhere". */
function wholeLog(db: Db): string {
  return JSON.stringify(db.prepare('SELECT * FROM audit_log').all());
}

const PHONE = '0905123456';

async function withAdmin() {
  const context = createTestContext();
  const adminId = await context.createUser('quan.tri', 'admin');
  const admin: Actor = { id: adminId, role: 'admin', reach: WHOLE_COUNTRY };
  return { ...context, admin, adminId };
}

describe('audit rows of user management', () => {
  it('when an admin creates a user, then user.create names the plain fields and only marks the phone', async () => {
    const { db, services, admin, adminId } = await withAdmin();
    const created = await services.users.createUserAs(admin, {
      username: 'tnv.lan',
      displayName: 'Nguyễn Thị Lan',
      phone: '0905 123 456',
      role: 'volunteer',
      reachText: 'commune:23575; province:52',
    });

    expect(auditRows(db, 'user.create').at(-1)).toEqual({
      user_id: adminId,
      action: 'user.create',
      entity: 'user',
      entity_id: created.id,
      site_id: null,
      commune_code: null,
      changes: {
        username: { after: 'tnv.lan' },
        display_name: { after: 'Nguyễn Thị Lan' },
        role: { after: 'volunteer' },
        active: { after: true },
        must_change_password: { after: true },
        whole_country: { after: false },
        reach: { after: 'province:52,commune:23575' },
        phone: { changed: true },
      },
    });
    const log = wholeLog(db);
    expect(log).not.toContain(PHONE);
    expect(log).not.toContain(created.password);
    expect(log).not.toMatch(/password_hash|scrypt|\$/);
  });

  it('when the audit row cannot be written, then the user is not created either', async () => {
    const { db, services } = createTestContext();
    // An actor who is not a user: the audit row's user_id fails its foreign key inside the transaction.
    const ghost: Actor = { id: 4242, role: 'admin', reach: WHOLE_COUNTRY };
    await expect(
      services.users.createUserAs(ghost, {
        username: 'tnv.lan',
        displayName: 'Lan',
        phone: '',
        role: 'volunteer',
        reachText: 'commune:23575',
      }),
    ).rejects.toThrow(/FOREIGN KEY/);
    expect(db.prepare("SELECT count(*) FROM users WHERE username = 'tnv.lan'").pluck().get()).toBe(0);
    expect(auditRows(db)).toEqual([]);
  });

  it('when a user is edited, then user.update keeps each change before and after, the phone as changed', async () => {
    const { db, services, admin, adminId } = await withAdmin();
    const { id } = await services.users.createUserAs(admin, {
      username: 'tnv.lan',
      displayName: 'Lan',
      phone: '',
      role: 'volunteer',
      reachText: 'commune:23575',
    });
    await services.users.updateUser(admin, id, {
      displayName: 'Nguyễn Thị Lan',
      phone: PHONE,
      role: 'team_lead',
      reachText: 'commune:23575;commune:23887',
    });

    expect(auditRows(db, 'user.update')).toEqual([
      {
        user_id: adminId,
        action: 'user.update',
        entity: 'user',
        entity_id: id,
        site_id: null,
        commune_code: null,
        changes: {
          display_name: { before: 'Lan', after: 'Nguyễn Thị Lan' },
          role: { before: 'volunteer', after: 'team_lead' },
          reach: { before: 'commune:23575', after: 'commune:23575,commune:23887' },
          phone: { changed: true },
        },
      },
    ]);
    expect(wholeLog(db)).not.toContain(PHONE);
  });

  it('when an edit is rolled back with the transaction around it, then neither change nor row stays', async () => {
    const { db, data, services, admin } = await withAdmin();
    const { id } = await services.users.createUserAs(admin, {
      username: 'tnv.lan',
      displayName: 'Lan',
      phone: '',
      role: 'volunteer',
      reachText: 'commune:23575',
    });
    const failing = data.transaction(async () => {
      await services.users.updateUser(admin, id, {
        displayName: 'Lan',
        phone: '',
        role: 'team_lead',
        reachText: 'commune:23575',
      });
      throw new Error('something after it failed');
    });
    await expect(failing).rejects.toThrow('something after it failed');
    expect(db.prepare('SELECT role FROM users WHERE id = ?').pluck().get(id)).toBe('volunteer');
    expect(auditRows(db, 'user.update')).toEqual([]);
  });

  it('when an account is disabled and enabled, then each writes its row; disabling it again writes none', async () => {
    const { db, services, admin, adminId, createUser } = await withAdmin();
    const id = await createUser('tnv.lan', 'volunteer', [{ kind: 'commune', code: '23575' }]);
    await services.accountAccess.disable(admin, 'tnv.lan');
    await services.accountAccess.disable(admin, 'tnv.lan');
    await services.accountAccess.enable(null, 'tnv.lan');

    const rows = auditRows(db).filter((row) => row.action === 'user.disable' || row.action === 'user.enable');
    expect(rows).toEqual([
      expect.objectContaining({
        user_id: adminId,
        action: 'user.disable',
        entity_id: id,
        changes: { active: { before: true, after: false } },
      }),
      expect.objectContaining({
        user_id: null,
        action: 'user.enable',
        entity_id: id,
        changes: { active: { before: false, after: true } },
      }),
    ]);
  });

  it('when a password is reset or changed, then the rows say so and hold no password and no hash', async () => {
    const { db, services, admin, adminId, createUser } = await withAdmin();
    const id = await createUser('tnv.lan', 'volunteer', [{ kind: 'commune', code: '23575' }]);
    const reset = await services.accountAccess.resetPassword(admin, 'tnv.lan');
    const chosen = 'mot-mat-khau-moi-rat-dai';
    await services.accountAccess.changeOwnPassword(
      { id, username: 'tnv.lan' },
      { current: reset.password, next: chosen, confirmation: chosen },
      '10.0.0.1',
    );

    expect(auditRows(db, 'user.reset_password')).toEqual([
      expect.objectContaining({
        user_id: adminId,
        entity_id: id,
        changes: { must_change_password: { before: false, after: true } },
      }),
    ]);
    expect(auditRows(db, 'user.password_change')).toEqual([
      expect.objectContaining({
        user_id: id,
        entity_id: id,
        changes: { must_change_password: { before: true, after: false } },
      }),
    ]);
    const hash = db.prepare('SELECT password_hash FROM users WHERE id = ?').pluck().get(id) as string;
    const log = wholeLog(db);
    for (const secret of [reset.password, chosen, TEST_PASSWORD, hash]) expect(log).not.toContain(secret);
  });

  it('when a list of users is created, then each created user has its user.bulk_create row', async () => {
    const { db, services, admin, adminId } = await withAdmin();
    const result = await services.users.createUsers(admin, 'volunteer', [
      { line: 2, username: 'tnv.an', displayName: 'Trần An', phone: PHONE, reach: 'commune:23575' },
      { line: 3, username: 'tnv.binh', displayName: 'Lê Bình', phone: '', reach: 'commune:23887' },
    ]);
    expect(result.created).toHaveLength(2);

    const rows = auditRows(db, 'user.bulk_create');
    expect(rows.map((row) => [row.user_id, row.entity_id, row.changes.username, row.changes.reach])).toEqual(
      result.created!.map((account, index) => [
        adminId,
        account.id,
        { after: account.username },
        { after: ['commune:23575', 'commune:23887'][index] },
      ]),
    );
    expect(rows[0]!.changes.phone).toEqual({ changed: true });
    expect(rows[1]!.changes.phone).toBeUndefined();
    const log = wholeLog(db);
    expect(log).not.toContain(PHONE);
    for (const account of result.created!) expect(log).not.toContain(account.password);
  });

  it('when a list has a problem, then no user and no row is written', async () => {
    const { db, services, admin } = await withAdmin();
    const before = auditRows(db).length;
    const result = await services.users.createUsers(admin, 'volunteer', [
      { line: 2, username: 'tnv.an', displayName: 'Trần An', phone: '', reach: 'commune:23575' },
      { line: 3, username: 'X', displayName: 'Lê Bình', phone: '', reach: 'commune:23887' },
    ]);
    expect(result.created).toBeUndefined();
    expect(auditRows(db)).toHaveLength(before);
  });

  it('when an admin opens a user with a phone (page, edit form), then each view is logged, not the phone', async () => {
    const context = createTestContext();
    const { agent, userId: adminId } = await context.loginAs('admin', 'quan.tri');
    const admin: Actor = { id: adminId, role: 'admin', reach: WHOLE_COUNTRY };
    const withPhone = await context.services.users.createUserAs(admin, {
      username: 'tnv.lan',
      displayName: 'Nguyễn Thị Lan',
      phone: PHONE,
      role: 'volunteer',
      reachText: 'commune:23575',
    });

    const page = await agent.get(`/admin/users/${withPhone.id}`).expect(200);
    await agent.get(`/admin/users/${withPhone.id}/edit`).expect(200);

    expect(page.text).toContain('0905123456');
    const views = auditRows(context.db, 'user.view_personal');
    expect(views.map((row) => [row.user_id, row.entity, row.entity_id])).toEqual([
      [adminId, 'user', withPhone.id],
      [adminId, 'user', withPhone.id],
    ]);
    expect(wholeLog(context.db)).not.toContain(PHONE);
  });

  it('when an admin opens the page of a user without a phone, then no view is recorded', async () => {
    const context = createTestContext();
    const { agent } = await context.loginAs('admin', 'quan.tri');
    const volunteerId = await context.createUser('tnv.khong.so', 'volunteer');

    await agent.get(`/admin/users/${volunteerId}`).expect(200);

    expect(auditRows(context.db, 'user.view_personal')).toEqual([]);
  });
});
