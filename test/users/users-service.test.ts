import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/clock.js';
import { sqliteDataAccess } from '../../src/db/data-access.js';
import { createAuditRepo } from '../../src/audit/audit-repo.js';
import { createAuditService } from '../../src/audit/audit-service.js';
import { verifyPassword } from '../../src/users/password.js';
import { createAdminUnitsRepo } from '../../src/admin-units/admin-units-repo.js';
import { createAdminUnitsService } from '../../src/admin-units/admin-units-service.js';
import { createUsersRepo } from '../../src/users/users-repo.js';
import { ForbiddenError, ValidationError } from '../../src/http/errors.js';
import { createUsersService, UnknownUserError } from '../../src/users/users-service.js';
import { createTestContext, TEST_NOW, TEST_PASSWORD } from '../helpers/app.js';
import { createTestDb } from '../helpers/db.js';
import { WHOLE_COUNTRY } from '../../src/vocabulary/reach.js';

function usersOn(passwordHashCost: number) {
  const db = createTestDb();
  const data = sqliteDataAccess(db);
  const repo = createUsersRepo(data);
  const adminUnits = createAdminUnitsService({ adminUnits: createAdminUnitsRepo(data) });
  const clock = fixedClock(TEST_NOW);
  const users = createUsersService({
    users: repo,
    places: { ...adminUnits, findSitePlace: async () => undefined },
    clock,
    passwordHashCost,
    transaction: data.transaction,
    audit: createAuditService({ audit: createAuditRepo(data), clock, inTransaction: data.inTransaction }),
  });
  return { db, users };
}

/** Phường Pleiku, Gia Lai. */
const PLEIKU = [{ kind: 'commune', code: '23575' }] as const;

const hashOf = (db: ReturnType<typeof createTestDb>, username: string) =>
  db.prepare('SELECT password_hash FROM users WHERE username = ?').pluck().get(username) as string;

describe('users service', () => {
  it('when given a cost, then the users it creates are hashed at that cost', async () => {
    const { db, users } = usersOn(3);
    await users.createUser({ username: 'tnv.lan', role: 'volunteer', password: TEST_PASSWORD, reach: PLEIKU });
    expect(hashOf(db, 'tnv.lan').split('$')[1]).toBe('8');
    expect(await verifyPassword(TEST_PASSWORD, hashOf(db, 'tnv.lan'))).toBe(true);
  });

  it("when users come from the test context, then they get the test config's cheap hash (N=2)", async () => {
    const { db, createUser } = createTestContext();
    await createUser('tnv.lan', 'volunteer');
    expect(hashOf(db, 'tnv.lan').split('$')[1]).toBe('2');
  });

  it('when the password is right, then the user comes back without its hash; otherwise nothing does', async () => {
    const { users } = usersOn(1);
    const lan = { username: 'tnv.lan', role: 'volunteer', password: TEST_PASSWORD, displayName: 'Lan', reach: PLEIKU };
    const id = await users.createUser(lan);
    expect(await users.verifyCredentials('tnv.lan', TEST_PASSWORD)).toEqual({
      id,
      username: 'tnv.lan',
      displayName: 'Lan',
      role: 'volunteer',
      active: true,
      mustChangePassword: false,
    });
    expect(await users.verifyCredentials('tnv.lan', 'sai-mat-khau')).toBeUndefined();
    expect(await users.verifyCredentials('khong.co', TEST_PASSWORD)).toBeUndefined();
  });

  it('when a volunteer, team lead or viewer is created without a reach, then it is refused', async () => {
    const { db, users } = usersOn(1);
    for (const role of ['volunteer', 'team_lead', 'viewer']) {
      const error = await users
        .createUser({ username: `khong.pham.vi.${role.replace('_', '')}`, role, password: TEST_PASSWORD })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).fieldErrors.reach).toMatch(/cần một phạm vi/);
    }
    expect(db.prepare('SELECT count(*) FROM users').pluck().get()).toBe(0);
  });

  it('when an admin or leader is created without a reach, then their reach is the whole country', async () => {
    const { users } = usersOn(1);
    const admin = await users.createUser({ username: 'quan.tri', role: 'admin', password: TEST_PASSWORD });
    const leader = await users.createUser({ username: 'lanh.dao', role: 'leader', password: TEST_PASSWORD });
    expect((await users.findWithReach(admin))!.reach).toEqual(WHOLE_COUNTRY);
    expect((await users.findWithReach(leader))!.reach).toEqual(WHOLE_COUNTRY);
  });

  it('when a reach mixes a province and communes, then it is saved as given, without duplicates', async () => {
    const { db, users } = usersOn(1);
    const id = await users.createUser({
      username: 'tnv.lan',
      role: 'volunteer',
      password: TEST_PASSWORD,
      reach: [
        { kind: 'commune', code: '23575' },
        { kind: 'province', code: '52' },
        { kind: 'commune', code: '23575' },
      ],
    });
    expect((await users.findWithReach(id))!.reach).toEqual({
      wholeCountry: false,
      provinces: ['52'],
      communes: ['23575'],
      sites: [],
    });
    expect(db.prepare('SELECT count(*) FROM user_reach WHERE user_id = ?').pluck().get(id)).toBe(2);
  });

  it('when a reach names a commune or site that does not exist, then nothing is created', async () => {
    const { db, users } = usersOn(1);
    for (const unit of [
      { kind: 'commune', code: '99999' },
      { kind: 'province', code: '99' },
      { kind: 'site', id: 7 },
    ] as const) {
      const error = await users
        .createUser({ username: 'tnv.lan', role: 'volunteer', password: TEST_PASSWORD, reach: [unit] })
        .catch((e: unknown) => e);
      expect((error as ValidationError).fieldErrors.reach).toMatch(/^Không có .* trong danh mục/);
    }
    expect(db.prepare('SELECT count(*) FROM users').pluck().get()).toBe(0);
  });

  it('when the database is empty, then a first admin is made with a generated password; then never again', async () => {
    const { users } = usersOn(1);
    const first = await users.ensureFirstAdmin(undefined);
    expect(first.created).toBe(true);
    expect(await users.verifyCredentials('admin', first.generatedPassword!)).toMatchObject({ role: 'admin' });
    expect(await users.ensureFirstAdmin('mat-khau-khac-nua')).toEqual({ created: false });
  });

  it(
    'when a leader, volunteer or viewer disables a user, or a team lead one outside their reach, ' +
      'then it is refused (403, or 404 as for an unknown user) and nothing changes',
    async () => {
      const { db, users } = usersOn(1);
      const id = await users.createUser({
        username: 'tnv.lan',
        role: 'volunteer',
        password: TEST_PASSWORD,
        reach: PLEIKU,
      });
      // The acting user exists: their id goes on the audit row of the change.
      const actorId = await users.createUser({ username: 'quan.tri', role: 'admin', password: TEST_PASSWORD });
      for (const role of ['leader', 'volunteer', 'viewer'] as const) {
        await expect(
          users.setActive({ id: actorId, role, reach: WHOLE_COUNTRY }, 'tnv.lan', false),
        ).rejects.toBeInstanceOf(ForbiddenError);
      }
      const elsewhere = { wholeCountry: false, provinces: ['79'], communes: [], sites: [] };
      await expect(
        users.setActive({ id: actorId, role: 'team_lead', reach: elsewhere }, 'tnv.lan', false),
      ).rejects.toThrow('Không có người dùng tnv.lan.');
      expect(db.prepare('SELECT active FROM users WHERE id = ?').pluck().get(id)).toBe(1);
      expect(
        await users.setActive({ id: actorId, role: 'admin', reach: WHOLE_COUNTRY }, 'tnv.lan', false),
      ).toMatchObject({
        user: { id, active: false },
        wasActive: true,
      });
      expect(db.prepare('SELECT active FROM users WHERE id = ?').pluck().get(id)).toBe(0);
      const giaLai = { wholeCountry: false, provinces: ['52'], communes: [], sites: [] };
      await users.setActive({ id: actorId, role: 'team_lead', reach: giaLai }, 'tnv.lan', true);
      expect(db.prepare('SELECT active FROM users WHERE id = ?').pluck().get(id)).toBe(1);
    },
  );

  it('when the username is unknown, then setActive throws UnknownUserError with the Vietnamese message', async () => {
    const { users } = usersOn(1);
    const failure = users.setActive(null, 'khong.co', false);
    await expect(failure).rejects.toBeInstanceOf(UnknownUserError);
    await expect(failure).rejects.toThrow('Không có người dùng khong.co.');
  });
});

describe('who manages whom, and lists of new users', () => {
  const ADMIN = { id: 1, role: 'admin' as const, reach: WHOLE_COUNTRY };
  const GIA_LAI_LEAD = {
    id: 2,
    role: 'team_lead' as const,
    reach: { wholeCountry: false, provinces: ['52'], communes: [], sites: [] },
  };
  const line = (reach: string, username = 'tnv.lan') => ({ line: 2, username, displayName: 'Lan', phone: '', reach });

  it('when a volunteer has no reach yet, then no team lead manages them, only an admin', async () => {
    const { db, users } = usersOn(1);
    const id = await users.createUser({
      username: 'tnv.lan',
      role: 'volunteer',
      password: TEST_PASSWORD,
      reach: PLEIKU,
    });
    db.prepare('DELETE FROM user_reach WHERE user_id = ?').run(id);
    expect(await users.listManageable(GIA_LAI_LEAD)).toEqual([]);
    await expect(users.getManageable(GIA_LAI_LEAD, id)).rejects.toThrow('Không tìm thấy người dùng này.');
    expect((await users.listManageable(ADMIN)).map((user) => user.username)).toEqual(['tnv.lan']);
  });

  it(
    'when a list names a commune by a name several provinces have, then an admin is asked for the code, ' +
      'a team lead of one of them gets theirs, and "(province)" settles it',
    async () => {
      const { users } = usersOn(1);
      const [ambiguous] = (await users.checkNewUsers(ADMIN, 'volunteer', [line('An Khê')])).lines;
      expect(ambiguous!.problems.reach).toBe(
        'Có nhiều xã/phường tên "An Khê": Phường An Khê (Thành phố Đà Nẵng): commune:20305; ' +
          'Phường An Khê (Gia Lai): commune:23617. Hãy ghi mã.',
      );
      const [lead] = (await users.checkNewUsers(GIA_LAI_LEAD, 'volunteer', [line('phuong an khe')])).lines;
      expect(lead).toMatchObject({ units: [{ kind: 'commune', code: '23617' }], problems: {} });
      expect(lead!.reachWords).toEqual(['Phường An Khê (Gia Lai)']);
      const [qualified] = (await users.checkNewUsers(ADMIN, 'volunteer', [line('An Khê (Gia Lai); 23575')])).lines;
      expect(qualified!.units).toEqual([
        { kind: 'commune', code: '23617' },
        { kind: 'commune', code: '23575' },
      ]);
    },
  );

  it('when a list names a commune by its old name, then the problem says which commune holds it now', async () => {
    const { users } = usersOn(1);
    const [old] = (await users.checkNewUsers(ADMIN, 'volunteer', [line('Tam Quan Bắc')])).lines;
    expect(old!.problems.reach).toBe(
      'Không có xã/phường nào tên đúng "Tam Quan Bắc"; gần giống: ' +
        'Phường Hoài Nhơn Bắc (trước đây: Phường Tam Quan Bắc) (Gia Lai): commune:21655.',
    );
    expect(old!.units).toEqual([]);
  });

  it('when a list is checked, then usernames are lower-cased and nothing is saved', async () => {
    const { db, users } = usersOn(1);
    const checked = await users.checkNewUsers(GIA_LAI_LEAD, 'volunteer', [line('commune:23575', ' TNV.Lan ')]);
    expect(checked.lines[0]).toMatchObject({ username: 'tnv.lan', problems: {} });
    expect(db.prepare('SELECT count(*) FROM users').pluck().get()).toBe(0);
  });

  it('when the lead’s reach is a province, then its communes may be given, another province not', async () => {
    const { users } = usersOn(1);
    const [inside, outside] = (
      await users.checkNewUsers(GIA_LAI_LEAD, 'volunteer', [
        line('commune:23887', 'tnv.a'),
        line('province:79', 'tnv.b'),
      ])
    ).lines;
    expect(inside!.problems).toEqual({});
    expect(outside!.problems.reach).toBe('Ngoài phạm vi của bạn: Thành phố Hồ Chí Minh.');
  });
});
