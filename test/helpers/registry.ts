import type { Actor } from '../../src/actor.js';
import type { ReachUnit } from '../../src/vocabulary/reach.js';
import type { Role } from '../../src/vocabulary/roles.js';
import { createTestContext } from './app.js';

/** Commune A: Phường Pleiku (Gia Lai, 52). */
export const COMMUNE_A = '23575';
/** Commune B: Chư Prông, the same province. */
export const COMMUNE_B = '23887';
/** Commune C: 26743, another province. */
export const COMMUNE_C = '26743';

export const STALL_A = {
  label: 'Sạp 1',
  business_name: 'Tạp hóa Kim Dung',
  owner_name: 'Nguyễn Thị Kim Dung',
  phone: '0905123456',
  goods_category: 'tap_hoa',
  consent: 'yes',
};
export const ACCOUNT_A = { bank_bin: '970418', account_number: '12010000123456', holder_name: 'NGUYEN THI KIM DUNG' };
export const STALL_B = {
  label: 'Sạp 7',
  business_name: 'Rau sạch Chư Prông',
  owner_name: 'Trần Thị Lan',
  phone: '0912000111',
  goods_category: 'rau_cu',
  consent: 'yes',
};
export const ACCOUNT_B = { bank_bin: '970405', account_number: '5102205999888', holder_name: 'TRAN THI LAN' };

/** Everything personal about stall A and stall B that a page might leak. */
export const PERSONAL_A = [
  'Nguyễn Thị Kim Dung',
  '0905123456',
  '0905 123 456',
  '12010000123456',
  'NGUYEN THI KIM DUNG',
];
export const PERSONAL_B = ['Trần Thị Lan', '0912000111', '5102205999888', 'TRAN THI LAN'];

/**
 * A registry over two communes of one province and a third province, built by a whole-country admin through
 * the services: site A (Chợ Hoa Lư) and A2 (Chợ Mới Pleiku) in commune A, B (Chợ Chư Prông) in commune B,
 * C (Chợ Bến Thành) in commune C; stall A (id 1) on site A and stall B (id 2) on site B, each with a
 * name-checked primary account (ids 1 and 2); stall A2 (id 3) on site A2 without personal data.
 */
export async function registryOfTwoCommunes() {
  const context = createTestContext();
  const { sites, stalls, accounts, users } = context.services;
  const adminId = await context.createUser('quantri', 'admin');

  /** The actor as the app builds it from the session: the stored role and reach. */
  async function actorOf(id: number): Promise<Actor> {
    const user = (await users.findWithReach(id))!;
    return { id: user.id, role: user.role, reach: user.reach };
  }
  /** A new user of the role with the reach (none given: the test helpers' default) as an actor. */
  async function actor(username: string, role: Role, reach?: readonly ReachUnit[]): Promise<Actor> {
    return actorOf(await context.createUser(username, role, reach));
  }

  const admin = await actorOf(adminId);
  const site = (name: string, communeCode: string) =>
    sites.createSite(admin, { kind: 'market', name, commune_code: communeCode, target_percent: '70' });
  const siteA = await site('Chợ Hoa Lư', COMMUNE_A);
  const siteA2 = await site('Chợ Mới Pleiku', COMMUNE_A);
  const siteB = await site('Chợ Chư Prông', COMMUNE_B);
  const siteC = await site('Chợ Bến Thành', COMMUNE_C);

  const stallA = await stalls.createStall(admin, siteA, STALL_A);
  await accounts.addAccount(admin, stallA, ACCOUNT_A, undefined);
  await accounts.checkName(admin, stallA, 1, { name_seen: ACCOUNT_A.holder_name });
  const stallB = await stalls.createStall(admin, siteB, STALL_B);
  await accounts.addAccount(admin, stallB, ACCOUNT_B, undefined);
  await accounts.checkName(admin, stallB, 2, { name_seen: ACCOUNT_B.holder_name });
  const stallA2 = await stalls.createStall(admin, siteA2, { label: 'Sạp 3', goods_category: 'rau_cu' });

  return { ...context, admin, actor, ids: { siteA, siteA2, siteB, siteC, stallA, stallB, stallA2 } };
}

export const communeReach = (code: string): ReachUnit[] => [{ kind: 'commune', code }];
export const provinceReach = (code: string): ReachUnit[] => [{ kind: 'province', code }];
export const siteReach = (id: number): ReachUnit[] => [{ kind: 'site', id }];
