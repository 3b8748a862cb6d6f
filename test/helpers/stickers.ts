import type { Actor } from '../../src/actor.js';
import type { StickersService } from '../../src/stickers/stickers-service.js';
import type { createTestContext } from './app.js';

/**
 * A stall's sticker printed as a finished download prints it: the serial reserved, then the print recorded
 * as delivered (print count, print log, audit). Tests that are not about delivery use this.
 */
export async function printDelivered(
  stickers: StickersService,
  actor: Actor | null,
  stallId: number,
  format = 'a6',
): Promise<void> {
  await (await stickers.forStall(actor, stallId, format)).recordDelivered();
}

/**
 * Chợ Hoa Lư (commune 23575, Gia Lai) with `count` stalls, each with a name-checked primary account, made by a
 * whole-country admin through the services. Returns the admin, the site and the stall ids in stall order.
 */
export async function siteOfVerifiedStalls(context: ReturnType<typeof createTestContext>, count: number) {
  const { sites, users } = context.services;
  const user = (await users.findWithReach(await context.createUser('quantri.in', 'admin')))!;
  const admin: Actor = { id: user.id, role: user.role, reach: user.reach };
  const siteId = await sites.createSite(admin, {
    kind: 'market',
    name: 'Chợ Hoa Lư',
    commune_code: '23575',
    target_percent: '70',
  });
  const stallIds: number[] = [];
  for (let i = 1; i <= count; i++) stallIds.push(await verifiedStall(context, admin, siteId, i));
  return { admin, siteId, stallIds };
}

/** One more stall `i` of the site, with its primary account name-checked (so it can be printed). */
export async function verifiedStall(
  context: ReturnType<typeof createTestContext>,
  admin: Actor,
  siteId: number,
  i: number,
): Promise<number> {
  const { stalls, accounts } = context.services;
  const stallId = await stalls.createStall(admin, siteId, {
    label: `Sạp ${i}`,
    business_name: `Tạp hóa Đặc sản Pleiku ${i}`,
    owner_name: 'Nguyễn Thị Kim Dung',
    goods_category: 'tap_hoa',
    consent: 'yes',
    confirm_duplicate_label: 'yes',
  });
  const holder = 'NGUYEN THI KIM DUNG';
  const account = `120100001234${String(i).padStart(2, '0')}`;
  const accountId = await accounts.addAccount(
    admin,
    stallId,
    { bank_bin: '970418', account_number: account, holder_name: holder, confirm_duplicate_account: 'yes' },
    undefined,
  );
  await accounts.checkName(admin, stallId, accountId, { name_seen: holder });
  return stallId;
}
