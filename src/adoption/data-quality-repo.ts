/**
 * The SQL of the data-quality checks. Unlike the status history, the visits and the name checks (held
 * in memory by the snapshot), shared account numbers, stickers and payee-change requests are read here:
 * a withdrawal or a decision changes them in place, so the checks read them fresh each time. Every
 * method returns a Promise (DataAccess); lists of ids or (BIN, number) pairs go in as one JSON parameter
 * for json_each().
 */
import { sql, type RawBuilder } from 'kysely';
import type { DataAccess } from '../db/data-access.js';
import type { PayeeChangeKind } from '../vocabulary/payee-changes.js';

export interface DuplicateAccountRow {
  id: number;
  bin: string;
  account_number: string;
  stall_id: number;
  created_at: string;
  retired_at: string | null;
}

/** A bank account as the duplicate check keys it: [BIN, account number]. */
export type AccountNumber = readonly [string, string];

export function createDataQualityRepo(data: DataAccess) {
  const run = async <R>(query: RawBuilder<R>): Promise<R[]> => (await query.execute(data.db())).rows;
  const first = async <R>(query: RawBuilder<R>): Promise<R> => (await run(query))[0]!;

  return {
    /**
     * Runs work in one read transaction (or the caller's), so the reads it makes see one state of the
     * database — without the write lock, so other processes' writes go on meanwhile.
     */
    reading: <T>(work: () => Promise<T>): Promise<T> => data.reading(work),

    // Numbers held more than once: found once on the covering (bin, account_number) index, then kept up to
    // date from the accounts added since (see shared-accounts.ts); the few accounts holding them are read
    // and judged as of the date in code.
    maxAccountId: async () =>
      (
        await data
          .db()
          .selectFrom('stall_accounts')
          .select((eb) => eb.fn.max<number | null>('id').as('max'))
          .executeTakeFirst()
      )?.max ?? 0,
    async sharedNumbers(): Promise<AccountNumber[]> {
      const rows = await run(sql<{ bin: string; account_number: string }>`
        SELECT bin, account_number FROM stall_accounts GROUP BY bin, account_number HAVING count(*) >= 2`);
      return rows.map((row) => [row.bin, row.account_number] as const);
    },
    /** The numbers of the accounts added after `id` that two or more accounts now hold. */
    async numbersSharedSince(id: number): Promise<AccountNumber[]> {
      const rows = await run(sql<{ bin: string; account_number: string }>`
        SELECT a.bin, a.account_number
          FROM (SELECT DISTINCT bin, account_number FROM stall_accounts WHERE id > ${id}) n
          JOIN stall_accounts a ON a.bin = n.bin AND a.account_number = n.account_number
         GROUP BY a.bin, a.account_number HAVING count(*) >= 2`);
      return rows.map((row) => [row.bin, row.account_number] as const);
    },
    /** Every account holding one of the (BIN, number) pairs, by number, stall and id. */
    accountsWithNumbers: (pairs: readonly AccountNumber[]) =>
      run(sql<DuplicateAccountRow>`
        SELECT a.id, a.bin, a.account_number, a.stall_id, a.created_at, a.retired_at
          FROM json_each(${JSON.stringify(pairs)}) j
          JOIN stall_accounts a
            ON a.bin = json_extract(j.value, '$[0]') AND a.account_number = json_extract(j.value, '$[1]')
         ORDER BY a.bin, a.account_number, a.stall_id, a.id`),
    /** Stickers revoked or replaced before the cutoff, with their stall. */
    async withdrawnStickers(cutoff: string): Promise<{ stall_id: number; status: 'revoked' | 'replaced' }[]> {
      // The statuses are literals, not parameters: only then can SQLite use the partial index
      // stickers_withdrawn (WHERE status IN ('revoked', 'replaced')) instead of scanning every sticker.
      const { stalls, statuses } = await first(sql<{ stalls: string; statuses: string }>`
        SELECT json_group_array(stall_id) AS stalls, json_group_array(status) AS statuses FROM stickers
         WHERE status IN ('revoked', 'replaced') AND coalesce(status_changed_at, created_at) < ${cutoff}`);
      const statusOf = JSON.parse(statuses) as ('revoked' | 'replaced')[];
      return (JSON.parse(stalls) as number[]).map((stallId, i) => ({ stall_id: stallId, status: statusOf[i]! }));
    },
    /**
     * Payee-change requests waiting at the cutoff: asked before it, not closed before it (a request decided
     * later was still waiting then). Oldest first.
     */
    pendingPayeeChanges: (cutoff: string) =>
      run(sql<{ stall_id: number; kind: PayeeChangeKind; requested_at: string }>`
        SELECT stall_id, kind, requested_at FROM payee_changes
         WHERE requested_at < ${cutoff} AND (decided_at IS NULL OR decided_at >= ${cutoff})
         ORDER BY requested_at, id`),
    stallLabels: (ids: readonly number[]) =>
      run(sql<{ id: number; label: string }>`
        SELECT s.id, s.label FROM json_each(${JSON.stringify(ids)}) j JOIN stalls s ON s.id = j.value`),
  };
}

export type DataQualityRepo = ReturnType<typeof createDataQualityRepo>;
