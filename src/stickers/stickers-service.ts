import { randomInt } from 'node:crypto';
import type { Actor } from '../actor.js';
import { auditChanges, type AuditFields } from '../audit/audit-changes.js';
import type { AuditService } from '../audit/audit-service.js';
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import { ForbiddenError, NotFoundError, ValidationError } from '../http/errors.js';
import type { StickerData } from '../sticker-pdf/sticker-content.js';
import { isStickerFormat, type StickerFormat } from '../sticker-pdf/sticker-formats.js';
import type { BankDirectory } from '../vietqr/banks.js';
import { encode } from '../vietqr/encode.js';
import { reachCoversSite } from '../vocabulary/reach.js';
import { can } from '../vocabulary/roles.js';
import type { PrintableRow, SitePlace, StatusChanged, StickerRow, StickersRepo } from './stickers-repo.js';

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

/**
 * How a sticker enters the audit trail. Its status reason is one of our fixed sentences, never typed text;
 * the payload (the full account) is never named, so it never enters.
 */
const STICKER_AUDIT_FIELDS: AuditFields = {
  plain: ['serial', 'status', 'status_reason', 'format', 'print_count'],
};

export type BatchScope = 'verified' | 'unprinted' | 'selected';

/**
 * A print whose serials are reserved, ready to draw. It counts as printed (print count, print log and the
 * `sticker.print` audit rows, in one transaction) only once its PDF was delivered whole: the caller streams
 * `data` and then records. A PDF cut short is not a usable file, so a cut batch records none of its stickers;
 * their serials stay reserved and the next print of those accounts reuses them.
 */
export interface StickerPrint {
  readonly site: SitePlace;
  readonly format: StickerFormat;
  readonly data: StickerData[];
  /** Records the print now, for a caller that knows the whole PDF was delivered; once only; rejects on failure. */
  recordDelivered(): Promise<void>;
  /**
   * For a download: records the print once `delivered` resolves, nothing if it rejects. Never rejects (the
   * response is gone by then): a failure to record is logged with console.error. `settled()` waits for it.
   */
  recordWhenDelivered(delivered: Promise<unknown>): Promise<void>;
}

export interface StickersServiceDeps {
  readonly stickers: StickersRepo;
  readonly banks: BankDirectory;
  readonly config: Pick<Config, 'publicBaseUrl' | 'helpLine'>;
  readonly audit: Pick<AuditService, 'record'>;
  readonly transaction: <T>(work: () => Promise<T>) => Promise<T>;
  readonly clock: Clock;
}

/** A sticker as a stall's page lists it: without its payload (the full account), which only the PDF needs. */
export type StickerListed = Omit<StickerRow, 'payload'>;

/**
 * Stickers: printing (a payable code of a trader's account, so only roles that work stalls, inside their
 * reach), the list on a stall's page and the public check behind a sticker's small QR. An `actor` of null is
 * the command line run on the server, which has the whole country and no user to record.
 */
export function createStickersService({ stickers, banks, config, audit, transaction, clock }: StickersServiceDeps) {
  const placeOf = (site: SitePlace) => ({ siteId: site.id, communeCode: site.commune_code });

  /** The audit rows of stickers just revoked or replaced, in the transaction that changed them. */
  async function recordRevoked(
    actor: { id: number } | null,
    changed: StatusChanged[],
    status: 'revoked' | 'replaced',
    reason: string,
  ): Promise<void> {
    for (const sticker of changed) {
      const siteId = await stickers.siteOfStall(sticker.stall_id);
      const site = siteId === undefined ? undefined : await stickers.findSitePlace(siteId);
      await audit.record({
        actor,
        action: 'sticker.revoke',
        entity: 'sticker',
        entityId: sticker.id,
        place: site ? placeOf(site) : null,
        changes: auditChanges(
          { serial: sticker.serial, status: 'valid', status_reason: null },
          { serial: sticker.serial, status, status_reason: reason },
          STICKER_AUDIT_FIELDS,
        ),
      });
    }
  }

  function assertCanPrint(actor: Actor | null): void {
    if (actor && !can(actor.role, 'manageStalls')) throw new ForbiddenError('Vai trò của bạn không được in mã QR.');
  }

  function inReach(actor: Actor | null, site: SitePlace): boolean {
    const place = { siteId: site.id, communeCode: site.commune_code, provinceCode: site.province_code };
    return actor === null || reachCoversSite(actor.reach, place);
  }

  /**
   * The account's valid sticker, or a new one with the next serial of the commune. Reprints keep the serial, and
   * so does the print after a download that was cut: its sticker was reserved (issued) but never recorded as
   * printed, and stays the account's valid sticker, so the serial is reused, never skipped or duplicated.
   */
  async function stickerFor(site: SitePlace, item: PrintableRow, by: number | null, at: string): Promise<StickerRow> {
    const existing = await stickers.findValidForAccount(item.account_id);
    if (existing) return existing;
    const sequence = await stickers.nextSequence(site.commune_code);
    const sticker = await stickers.insert({
      serial: formatSerial(site.province_code, site.commune_code, sequence),
      communeCode: site.commune_code,
      sequence,
      verificationCode: generateVerificationCode(),
      stallId: item.stall_id,
      accountId: item.account_id,
      payload: encode({ bin: item.bin, account: item.account_number, service: item.service }),
      at,
      by,
    });
    await audit.record({
      actor: by === null ? null : { id: by },
      action: 'sticker.issue',
      entity: 'sticker',
      entityId: sticker.id,
      place: placeOf(site),
      changes: auditChanges(undefined, { serial: sticker.serial, status: sticker.status }, STICKER_AUDIT_FIELDS),
    });
    return sticker;
  }

  function stickerData(site: SitePlace, item: PrintableRow, sticker: StickerRow): StickerData {
    const bank = banks.byBin(item.bin);
    return {
      payload: sticker.payload,
      bankShortName: bank?.shortName ?? item.bin,
      bankName: bank?.name ?? '',
      accountNumber: item.account_number,
      holderName: item.holder_name,
      stallLabel: item.label,
      businessName: item.business_name,
      siteName: site.name,
      serial: sticker.serial,
      verificationCode: sticker.verification_code,
      verificationUrl: `${config.publicBaseUrl}/v/${sticker.verification_code}`,
      helpLine: config.helpLine,
    };
  }

  /**
   * The print of one delivered sticker, inside the caller's transaction: its count and print log, its audit
   * row, and — while it is still the account's valid sticker — the stall's other valid stickers replaced.
   * The replacing waits for delivery too: the sticker on the counter is not called replaced by one nobody has.
   */
  async function recordDeliveredSticker(
    site: SitePlace,
    stickerId: number,
    format: StickerFormat,
    by: number | null,
    at: string,
  ) {
    const actor = by === null ? null : { id: by };
    // Read again here, not taken from the reservation: another download of the same sticker may have been
    // recorded in between, and its status may have changed while this PDF was streaming.
    const sticker = await stickers.findById(stickerId);
    if (!sticker) throw new Error(`Không ghi được lượt in: tem ${stickerId} không còn trong sổ.`);
    await stickers.recordPrint(sticker.id, at, by, format);
    await audit.record({
      actor,
      action: 'sticker.print',
      entity: 'sticker',
      entityId: sticker.id,
      place: placeOf(site),
      changes: auditChanges(
        { serial: sticker.serial, print_count: sticker.print_count, format: null },
        { serial: sticker.serial, print_count: sticker.print_count + 1, format },
        STICKER_AUDIT_FIELDS,
      ),
    });
    if (sticker.status !== 'valid') return;
    const reason = 'Đã in mã mới cho tài khoản chính khác';
    const replaced = await stickers.replaceOthersOfStall(sticker.stall_id, sticker.account_id, reason, at);
    await recordRevoked(actor, replaced, 'replaced', reason);
  }

  /** Downloads whose recording has not settled yet (see `recordWhenDelivered` and `settled`). */
  const pendingDeliveries = new Set<Promise<void>>();

  /**
   * Reserves the serials of a print — each account's valid sticker, or a new one issued with its audit row —
   * in one transaction, and returns what to draw with the recording of the print, to call once delivered.
   */
  async function reserve(
    site: SitePlace,
    items: PrintableRow[],
    format: StickerFormat,
    by: number | null,
  ): Promise<StickerPrint> {
    const at = clock.now().toISOString();
    const reserved = await transaction(async () => {
      const picked: { item: PrintableRow; sticker: StickerRow }[] = [];
      for (const item of items) picked.push({ item, sticker: await stickerFor(site, item, by, at) });
      return picked;
    });
    let recorded = false;
    const recordDelivered = async (): Promise<void> => {
      if (recorded) throw new Error('Lượt in này đã được ghi.');
      recorded = true;
      const deliveredAt = clock.now().toISOString();
      await transaction(async () => {
        for (const { sticker } of reserved) await recordDeliveredSticker(site, sticker.id, format, by, deliveredAt);
      });
    };
    return {
      site,
      format,
      data: reserved.map(({ item, sticker }) => stickerData(site, item, sticker)),
      recordDelivered,
      recordWhenDelivered(delivered: Promise<unknown>): Promise<void> {
        const recording = delivered
          .then(
            () => recordDelivered(),
            // Cut, refused or failed before its end: nothing was delivered, so nothing is recorded.
            () => undefined,
          )
          .catch((error: unknown) => {
            // The response is gone: nobody to tell but the operator's log; the stickers stay "not printed".
            console.error(`Không ghi được lượt in ${reserved.length} mã QR của địa điểm ${site.id}:`, error);
          })
          .finally(() => pendingDeliveries.delete(recording));
        pendingDeliveries.add(recording);
        return recording;
      },
    };
  }

  /** The site when it exists and lies in the actor's reach; else one 404 for both. */
  async function requireSitePlace(actor: Actor | null, siteId: number): Promise<SitePlace> {
    const site = await stickers.findSitePlace(siteId);
    if (!site || !inReach(actor, site)) throw new NotFoundError('Không tìm thấy địa điểm này.');
    return site;
  }

  /** The stall's site when the stall exists and lies in the actor's reach; else the stall's 404. */
  async function requireStallSite(actor: Actor | null, stallId: number): Promise<SitePlace> {
    const siteId = await stickers.siteOfStall(stallId);
    const site = siteId === undefined ? undefined : await stickers.findSitePlace(siteId);
    if (!site || !inReach(actor, site)) throw new NotFoundError('Không tìm thấy sạp này.');
    return site;
  }

  /** A sheet we print, or a 400 next to the format field: an unknown one is never silently replaced. */
  function sheetFormat(format: string): StickerFormat {
    if (isStickerFormat(format)) return format;
    throw new ValidationError({ format: 'Khổ in không có trong danh sách. Hãy chọn lại khổ in.' });
  }

  return {
    /**
     * The primary account's sticker of one stall, on the sheet asked for (checked after reach and role): its
     * serial reserved, its print recorded only when the caller says the PDF was delivered (see StickerPrint).
     */
    async forStall(
      actor: Actor | null,
      stallId: number,
      formatName: string,
    ): Promise<StickerPrint & { stallLabel: string }> {
      const site = await requireStallSite(actor, stallId);
      assertCanPrint(actor);
      const format = sheetFormat(formatName);
      const item = await stickers.printableForStall(stallId);
      if (!item?.verified_at) {
        throw new ValidationError(
          { print: 'Cần kiểm tra tên người nhận của tài khoản chính trước khi in mã.' },
          'Chưa in được: tài khoản chính chưa được kiểm tra tên.',
        );
      }
      return { ...(await reserve(site, [item], format, actor?.id ?? null)), stallLabel: item.label };
    },

    /**
     * A site's batch: every stall with a verified primary account, those never printed (no delivered print
     * of their valid sticker, so a cut download's stickers come again), or a selection. As forStall, the
     * serials are reserved now and the prints recorded on delivery.
     */
    async forSite(
      actor: Actor | null,
      siteId: number,
      formatName: string,
      scope: BatchScope,
      selected: number[] = [],
    ): Promise<StickerPrint> {
      const site = await requireSitePlace(actor, siteId);
      assertCanPrint(actor);
      const format = sheetFormat(formatName);
      let items = await stickers.printableForSite(site.id);
      if (scope === 'unprinted') {
        const unprinted: PrintableRow[] = [];
        for (const item of items)
          if (!(await stickers.findValidForAccount(item.account_id))?.print_count) unprinted.push(item);
        items = unprinted;
      }
      if (scope === 'selected') {
        const wanted = new Set(selected);
        items = items.filter((item) => wanted.has(item.stall_id));
      }
      if (items.length === 0) {
        throw new ValidationError(
          { print: 'Không có sạp nào để in: cần sạp có tài khoản chính đã kiểm tra tên.' },
          'Không có sạp nào để in.',
        );
      }
      return reserve(site, items, format, actor?.id ?? null);
    },

    /**
     * Resolves once every download handed to `recordWhenDelivered` so far is recorded or given up: a server
     * that stops waits for it before closing the database, and a test before it reads what was saved.
     */
    async settled(): Promise<void> {
      while (pendingDeliveries.size > 0) await Promise.all(pendingDeliveries);
    },

    /** The public check behind a sticker's small QR: no login, so no reach (the page shows a masked account). */
    verification: (code: string) => stickers.findForVerification(code.trim().toUpperCase()),

    /** A stall's stickers, newest first (404 outside the reach). */
    async listForStall(actor: Actor, stallId: number): Promise<StickerListed[]> {
      await requireStallSite(actor, stallId);
      return (await stickers.listForStall(stallId)).map(({ payload: _payload, ...listed }) => listed);
    },

    /** How many stalls of a site a batch would print (404 outside the reach). */
    async countPrintable(actor: Actor, siteId: number): Promise<number> {
      const site = await requireSitePlace(actor, siteId);
      return (await stickers.printableForSite(site.id)).length;
    },

    /**
     * For the accounts service, inside its transaction: a retired account's sticker is revoked, an old
     * primary's replaced; each with its audit row.
     */
    async revokeForAccount(
      actor: Actor | null,
      accountId: number,
      status: 'revoked' | 'replaced',
      reason: string,
      at: string,
    ): Promise<number> {
      return transaction(async () => {
        const changed = await stickers.revokeForAccount(accountId, status, reason, at);
        await recordRevoked(actor, changed, status, reason);
        return changed.length;
      });
    },
  };
}

export type StickersService = ReturnType<typeof createStickersService>;
