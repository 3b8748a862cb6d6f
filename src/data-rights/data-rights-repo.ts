import { sql } from 'kysely';
import type { DataAccess } from '../db/data-access.js';
import { ERASED_NAME, type RightsReason } from '../vocabulary/data-rights.js';

/** One consent a trader gave, with the exact words of its version, who recorded it, and its withdrawal. */
export interface ConsentRecordRow {
  id: number;
  version: number;
  text: string;
  given_at: string;
  given_by_name: string | null;
  withdrawn_at: string | null;
  withdrawn_by_name: string | null;
  withdrawn_reason: RightsReason | null;
}

/** When and by whom a stall's personal data was erased, and why (a code). */
export interface ErasureRow {
  erased_at: string | null;
  /** The consent in force, to tell an erasure from data stored again after a new consent. */
  consent_at: string | null;
  erased_by_name: string | null;
  erased_reason: RightsReason | null;
}

/** An account still in use, to retire when consent ends. */
export interface ActiveAccountRow {
  id: number;
  is_primary: number;
}

/** A print of one of the stall's stickers. */
export interface StickerPrintRow {
  serial: string;
  printed_at: string;
  printed_by_name: string | null;
  format: string;
}

/**
 * The writes of withdrawing consent and erasing a stall's personal data that no other feature owns: the consent
 * history (migrations/0016_consent_rights.sql), the stall's personal fields, its accounts' names and numbers and
 * its stickers' payloads. Free-text notes of the append-only history and visits go through src/redaction/.
 */
export function createDataRightsRepo(data: DataAccess) {
  return {
    /** Every consent of the stall, oldest first, with the text of its version. */
    consents: (stallId: number): Promise<ConsentRecordRow[]> =>
      data
        .db()
        .selectFrom('stall_consents as c')
        .innerJoin('consent_texts as t', 't.version', 'c.version')
        .leftJoin('users as g', 'g.id', 'c.given_by')
        .leftJoin('users as w', 'w.id', 'c.withdrawn_by')
        .select([
          'c.id',
          'c.version',
          't.text',
          'c.given_at',
          'g.display_name as given_by_name',
          'c.withdrawn_at',
          'w.display_name as withdrawn_by_name',
          'c.withdrawn_reason',
        ])
        .where('c.stall_id', '=', stallId)
        .orderBy('c.given_at')
        .orderBy('c.id')
        .execute(),

    erasure: (stallId: number): Promise<ErasureRow | undefined> =>
      data
        .db()
        .selectFrom('stalls as st')
        .leftJoin('users as u', 'u.id', 'st.erased_by')
        .select(['st.erased_at', 'st.consent_at', 'u.display_name as erased_by_name', 'st.erased_reason'])
        .where('st.id', '=', stallId)
        .executeTakeFirst(),

    /** Closes the consent in force; returns how many were (0 or 1: one open consent per stall). */
    async closeConsent(stallId: number, at: string, by: number, reason: RightsReason): Promise<number> {
      const result = await data
        .db()
        .updateTable('stall_consents')
        .set({ withdrawn_at: at, withdrawn_by: by, withdrawn_reason: reason })
        .where('stall_id', '=', stallId)
        .where('withdrawn_at', 'is', null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    },

    /**
     * The stall keeps only its label, goods category and status: owner name, phone and business name go, the
     * search text is the label's alone, and no consent is in force (a new one can be recorded).
     */
    async clearPersonalFields(stallId: number, searchFolded: string, at: string, by: number): Promise<void> {
      await data
        .db()
        .updateTable('stalls')
        .set({
          owner_name: '',
          phone: null,
          business_name: '',
          search_folded: searchFolded,
          consent_at: null,
          consent_by: null,
          updated_at: at,
          updated_by: by,
        })
        .where('id', '=', stallId)
        .execute();
    },

    activeAccounts: (stallId: number): Promise<ActiveAccountRow[]> =>
      data
        .db()
        .selectFrom('stall_accounts')
        .select(['id', 'is_primary'])
        .where('stall_id', '=', stallId)
        .where('retired_at', 'is', null)
        .orderBy('id')
        .execute(),

    /** Retires an account whose trader withdrew consent ('other': the consent record says why). */
    async retireAccount(accountId: number, at: string, by: number): Promise<void> {
      await data
        .db()
        .updateTable('stall_accounts')
        .set({ retired_at: at, retired_by: by, is_primary: 0, retired_reason: 'other' })
        .where('id', '=', accountId)
        .where('retired_at', 'is', null)
        .execute();
    },

    /**
     * Erases the holder name, the name the bank app showed and the number of every not yet erased account of
     * the stall (all retired by then); returns which accounts. The schema's guard lets the number change only
     * to 'xoa:<id>', in this update.
     */
    async eraseAccounts(stallId: number, at: string): Promise<number[]> {
      const rows = await data
        .db()
        .updateTable('stall_accounts')
        .set((eb) => ({
          holder_name: ERASED_NAME,
          verified_name_seen: eb
            .case()
            .when('verified_name_seen', 'is', null)
            .then(null)
            .else(ERASED_NAME)
            .end()
            .$castTo<string | null>(),
          account_number: sql<string>`'xoa:' || id`,
          erased_at: at,
        }))
        .where('stall_id', '=', stallId)
        .where('erased_at', 'is', null)
        .returning('id')
        .execute();
      return rows.map((row) => row.id).sort((a, b) => a - b);
    },

    /**
     * The stall's payee-change requests still waiting: withdrawn by the person acting for the trader, since the
     * accounts they name are retired. Returns which requests.
     */
    async cancelPendingPayeeChanges(stallId: number, at: string, by: number): Promise<number[]> {
      const rows = await data
        .db()
        .updateTable('payee_changes')
        .set({ status: 'cancelled', decided_by: by, decided_at: at })
        .where('stall_id', '=', stallId)
        .where('status', '=', 'pending')
        .returning('id')
        .execute();
      return rows.map((row) => row.id).sort((a, b) => a - b);
    },

    /** The free text of the stall's payee-change requests (reason, decision note), blanked; returns which. */
    async blankPayeeChangeTexts(stallId: number): Promise<number[]> {
      const rows = await data
        .db()
        .updateTable('payee_changes')
        .set({ reason: '', decision_note: '' })
        .where('stall_id', '=', stallId)
        .where((eb) => eb.or([eb('reason', '<>', ''), eb('decision_note', '<>', '')]))
        .returning('id')
        .execute();
      return rows.map((row) => row.id).sort((a, b) => a - b);
    },

    /**
     * What customers and team leads wrote about the stall's stickers (a report's detail, its closing note),
     * removed: it may name the trader. The reporter's own phone is theirs, not the trader's, and stays until
     * the report is closed. Returns which reports.
     */
    async blankStickerReportTexts(stallId: number): Promise<number[]> {
      const rows = await data
        .db()
        .updateTable('sticker_reports')
        .set({ detail: null, close_note: null })
        .where('sticker_id', 'in', (eb) => eb.selectFrom('stickers').select('id').where('stall_id', '=', stallId))
        .where((eb) => eb.or([eb('detail', 'is not', null), eb('close_note', 'is not', null)]))
        .returning('id')
        .execute();
      return rows.map((row) => row.id).sort((a, b) => a - b);
    },

    /** A sticker's payload is the account's VietQR code (its number): emptied; serial and status stay. */
    async emptyStickerPayloads(stallId: number): Promise<number[]> {
      const rows = await data
        .db()
        .updateTable('stickers')
        .set({ payload: '' })
        .where('stall_id', '=', stallId)
        .where('payload', '<>', '')
        .returning('id')
        .execute();
      return rows.map((row) => row.id).sort((a, b) => a - b);
    },

    async markErased(stallId: number, at: string, by: number, reason: RightsReason): Promise<void> {
      await data
        .db()
        .updateTable('stalls')
        .set({ erased_at: at, erased_by: by, erased_reason: reason, updated_at: at, updated_by: by })
        .where('id', '=', stallId)
        .execute();
    },

    /** Every print of the stall's stickers, newest first. */
    stickerPrints: (stallId: number): Promise<StickerPrintRow[]> =>
      data
        .db()
        .selectFrom('sticker_prints as p')
        .innerJoin('stickers as s', 's.id', 'p.sticker_id')
        .leftJoin('users as u', 'u.id', 'p.printed_by')
        .select(['s.serial', 'p.printed_at', 'u.display_name as printed_by_name', 'p.format'])
        .where('s.stall_id', '=', stallId)
        .orderBy('p.printed_at', 'desc')
        .orderBy('p.id', 'desc')
        .execute(),

    /** How many of the stall's notes were blanked by a redaction. */
    async redactedNotes(stallId: number): Promise<number> {
      const row = await data
        .db()
        .selectFrom('redactions as r')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where((eb) =>
          eb.or([
            eb.and([
              eb('r.table_name', '=', 'stall_status_history'),
              eb('r.row_id', 'in', eb.selectFrom('stall_status_history').select('id').where('stall_id', '=', stallId)),
            ]),
            eb.and([
              eb('r.table_name', '=', 'visits'),
              eb('r.row_id', 'in', eb.selectFrom('visits').select('id').where('stall_id', '=', stallId)),
            ]),
          ]),
        )
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },

    /** The erased stalls, oldest erasure first: what `phoqr reapply-erasures` re-applies after a restore. */
    erasedStalls: (): Promise<{ id: number; erased_at: string; erased_reason: RightsReason }[]> =>
      data
        .db()
        .selectFrom('stalls')
        .select(['id', 'erased_at', 'erased_reason'])
        .where('erased_at', 'is not', null)
        .orderBy('erased_at')
        .orderBy('id')
        .execute() as Promise<{ id: number; erased_at: string; erased_reason: RightsReason }[]>,
  };
}

export type DataRightsRepo = ReturnType<typeof createDataRightsRepo>;
