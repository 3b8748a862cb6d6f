import { randomInt } from 'node:crypto';
import type { Actor } from '../actor.js';
import { createAccountsRepo, type AccountRow } from '../accounts/accounts-repo.js';
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import type { Db } from '../db/database.js';
import { ForbiddenError, NotFoundError, ValidationError } from '../http/errors.js';
import { createSitesRepo, type SiteRow } from '../sites/sites-repo.js';
import { createStallsRepo, type StallRow } from '../stalls/stalls-repo.js';
import type { StickerData } from '../sticker-pdf/sticker-content.js';
import type { StickerFormat } from '../sticker-pdf/sticker-formats.js';
import { can } from '../vocabulary/roles.js';
import type { BankDirectory } from '../vietqr/banks.js';
import { encode } from '../vietqr/encode.js';
import { createStickersRepo, type StickerRow } from './stickers-repo.js';

/** Crockford's base32 without I, L, O, U: nothing to misread when typed from a sticker. */
const CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const CODE_LENGTH = 8;

export function generateVerificationCode(): string {
  let code = '';
  for (let i = 0; i < CODE_LENGTH; i++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return code;
}

export function formatSerial(provinceCode: string, communeCode: string, sequence: number): string {
  return `${provinceCode}-${communeCode}-${String(sequence).padStart(6, '0')}`;
}

export type BatchScope = 'verified' | 'unprinted' | 'selected';

interface Printable {
  stall: StallRow;
  account: AccountRow;
}

export function createStickersService(db: Db, clock: Clock, config: Config, banks: BankDirectory) {
  const stickers = createStickersRepo(db);
  const accounts = createAccountsRepo(db);
  const stalls = createStallsRepo(db);
  const sites = createSitesRepo(db);

  function assertCanPrint(actor: Actor | null): void {
    if (actor && !can(actor.role, 'manageStalls')) throw new ForbiddenError('Vai trò của bạn không được in mã QR.');
  }

  /** The account's valid sticker, or a new one with the next serial of the commune. Reprints keep the serial. */
  function stickerFor(site: SiteRow, item: Printable, by: number | null, at: string): StickerRow {
    const existing = stickers.findValidForAccount(item.account.id);
    if (existing) return existing;
    const sequence = stickers.nextSequence(site.commune_code);
    const sticker = stickers.insert({
      serial: formatSerial(site.province_code, site.commune_code, sequence),
      communeCode: site.commune_code,
      sequence,
      verificationCode: generateVerificationCode(),
      stallId: item.stall.id,
      accountId: item.account.id,
      payload: encode({ bin: item.account.bin, account: item.account.account_number, service: item.account.service }),
      at,
      by,
    });
    stickers.replaceOthersOfStall(item.stall.id, item.account.id, 'Đã in mã mới cho tài khoản chính khác', at);
    return sticker;
  }

  function stickerData(site: SiteRow, item: Printable, sticker: StickerRow): StickerData {
    const bank = banks.byBin(item.account.bin);
    return {
      payload: sticker.payload,
      bankShortName: bank?.shortName ?? item.account.bin,
      bankName: bank?.name ?? '',
      accountNumber: item.account.account_number,
      holderName: item.account.holder_name,
      stallLabel: item.stall.label,
      businessName: item.stall.business_name,
      siteName: site.name,
      serial: sticker.serial,
      verificationCode: sticker.verification_code,
      verificationUrl: `${config.publicBaseUrl}/v/${sticker.verification_code}`,
      helpLine: config.helpLine,
    };
  }

  /** Issues (or reuses) serials and logs the print of each, all in one transaction; returns what to draw. */
  function issue(site: SiteRow, items: Printable[], format: StickerFormat, by: number | null): StickerData[] {
    const at = clock.now().toISOString();
    return db.transaction(() =>
      items.map((item) => {
        const sticker = stickerFor(site, item, by, at);
        stickers.recordPrint(sticker.id, at, by, format);
        return stickerData(site, item, sticker);
      }),
    )();
  }

  function printableStalls(siteId: number): Printable[] {
    return db
      .prepare<[number], { stall_id: number; account_id: number }>(
        `SELECT st.id AS stall_id, a.id AS account_id FROM stalls st
           JOIN stall_accounts a ON a.stall_id = st.id AND a.is_primary = 1 AND a.verified_at IS NOT NULL
          WHERE st.site_id = ? AND st.status <> 'closed' ORDER BY st.id`,
      )
      .all(siteId)
      .map((row) => ({ stall: stalls.findById(row.stall_id)!, account: accounts.findById(row.account_id)! }));
  }

  return {
    /** The primary account's sticker of one stall. */
    forStall(actor: Actor | null, stallId: number, format: StickerFormat): { site: SiteRow; stall: StallRow; data: StickerData[] } {
      assertCanPrint(actor);
      const stall = stalls.findById(stallId);
      if (!stall) throw new NotFoundError('Không tìm thấy sạp này.');
      const account = accounts.findPrimary(stall.id);
      if (!account?.verified_at) {
        throw new ValidationError({ print: 'Cần kiểm tra tên người nhận của tài khoản chính trước khi in mã.' }, 'Chưa in được: tài khoản chính chưa được kiểm tra tên.');
      }
      const site = sites.findById(stall.site_id)!;
      return { site, stall, data: issue(site, [{ stall, account }], format, actor?.id ?? null) };
    },

    /** A site's batch: every stall with a verified primary account, those never printed, or a selection. */
    forSite(actor: Actor | null, siteId: number, format: StickerFormat, scope: BatchScope, selected: number[] = []): { site: SiteRow; data: StickerData[] } {
      assertCanPrint(actor);
      const site = sites.findById(siteId);
      if (!site) throw new NotFoundError('Không tìm thấy địa điểm này.');
      let items = printableStalls(site.id);
      if (scope === 'unprinted') items = items.filter((item) => !stickers.findValidForAccount(item.account.id)?.print_count);
      if (scope === 'selected') {
        const wanted = new Set(selected);
        items = items.filter((item) => wanted.has(item.stall.id));
      }
      if (items.length === 0) {
        throw new ValidationError({ print: 'Không có sạp nào để in: cần sạp có tài khoản chính đã kiểm tra tên.' }, 'Không có sạp nào để in.');
      }
      return { site, data: issue(site, items, format, actor?.id ?? null) };
    },

    verification: (code: string) => stickers.findForVerification(code.trim().toUpperCase()),
    listForStall: (stallId: number) => stickers.listForStall(stallId),
    countPrintable: (siteId: number) => printableStalls(siteId).length,
  };
}

export type StickersService = ReturnType<typeof createStickersService>;
