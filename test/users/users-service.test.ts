import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/clock.js';
import { sqliteDataAccess } from '../../src/db/data-access.js';
import { verifyPassword } from '../../src/users/password.js';
import { createUsersRepo } from '../../src/users/users-repo.js';
import { ForbiddenError } from '../../src/http/errors.js';
import { createUsersService, UnknownUserError } from '../../src/users/users-service.js';
import { createTestContext, TEST_NOW, TEST_PASSWORD } from '../helpers/app.js';
import { createTestDb } from '../helpers/db.js';

function usersOn(passwordHashCost: number) {
  const db = createTestDb();
  const repo = createUsersRepo(sqliteDataAccess(db));
  const users = createUsersService({ users: repo, clock: fixedClock(TEST_NOW), passwordHashCost });
  return { db, users };
}

const hashOf = (db: ReturnType<typeof createTestDb>, username: string) =>
  db.prepare('SELECT password_hash FROM users WHERE username = ?').pluck().get(username) as string;

describe('users service', () => {
  it('when given a cost, then the users it creates are hashed at that cost', async () => {
    const { db, users } = usersOn(3);
    await users.createUser({ username: 'tnv.lan', role: 'volunteer', password: TEST_PASSWORD });
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
    const lan = { username: 'tnv.lan', role: 'volunteer', password: TEST_PASSWORD, displayName: 'Lan' };
    const id = await users.createUser(lan);
    expect(await users.verifyCredentials('tnv.lan', TEST_PASSWORD)).toEqual({
      id,
      username: 'tnv.lan',
      displayName: 'Lan',
      role: 'volunteer',
      active: true,
    });
    expect(await users.verifyCredentials('tnv.lan', 'sai-mat-khau')).toBeUndefined();
    expect(await users.verifyCredentials('khong.co', TEST_PASSWORD)).toBeUndefined();
  });

  it('when the database is empty, then a first admin is made with a generated password; then never again', async () => {
    const { users } = usersOn(1);
    const first = await users.ensureFirstAdmin(undefined);
    expect(first.created).toBe(true);
    expect(await users.verifyCredentials('admin', first.generatedPassword!)).toMatchObject({ role: 'admin' });
    expect(await users.ensureFirstAdmin('mat-khau-khac-nua')).toEqual({ created: false });
  });

  it('when someone but an admin disables a user, then it is forbidden and nothing changes', async () => {
    const { db, users } = usersOn(1);
    const id = await users.createUser({ username: 'tnv.lan', role: 'volunteer', password: TEST_PASSWORD });
    for (const role of ['leader', 'team_lead', 'volunteer', 'viewer'] as const) {
      await expect(users.setActive({ id: 99, role }, 'tnv.lan', false)).rejects.toBeInstanceOf(ForbiddenError);
    }
    expect(db.prepare('SELECT active FROM users WHERE id = ?').pluck().get(id)).toBe(1);
    expect(await users.setActive({ id: 99, role: 'admin' }, 'tnv.lan', false)).toMatchObject({
      user: { id, active: false },
      wasActive: true,
    });
    expect(db.prepare('SELECT active FROM users WHERE id = ?').pluck().get(id)).toBe(0);
  });

  it('when the username is unknown, then setActive throws UnknownUserError with the Vietnamese message', async () => {
    const { users } = usersOn(1);
    const failure = users.setActive(null, 'khong.co', false);
    await expect(failure).rejects.toBeInstanceOf(UnknownUserError);
    await expect(failure).rejects.toThrow('Không có người dùng khong.co.');
  });
});
