import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, logIn, screenshot, startBrowserHarness, type BrowserHarness } from './browser-harness.js';

let harness: BrowserHarness;

beforeAll(async () => {
  harness = await startBrowserHarness();
  // The demo team lead of Chư Prông approves the retirement: give them the admin's password to log in.
  harness.giveAdminPassword('totruong.chuprong');
});

afterAll(async () => {
  await harness?.close();
});

describe('printing a site and checking a sticker (390×844)', () => {
  it(
    'prints a site batch, opens /v/CODE of one sticker, ' +
      'revokes it by retiring the account (approved by a team lead), sees "đã thu hồi"',
    async () => {
      const { context, page } = await harness.newPhonePage();
      await logIn(page);
      const siteId = (harness.db.prepare("SELECT id FROM sites WHERE name = 'Chợ tạm thôn 3'").get() as { id: number })
        .id;
      await page.goto(`/sites/${siteId}`);
      await page.getByText('In mã QR cho cả địa điểm').click();
      await page.getByLabel('Khổ in').selectOption('a4-2x2');
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: 'Tải tệp PDF' }).click(),
      ]);
      const printable = harness.db
        .prepare(
          `SELECT count(*) AS n FROM stalls st JOIN stall_accounts a ON a.stall_id = st.id AND a.is_primary = 1 ` +
            `AND a.verified_at IS NOT NULL
          WHERE st.site_id = ? AND st.status <> 'closed'`,
        )
        .get(siteId) as { n: number };
      expect(download.suggestedFilename()).toBe(`phoqr-cho-tam-thon-3-${printable.n}-ma-qr-a4-2x2.pdf`);
      const file = await download.path();
      // The batch counts as printed once its response finished: the retirement below depends on it.
      await harness.printsSettled();
      const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).normalize('NFC');
      expect(text).toContain('QUÉT MÃ ĐỂ THANH TOÁN');

      // The first sticker in the file: its verification code, and the stall it belongs to.
      const code = /Mã xác minh:\s*([0-9A-Z]{8})/.exec(text)![1]!;
      const sticker = harness.db
        .prepare('SELECT stall_id, account_id FROM stickers WHERE verification_code = ?')
        .get(code) as { stall_id: number; account_id: number };

      const verify = await context.newPage();
      await verify.goto(`/v/${code}`);
      await verify.getByText('Mã hợp lệ').waitFor();
      await screenshot(verify, 'verify-valid-phone');

      await page.goto(`/stalls/${sticker.stall_id}`);
      const retire = page.locator(`form[action="/stalls/${sticker.stall_id}/accounts/${sticker.account_id}/retire"]`);
      await page.locator('details.retire', { has: retire }).locator('summary').click();
      // Without the confirmation nothing happens: the message shows next to the box.
      await retire.getByLabel('Lý do', { exact: true }).selectOption('suspected_fraud');
      await retire.getByRole('button', { name: 'Ngừng dùng' }).click();
      await page.getByText('Đánh dấu ô xác nhận').waitFor();
      await screenshot(page, 'retire-needs-confirmation-phone');
      await retire.getByRole('checkbox').check();
      // The sticker is printed: retiring the primary is a request, with a reason for the team lead.
      await retire.getByLabel('Lý do đổi tài khoản nhận tiền').fill('Khách báo mã bị dán đè');
      await retire.getByRole('button', { name: 'Gửi yêu cầu ngừng dùng' }).click();
      await page.waitForURL(/#accounts$/);
      await verify.reload();
      await verify.getByText('Mã hợp lệ').waitFor();

      const { context: leadContext, page: lead } = await harness.newPhonePage();
      await logIn(lead, 'totruong.chuprong', ADMIN_PASSWORD);
      await lead.goto(`/stalls/${sticker.stall_id}`);
      await lead.locator('.pending-change').getByRole('button', { name: 'Duyệt' }).click();
      await lead.waitForURL(/payee=approved/);
      await leadContext.close();

      await verify.reload();
      await verify.getByText('Mã đã thu hồi').waitFor();
      expect((await verify.locator('main').textContent())?.toLowerCase()).toContain('đã thu hồi');
      await screenshot(verify, 'verify-revoked-phone');
      await context.close();
    },
  );
});
