import { describe, expect, it } from 'vitest';
import { passwordProblem } from '../../src/users/password-rules.js';
import { createTestContext } from '../helpers/app.js';

describe('passwordProblem', () => {
  it('when the password is shorter than 10 characters, then it says how long it must be', () => {
    expect(passwordProblem('ngan-qua', 'tnv.lan')).toBe('Mật khẩu cần ít nhất 10 ký tự.');
  });

  it('when the password is or contains the username in any case, then it is refused', () => {
    expect(passwordProblem('tnv.lan', 'tnv.lan')).toBeDefined();
    expect(passwordProblem('TNV.LAN-2026-cho', 'tnv.lan')).toBe('Mật khẩu không được trùng hoặc chứa tên đăng nhập.');
  });

  it('when the password is a common one, long enough or not, then it is refused whatever its case', () => {
    for (const common of ['password123', '1234567890', 'QwertyUIOP', 'iloveyou12']) {
      expect(passwordProblem(common, 'tnv.lan')).toMatch(/mật khẩu phổ biến/);
    }
  });

  it('when the password is long, not the username and not common, then it is accepted', () => {
    expect(passwordProblem('cho-hoa-lu-sang-thu-bay', 'tnv.lan')).toBeUndefined();
    expect(passwordProblem('mật khẩu có dấu', 'tnv.lan')).toBeUndefined();
  });
});

describe('creating a user with a weak password', () => {
  it('when the password is common, then the user is not created and the message names the field', async () => {
    const context = createTestContext();
    const { users } = context.services;
    await expect(
      users.createUser({ username: 'tnv.lan', role: 'volunteer', password: 'password123', displayName: 'Lan' }),
    ).rejects.toMatchObject({ fieldErrors: { password: expect.stringMatching(/phổ biến/) } });
    expect(context.db.prepare("SELECT count(*) AS n FROM users WHERE username = 'tnv.lan'").get()).toEqual({ n: 0 });
  });
});
