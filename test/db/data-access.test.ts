import path from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { sqliteDataAccess } from '../../src/db/data-access.js';
import { openDatabase } from '../../src/db/database.js';
import { tempDir } from '../helpers/temp-dir.js';

function freshAccess() {
  const connection = openDatabase(':memory:');
  connection.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
  return { connection, data: sqliteDataAccess(connection) };
}

async function insertNote(data: ReturnType<typeof sqliteDataAccess>, body: string) {
  await sql`INSERT INTO notes (body) VALUES (${body})`.execute(data.db());
}

async function countNotes(data: ReturnType<typeof sqliteDataAccess>): Promise<number> {
  const { rows } = await sql<{ n: number }>`SELECT count(*) AS n FROM notes`.execute(data.db());
  return rows[0]!.n;
}

describe('sqliteDataAccess', () => {
  it('when the work resolves, then everything it wrote is committed', async () => {
    const { connection, data } = freshAccess();
    await data.transaction(async () => {
      await insertNote(data, 'một');
      await insertNote(data, 'hai');
    });
    expect(connection.prepare('SELECT count(*) AS n FROM notes').get()).toEqual({ n: 2 });
  });

  it('when the work throws, then nothing it wrote is kept and the error reaches the caller', async () => {
    const { connection, data } = freshAccess();
    await expect(
      data.transaction(async () => {
        await insertNote(data, 'một');
        throw new Error('hỏng');
      }),
    ).rejects.toThrow('hỏng');
    expect(connection.prepare('SELECT count(*) AS n FROM notes').get()).toEqual({ n: 0 });
  });

  it('when a transaction is opened inside another, then it joins the outer one and rolls back with it', async () => {
    const { data } = freshAccess();
    await expect(
      data.transaction(async () => {
        await data.transaction(async () => insertNote(data, 'bên trong'));
        expect(data.inTransaction()).toBe(true);
        throw new Error('bên ngoài hỏng');
      }),
    ).rejects.toThrow();
    expect(await countNotes(data)).toBe(0);
  });

  it(
    'when another request reads while a transaction is open, ' + 'then it waits and sees only what was committed',
    async () => {
      const { data } = freshAccess();
      let releaseWork!: () => void;
      const workMayFinish = new Promise<void>((resolve) => (releaseWork = resolve));
      let inserted!: () => void;
      const rowInserted = new Promise<void>((resolve) => (inserted = resolve));
      const writer = data.transaction(async () => {
        await insertNote(data, 'chưa xong');
        inserted();
        await workMayFinish;
        throw new Error('bỏ dở');
      });
      await rowInserted;
      // Outside the transaction's async context: this read waits for the connection instead of joining it.
      const reader = countNotes(data);
      expect(data.inTransaction()).toBe(false);
      releaseWork();
      await expect(writer).rejects.toThrow('bỏ dở');
      expect(await reader).toBe(0);
    },
  );
});

describe('sqliteDataAccess with another process on the same file', () => {
  /** Two connections to one WAL file, as two cluster workers hold; the other one refuses to wait. */
  function twoConnections() {
    const file = path.join(tempDir('data-access'), 'shared.sqlite');
    const mine = openDatabase(file);
    mine.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
    const other = openDatabase(file);
    other.pragma('busy_timeout = 0');
    const close = () => {
      mine.close();
      other.close();
    };
    return { mine, data: sqliteDataAccess(mine), other, close };
  }

  it(
    'when a transaction reads, the other writes meanwhile, then the transaction still writes: it held the ' +
      'write lock from its start and the other was told to wait',
    async () => {
      const { data, other, mine, close } = twoConnections();
      try {
        let otherWrite: unknown;
        await data.transaction(async () => {
          expect(await countNotes(data)).toBe(0);
          try {
            other.prepare("INSERT INTO notes (body) VALUES ('khác')").run();
          } catch (error) {
            otherWrite = error;
          }
          await insertNote(data, 'của tôi');
        });
        expect((otherWrite as { code?: string }).code).toBe('SQLITE_BUSY');
        expect(mine.prepare('SELECT body FROM notes').pluck().all()).toEqual(['của tôi']);
      } finally {
        close();
      }
    },
  );

  it('when a transaction only reads, then the other process writes meanwhile without waiting', async () => {
    const { data, other, mine, close } = twoConnections();
    try {
      await data.reading(async () => {
        expect(await countNotes(data)).toBe(0);
        other.prepare("INSERT INTO notes (body) VALUES ('khác')").run();
        // One view of the database for the whole reading: the other's row is not in it yet.
        expect(await countNotes(data)).toBe(0);
      });
      expect(mine.prepare('SELECT body FROM notes').pluck().all()).toEqual(['khác']);
    } finally {
      close();
    }
  });
});
