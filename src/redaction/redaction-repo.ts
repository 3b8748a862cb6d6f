import type { DataAccess } from '../db/data-access.js';
import type { RedactableTable } from '../db/schema.js';

/** A stall's free text to redact: who asked for it, when, and why (kept for good in `redactions`). */
export interface StallRedaction {
  readonly stallId: number;
  readonly reason: string;
  readonly at: string;
  readonly by: number;
}

/** Rows whose note was blanked, per table. */
export interface RedactionCounts {
  readonly historyNotes: number;
  readonly visitNotes: number;
}

/** The counts, and which rows: what the audit trail records of a redaction (never the text). */
export interface RedactedRows extends RedactionCounts {
  readonly historyRowIds: readonly number[];
  readonly visitRowIds: readonly number[];
}

/**
 * The one write path into the append-only history and visits (migrations/0008_append_only.sql): for each row
 * with a note, a `redactions` row first, then the note blanked to ''. The triggers refuse the blanking without
 * the redactions row, and any other change at all.
 */
export function createRedactionRepo(data: DataAccess) {
  /** Records, then blanks, the non-empty notes of one stall's rows in `table`; returns which rows. */
  async function redactNotes(table: RedactableTable, redaction: StallRedaction): Promise<number[]> {
    const db = data.db();
    const rows = await db
      .selectFrom(table)
      .select('id')
      .where('stall_id', '=', redaction.stallId)
      .where('note', '<>', '')
      .orderBy('id')
      .execute();
    const recorded = await db
      .insertInto('redactions')
      .columns(['table_name', 'row_id', 'field', 'reason', 'redacted_at', 'redacted_by'])
      .expression(
        db
          .selectFrom(table)
          .select((eb) => [
            eb.val(table).as('table_name'),
            'id as row_id',
            eb.val('note').as('field'),
            eb.val(redaction.reason).as('reason'),
            eb.val(redaction.at).as('redacted_at'),
            eb.val(redaction.by).as('redacted_by'),
          ])
          .where('stall_id', '=', redaction.stallId)
          .where('note', '<>', ''),
      )
      .executeTakeFirstOrThrow();
    const blanked = await db
      .updateTable(table)
      .set({ note: '' })
      .where('stall_id', '=', redaction.stallId)
      .where('note', '<>', '')
      .executeTakeFirstOrThrow();
    // Both statements read the same rows inside one transaction; a difference would mean the audit lies.
    const recordedCount = Number(recorded.numInsertedOrUpdatedRows ?? 0n);
    if (recordedCount !== Number(blanked.numUpdatedRows) || recordedCount !== rows.length) {
      throw new Error(`redaction of ${table} for stall ${redaction.stallId}: recorded and blanked rows differ`);
    }
    return rows.map((row) => row.id);
  }

  return {
    /** The stall's site, commune and province (for the reach), or undefined when there is no such stall. */
    stallPlace: (stallId: number): Promise<{ siteId: number; communeCode: string; provinceCode: string } | undefined> =>
      data
        .db()
        .selectFrom('stalls as st')
        .innerJoin('sites as si', 'si.id', 'st.site_id')
        .innerJoin('communes as c', 'c.code', 'si.commune_code')
        .select(['si.id as siteId', 'si.commune_code as communeCode', 'c.province_code as provinceCode'])
        .where('st.id', '=', stallId)
        .executeTakeFirst(),

    /** Every note of the stall's history and visits, recorded and blanked in one transaction: all or nothing. */
    redactStallNotes(redaction: StallRedaction): Promise<RedactedRows> {
      return data.transaction(async () => {
        const historyRowIds = await redactNotes('stall_status_history', redaction);
        const visitRowIds = await redactNotes('visits', redaction);
        return {
          historyNotes: historyRowIds.length,
          visitNotes: visitRowIds.length,
          historyRowIds,
          visitRowIds,
        };
      });
    },
  };
}

export type RedactionRepo = ReturnType<typeof createRedactionRepo>;
