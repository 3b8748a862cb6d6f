import type { DataAccess } from '../db/data-access.js';

/** An uploaded file between preview and confirmation, as stored. */
export interface ImportDraftRow {
  readonly token: string;
  readonly userId: number;
  readonly siteId: number;
  readonly fileName: string;
  readonly tableJson: string;
  readonly createdAt: string;
}

export function createImportDraftsRepo(data: DataAccess) {
  return {
    async insert(draft: ImportDraftRow): Promise<void> {
      await data
        .db()
        .insertInto('import_drafts')
        .values({
          token: draft.token,
          user_id: draft.userId,
          site_id: draft.siteId,
          file_name: draft.fileName,
          table_json: draft.tableJson,
          created_at: draft.createdAt,
        })
        .execute();
    },

    /** The draft of this user for this site; another user's token finds nothing. */
    async find(token: string, userId: number, siteId: number): Promise<ImportDraftRow | undefined> {
      const row = await data
        .db()
        .selectFrom('import_drafts')
        .selectAll()
        .where('token', '=', token)
        .where('user_id', '=', userId)
        .where('site_id', '=', siteId)
        .executeTakeFirst();
      return (
        row && {
          token: row.token,
          userId: row.user_id,
          siteId: row.site_id,
          fileName: row.file_name,
          tableJson: row.table_json,
          createdAt: row.created_at,
        }
      );
    },

    async remove(token: string): Promise<void> {
      await data.db().deleteFrom('import_drafts').where('token', '=', token).execute();
    },

    /** Drafts older than `before` are gone: a file's personal data is kept no longer than its import needs. */
    async removeOlderThan(before: string): Promise<void> {
      await data.db().deleteFrom('import_drafts').where('created_at', '<', before).execute();
    },
  };
}

export type ImportDraftsRepo = ReturnType<typeof createImportDraftsRepo>;
