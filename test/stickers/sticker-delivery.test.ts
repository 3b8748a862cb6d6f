import http, { type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { afterEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import { createTestContext, csrfFrom, TEST_PASSWORD } from '../helpers/app.js';
import { pdfInfo } from '../helpers/pdf-tools.js';
import { siteOfVerifiedStalls, verifiedStall } from '../helpers/stickers.js';

/**
 * A print counts only once its PDF was handed whole to the connection (the response's 'finish'). These tests
 * serve the real app on a loopback port behind a test-only shim that can cut a PDF response after a fixed
 * number of bytes, or hold its end so the client leaves first: every cut happens at a point the test chose,
 * never at one a kernel buffer or a timer decides. `stickers.settled()` waits for the recording (or its
 * absence) of every download started, so nothing below polls or sleeps.
 */

/** What the shim does to the PDF responses that follow: nothing, cut after `cutAfter` bytes, or never end. */
interface Shim {
  cutAfter?: number;
  holdEnd?: boolean;
}

/** Cuts `res` once `limit` bytes of it have gone out, as a phone losing its signal would. */
function cutAfterBytes(res: ServerResponse, limit: number): void {
  const write = res.write.bind(res) as (chunk: Buffer) => boolean;
  let written = 0;
  res.write = ((chunk: string | Uint8Array) => {
    if (res.destroyed) return false;
    const bytes = Buffer.from(chunk);
    if (written + bytes.length <= limit) {
      written += bytes.length;
      return write(bytes);
    }
    write(bytes.subarray(0, limit - written));
    written = limit;
    res.destroy();
    return false;
  }) as typeof res.write;
}

/**
 * The response never ends (its `end` does nothing), so it cannot finish before the client gives up: stands in
 * for a connection slower than the user's patience, without depending on how much a socket buffers.
 */
function holdEnd(res: ServerResponse): void {
  res.end = (() => res) as typeof res.end;
}

interface Download {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** The whole response arrived (node's `complete`): false when the connection was cut. */
  complete: boolean;
}

async function deliveryContext(stallCount: number) {
  const context = createTestContext();
  const registry = await siteOfVerifiedStalls(context, stallCount);
  const shim: Shim = {};
  const server = http.createServer((req, res) => {
    if (req.method === 'POST' && /\/stickers?$/.test(req.url ?? '')) {
      if (shim.cutAfter !== undefined) cutAfterBytes(res, shim.cutAfter);
      if (shim.holdEnd) holdEnd(res);
    }
    void context.app(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  const { port } = server.address() as AddressInfo;

  // A team lead logged in through the same server: the session cookie goes with every raw request below.
  await context.createUser('totruong.in', 'team_lead');
  const cookies = new Map<string, string>();
  const keep = (response: request.Response) => {
    for (const line of ([] as string[]).concat(response.headers['set-cookie'] ?? [])) {
      const [pair = ''] = line.split(';');
      const at = pair.indexOf('=');
      cookies.set(pair.slice(0, at), pair.slice(at + 1));
    }
  };
  const cookie = () => [...cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  const loginPage = await request(server).get('/login');
  keep(loginPage);
  keep(
    await request(server)
      .post('/login')
      .set('Cookie', cookie())
      .type('form')
      .send({ _csrf: csrfFrom(loginPage.text), username: 'totruong.in', password: TEST_PASSWORD })
      .expect(303),
  );
  const home = await request(server).get('/').set('Cookie', cookie()).expect(200);
  const csrf = csrfFrom(home.text);

  /**
   * POSTs a form over a real socket and reads the answer to its end or its cut. `onFirstBytes` runs once the
   * first bytes of the body arrived, with the request (to abort it as a user cancelling the download would).
   */
  function post(path: string, form: Record<string, string>, onFirstBytes?: (req: http.ClientRequest) => void) {
    const body = new URLSearchParams({ ...form, _csrf: csrf }).toString();
    return new Promise<Download>((resolve) => {
      let answered = false;
      const req = http.request({
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        headers: {
          cookie: cookie(),
          'content-type': 'application/x-www-form-urlencoded',
          'content-length': Buffer.byteLength(body),
        },
      });
      req.on('error', () => {
        if (!answered) resolve({ status: 0, headers: {}, body: Buffer.alloc(0), complete: false });
      });
      req.on('response', (res) => {
        answered = true;
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => {
          if (chunks.push(chunk) === 1) onFirstBytes?.(req);
        });
        res.on('error', () => undefined);
        res.on('close', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks),
            complete: res.complete,
          }),
        );
      });
      req.end(body);
    });
  }

  const { db } = context;
  const state = () => ({
    stickers: db.prepare('SELECT serial, sequence, print_count, status FROM stickers ORDER BY sequence').all() as {
      serial: string;
      sequence: number;
      print_count: number;
      status: string;
    }[],
    prints: db.prepare('SELECT count(*) FROM sticker_prints').pluck().get() as number,
    audit: Object.fromEntries(
      db
        .prepare("SELECT action, count(*) AS n FROM audit_log WHERE entity = 'sticker' GROUP BY action")
        .all()
        .map((row) => {
          const { action, n } = row as { action: string; n: number };
          return [action, n];
        }),
    ) as Record<string, number>,
  });
  return { ...context, ...registry, shim, post, state };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('a print counts only when its PDF was delivered whole', () => {
  it(
    'when a site batch is downloaded to its end, then every sticker is printed once, ' +
      'with a print-log row and its sticker.issue and sticker.print audit rows',
    async () => {
      const { post, state, services, db, siteId } = await deliveryContext(5);
      const download = await post(`/sites/${siteId}/stickers`, { format: 'a6', scope: 'verified' });
      expect(download).toMatchObject({ status: 200, complete: true });
      expect(download.headers['content-disposition']).toContain('phoqr-cho-hoa-lu-5-ma-qr-a6.pdf');
      expect(pdfInfo(download.body).Pages).toBe('5');
      await services.stickers.settled();
      const after = state();
      expect(after.stickers.map((sticker) => [sticker.sequence, sticker.print_count])).toEqual([
        [1, 1],
        [2, 1],
        [3, 1],
        [4, 1],
        [5, 1],
      ]);
      expect(after.prints).toBe(5);
      expect(after.audit).toEqual({ 'sticker.issue': 5, 'sticker.print': 5 });
      // Issued at reservation, before the PDF streamed; printed once it was delivered.
      const actions = db
        .prepare("SELECT action FROM audit_log WHERE entity = 'sticker' ORDER BY id")
        .pluck()
        .all() as string[];
      expect(actions).toEqual([...Array(5).fill('sticker.issue'), ...Array(5).fill('sticker.print')]);
    },
  );

  it(
    'when a batch download is cut midway, then none of its stickers is recorded as printed, ' +
      '"only unprinted" offers them all again, and the next print reuses their serials without gaps',
    async () => {
      const context = await deliveryContext(12);
      const { post, state, services, shim, siteId, admin } = context;
      shim.cutAfter = 20_000;
      const cut = await post(`/sites/${siteId}/stickers`, { format: 'a6', scope: 'verified' });
      expect(cut.complete).toBe(false);
      await services.stickers.settled();
      const afterCut = state();
      // The serials are reserved (issued), nothing is printed.
      expect(afterCut.stickers.map((sticker) => [sticker.sequence, sticker.print_count, sticker.status])).toEqual(
        Array.from({ length: 12 }, (_, i) => [i + 1, 0, 'valid']),
      );
      expect(afterCut.prints).toBe(0);
      expect(afterCut.audit).toEqual({ 'sticker.issue': 12 });

      shim.cutAfter = undefined;
      const again = await post(`/sites/${siteId}/stickers`, { format: 'a6', scope: 'unprinted' });
      expect(again).toMatchObject({ status: 200, complete: true });
      expect(again.headers['content-disposition']).toContain('phoqr-cho-hoa-lu-12-ma-qr-a6.pdf');
      // The cut fell midway: the whole file is more than twice what went out before it.
      expect(again.body.length).toBeGreaterThan(2 * 20_000);
      await services.stickers.settled();
      const afterAgain = state();
      expect(afterAgain.stickers.map((sticker) => sticker.serial)).toEqual(
        afterCut.stickers.map((sticker) => sticker.serial),
      );
      expect(afterAgain.stickers.every((sticker) => sticker.print_count === 1)).toBe(true);
      expect(afterAgain.prints).toBe(12);
      expect(afterAgain.audit).toEqual({ 'sticker.issue': 12, 'sticker.print': 12 });
      expect((await post(`/sites/${siteId}/stickers`, { format: 'a6', scope: 'unprinted' })).status).toBe(400);

      // A stall added later takes the next number: nothing was skipped, nothing is doubled.
      const thirteenth = await verifiedStall(context, admin, siteId, 13);
      const next = await post(`/stalls/${thirteenth}/sticker`, { format: 'a6' });
      expect(next).toMatchObject({ status: 200, complete: true });
      await services.stickers.settled();
      expect(state().stickers.map((sticker) => sticker.sequence)).toEqual(Array.from({ length: 13 }, (_, i) => i + 1));
    },
  );

  it('when a single stall’s download is cut, then it is not recorded, and its reprint keeps the serial', async () => {
    const { post, state, services, shim, stallIds } = await deliveryContext(1);
    shim.cutAfter = 1_000;
    const cut = await post(`/stalls/${stallIds[0]}/sticker`, { format: 'a6' });
    expect(cut.complete).toBe(false);
    await services.stickers.settled();
    expect(state()).toEqual({
      stickers: [{ serial: '52-23575-000001', sequence: 1, print_count: 0, status: 'valid' }],
      prints: 0,
      audit: { 'sticker.issue': 1 },
    });
    shim.cutAfter = undefined;
    expect(await post(`/stalls/${stallIds[0]}/sticker`, { format: 'small' })).toMatchObject({ complete: true });
    await services.stickers.settled();
    expect(state()).toEqual({
      stickers: [{ serial: '52-23575-000001', sequence: 1, print_count: 1, status: 'valid' }],
      prints: 1,
      audit: { 'sticker.issue': 1, 'sticker.print': 1 },
    });
  });

  it('when drawing the PDF fails after its first pages went out, then nothing is recorded', async () => {
    const { post, state, services, db, siteId, admin } = await deliveryContext(6);
    // Reserved and never delivered; then the fourth sticker's payload is lost, which the renderer refuses.
    await services.stickers.forSite(admin, siteId, 'a6', 'verified');
    db.prepare("UPDATE stickers SET payload = '' WHERE sequence = 4").run();
    const download = await post(`/sites/${siteId}/stickers`, { format: 'a6', scope: 'verified' });
    expect(download.status).toBe(200);
    expect(download.complete).toBe(false);
    expect(download.body.length).toBeGreaterThan(0);
    await services.stickers.settled();
    const after = state();
    expect(after.stickers.map((sticker) => sticker.print_count)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(after.prints).toBe(0);
    expect(after.audit).toEqual({ 'sticker.issue': 6 });
  });

  it(
    'when the user cancels the download after its first bytes (the client closes its socket), ' +
      'then the batch is not recorded',
    async () => {
      const { post, state, services, shim, siteId } = await deliveryContext(4);
      shim.holdEnd = true;
      const cancelled = await post(`/sites/${siteId}/stickers`, { format: 'a4-2x2', scope: 'verified' }, (req) =>
        req.destroy(),
      );
      expect(cancelled).toMatchObject({ status: 200, complete: false });
      expect(cancelled.body.length).toBeGreaterThan(0);
      await services.stickers.settled();
      expect(state().prints).toBe(0);
      expect(state().stickers.map((sticker) => sticker.print_count)).toEqual([0, 0, 0, 0]);

      // The same client reading to the end is recorded: the shim, not the client, was what differed.
      shim.holdEnd = false;
      expect(await post(`/sites/${siteId}/stickers`, { format: 'a4-2x2', scope: 'unprinted' })).toMatchObject({
        status: 200,
        complete: true,
      });
      await services.stickers.settled();
      expect(state().prints).toBe(4);
    },
  );

  it(
    'when recording a delivered print fails, then the error is logged, no sticker of the batch is half ' +
      'recorded, and the next download records normally',
    async () => {
      const { post, state, services, db, siteId } = await deliveryContext(3);
      const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
      // The print log refuses the second sticker's row: the whole batch's recording is one transaction.
      db.exec(`CREATE TRIGGER refuse_print BEFORE INSERT ON sticker_prints
                 WHEN (SELECT sequence FROM stickers WHERE id = NEW.sticker_id) = 2
                 BEGIN SELECT RAISE(ABORT, 'đĩa đầy'); END`);
      const download = await post(`/sites/${siteId}/stickers`, { format: 'a6', scope: 'verified' });
      expect(download).toMatchObject({ status: 200, complete: true });
      await services.stickers.settled();
      expect(logged).toHaveBeenCalledTimes(1);
      expect(String(logged.mock.calls[0]?.[0])).toContain('Không ghi được lượt in 3 mã QR');
      expect(state().stickers.map((sticker) => sticker.print_count)).toEqual([0, 0, 0]);
      expect(state().prints).toBe(0);
      expect(state().audit).toEqual({ 'sticker.issue': 3 });

      db.exec('DROP TRIGGER refuse_print');
      expect(await post(`/sites/${siteId}/stickers`, { format: 'a6', scope: 'unprinted' })).toMatchObject({
        complete: true,
      });
      await services.stickers.settled();
      expect(state().stickers.map((sticker) => sticker.print_count)).toEqual([1, 1, 1]);
    },
  );
});

describe('replacing a stall’s other sticker waits for delivery too', () => {
  it(
    'when the sticker of a stall’s new primary is cut off, then the old sticker stays valid; ' +
      'once the new one is delivered, the old one is replaced after the print is recorded',
    async () => {
      const { post, state, services, shim, db, stallIds, admin } = await deliveryContext(1);
      const stallId = stallIds[0]!;
      expect(await post(`/stalls/${stallId}/sticker`, { format: 'a6' })).toMatchObject({ complete: true });
      await services.stickers.settled();
      // A second account made primary behind the registry's back (as old data may hold it): the first
      // account's sticker is still valid, so the next sticker printed for the stall must replace it.
      const second = await services.accounts.addAccount(
        admin,
        stallId,
        { bank_bin: '970436', account_number: '0071000111222', holder_name: 'NGUYEN THI KIM DUNG' },
        undefined,
      );
      await services.accounts.checkName(admin, stallId, second, { name_seen: 'NGUYEN THI KIM DUNG' });
      db.prepare('UPDATE stall_accounts SET is_primary = (id = ?) WHERE stall_id = ?').run(second, stallId);

      shim.cutAfter = 1_000;
      expect((await post(`/stalls/${stallId}/sticker`, { format: 'a6' })).complete).toBe(false);
      await services.stickers.settled();
      expect(state().stickers.map((sticker) => [sticker.sequence, sticker.print_count, sticker.status])).toEqual([
        [1, 1, 'valid'],
        [2, 0, 'valid'],
      ]);

      shim.cutAfter = undefined;
      expect(await post(`/stalls/${stallId}/sticker`, { format: 'a6' })).toMatchObject({ complete: true });
      await services.stickers.settled();
      expect(state().stickers.map((sticker) => [sticker.sequence, sticker.print_count, sticker.status])).toEqual([
        [1, 1, 'replaced'],
        [2, 1, 'valid'],
      ]);
      const rows = db.prepare("SELECT action, entity_id FROM audit_log WHERE entity = 'sticker' ORDER BY id").all() as {
        action: string;
        entity_id: number;
      }[];
      const [first, newer] = db.prepare('SELECT id FROM stickers ORDER BY sequence').pluck().all() as number[];
      expect(rows.map((row) => [row.action, row.entity_id])).toEqual([
        ['sticker.issue', first],
        ['sticker.print', first],
        ['sticker.issue', newer],
        ['sticker.print', newer],
        ['sticker.revoke', first],
      ]);
    },
  );
});

describe('the print handle', () => {
  it('when a print is recorded twice, then the second call is refused and it counts once', async () => {
    const context = createTestContext();
    const { admin, stallIds } = await siteOfVerifiedStalls(context, 1);
    const print = await context.services.stickers.forStall(admin, stallIds[0]!, 'a6');
    await print.recordDelivered();
    await expect(print.recordDelivered()).rejects.toThrow('Lượt in này đã được ghi.');
    expect(context.db.prepare('SELECT print_count FROM stickers').pluck().all()).toEqual([1]);
  });
});
