import { describe, expect, it } from 'vitest';
import { loadConfig, testConfig } from '../../src/config.js';
import { DEFAULT_PASSWORD_HASH_COST, hashPassword, verifyPassword } from '../../src/users/password.js';

describe('password hashes', () => {
  it('when hashed at the test cost, then the hash stores N=2^cost and verifies the password, and only it', async () => {
    const cost = testConfig().passwordHashCost;
    const hash = await hashPassword('mật khẩu thử', cost);
    const [scheme, n, r, p] = hash.split('$');
    expect({ scheme, n, r, p }).toEqual({ scheme: 'scrypt', n: String(2 ** cost), r: '8', p: '1' });
    expect(await verifyPassword('mật khẩu thử', hash)).toBe(true);
    expect(await verifyPassword('mật khẩu khác', hash)).toBe(false);
  });

  it('when a hash was made at another cost, then it still verifies: the parameters come from the hash', async () => {
    const hash = await hashPassword('mat-khau-cu', 4);
    expect(hash.split('$')[1]).toBe('16');
    expect(await verifyPassword('mat-khau-cu', hash)).toBe(true);
  });

  it('when the cost is outside what scrypt accepts, then hashing refuses it', async () => {
    await expect(hashPassword('x', 0)).rejects.toThrow(RangeError);
    await expect(hashPassword('x', 2.5)).rejects.toThrow(RangeError);
  });
});

describe('PHOQR_PASSWORD_COST', () => {
  it('when unset, then new hashes use N=2^15 as before; tests use the cheapest cost scrypt accepts (N=2)', () => {
    expect(loadConfig({}).passwordHashCost).toBe(DEFAULT_PASSWORD_HASH_COST);
    expect(DEFAULT_PASSWORD_HASH_COST).toBe(15);
    expect(testConfig().passwordHashCost).toBe(1);
  });

  it('when set, then it is read as a whole number in 1–20, and anything else stops the start', () => {
    expect(loadConfig({ PHOQR_PASSWORD_COST: '12' }).passwordHashCost).toBe(12);
    expect(() => loadConfig({ PHOQR_PASSWORD_COST: '0' })).toThrow('PHOQR_PASSWORD_COST phải trong khoảng 1–20');
    expect(() => loadConfig({ PHOQR_PASSWORD_COST: '21' })).toThrow('PHOQR_PASSWORD_COST phải trong khoảng 1–20');
    expect(() => loadConfig({ PHOQR_PASSWORD_COST: 'cao' })).toThrow('PHOQR_PASSWORD_COST phải là số nguyên');
  });
});
