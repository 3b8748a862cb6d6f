import writeXlsxFile from 'write-excel-file/node';
import readXlsxFile from 'read-excel-file/node';
import { describe, expect, it } from 'vitest';
import { contextWithSite } from '../helpers/site-fixture.js';

const SITE = { kind: 'market', name: 'Chợ Hoa Lư', commune_code: '23575', target_percent: '70' };
const CSV = [
  'Số sạp;Tên chủ hộ;SĐT;Nhóm hàng;Ghi chú bán hàng;Ngày đồng ý',
  'Sạp 1;Lê Thị Hoa;0905 777 888;Rau củ;0071000999888;20/11/2026',
  'Sạp 2;;;Thịt;;',
  'Sạp 3;;09abc;Thịt;;20/11/2026',
].join('\n');

async function withSite(reach?: { kind: 'commune'; code: string }[]) {
  const { context } = await contextWithSite(SITE);
  const volunteer = await context.loginAs('volunteer', 'tnv.lan', reach);
  return { ...context, ...volunteer };
}

const hidden = (html: string, name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1];

describe('/sites/:id/import', () => {
  it(
    'when a volunteer uploads, maps an unrecognised column and confirms, ' +
      'then nothing is written before the confirmation and exactly the previewed rows after it',
    async () => {
      const { agent, csrf, db, userId } = await withSite();
      const site = await agent.get('/sites/1').expect(200);
      expect(site.text).toContain('href="/sites/1/import"');
      expect((await agent.get('/sites/1/import').expect(200)).text).toContain('Nhập sạp từ tệp');

      const uploaded = await agent
        .post('/sites/1/import')
        .field('_csrf', csrf)
        .attach('stall_file', Buffer.from(CSV), 'chợ hoa lư.csv')
        .expect(200);
      expect(uploaded.text).toContain('Xem trước: chợ hoa lư.csv');
      expect(uploaded.text).toMatch(/Cột 5: “Ghi chú bán hàng”[\s\S]*?<option value="skip" selected>/);
      expect(uploaded.text).toMatch(/data-line="2" data-outcome="new"/);
      expect(uploaded.text).toMatch(
        /data-line="4" data-outcome="error"[\s\S]*?Số điện thoại: Số điện thoại gồm 10 chữ số/,
      );
      expect(db.prepare('SELECT count(*) FROM stalls').pluck().get()).toBe(0);
      const token = hidden(uploaded.text, 'token')!;

      // The mapping step: the unrecognised column is the account number; without a bank the row is an error.
      const mapped = await agent
        .post('/sites/1/import/preview')
        .type('form')
        .send({ _csrf: csrf, token, map_4: 'account_number' })
        .expect(200);
      expect(mapped.text).toMatch(/data-line="2" data-outcome="error"[\s\S]*?Ngân hàng: Chọn ngân hàng/);
      const skipped = await agent
        .post('/sites/1/import/preview')
        .type('form')
        .send({ _csrf: csrf, token, map_4: 'skip' })
        .expect(200);
      expect(skipped.text).toMatch(/data-outcome="new"[\s\S]*?<strong data-count>2<\/strong>/);
      const confirmed = await agent
        .post('/sites/1/import/confirm')
        .type('form')
        .send({ _csrf: csrf, token, digest: hidden(skipped.text, 'digest'), map_4: 'skip' })
        .expect(200);
      expect(confirmed.text).toContain('Đã ghi 2 dòng vào Chợ Hoa Lư; 1 dòng không ghi.');
      expect(db.prepare('SELECT label, owner_name, phone, created_by FROM stalls ORDER BY id').all()).toEqual([
        { label: 'Sạp 1', owner_name: 'Lê Thị Hoa', phone: '0905777888', created_by: userId },
        { label: 'Sạp 2', owner_name: '', phone: null, created_by: userId },
      ]);
      const audit = db.prepare("SELECT user_id, changes FROM audit_log WHERE action = 'site.import_stalls'").get() as {
        user_id: number;
        changes: string;
      };
      expect(audit.user_id).toBe(userId);
      expect(JSON.parse(audit.changes).file_name).toEqual({ after: 'chợ hoa lư.csv' });
      expect(db.prepare('SELECT count(*) FROM import_drafts').pluck().get()).toBe(0);

      // The confirmation cannot be sent twice: the draft is gone.
      const again = await agent
        .post('/sites/1/import/confirm')
        .type('form')
        .send({ _csrf: csrf, token, digest: hidden(skipped.text, 'digest') })
        .expect(400);
      expect(again.text).toContain('đã hết hạn hoặc đã được xác nhận');
      expect(db.prepare('SELECT count(*) FROM stalls').pluck().get()).toBe(2);
    },
  );

  it('when the site changed after the preview, then nothing is written and the new preview is shown', async () => {
    const { agent, csrf, db } = await withSite();
    const uploaded = await agent
      .post('/sites/1/import')
      .field('_csrf', csrf)
      .attach('stall_file', Buffer.from(CSV), 'ds.csv')
      .expect(200);
    await agent.post('/sites/1/stalls').type('form').send({ label: 'Sạp 2', goods_category: 'rau_cu', _csrf: csrf });
    const response = await agent
      .post('/sites/1/import/confirm')
      .type('form')
      .send({ _csrf: csrf, token: hidden(uploaded.text, 'token'), digest: hidden(uploaded.text, 'digest') })
      .expect(409);
    expect(response.text).toContain('đã thay đổi từ lúc xem trước, nên chưa ghi gì');
    expect(response.text).toMatch(/data-line="3" data-outcome="update"/);
    expect(db.prepare('SELECT count(*) FROM stalls').pluck().get()).toBe(1);
  });

  it('when another user sends the token, then the draft is not theirs and nothing is written', async () => {
    const context = await withSite();
    const uploaded = await context.agent
      .post('/sites/1/import')
      .field('_csrf', context.csrf)
      .attach('stall_file', Buffer.from(CSV), 'ds.csv')
      .expect(200);
    const other = await context.loginAs('volunteer', 'tnv.khac');
    await other.agent
      .post('/sites/1/import/confirm')
      .type('form')
      .send({ _csrf: other.csrf, token: hidden(uploaded.text, 'token'), digest: hidden(uploaded.text, 'digest') })
      .expect(400);
    expect(context.db.prepare('SELECT count(*) FROM stalls').pluck().get()).toBe(0);
  });

  it('when the file is missing or has no label column, then the upload form says so next to the file', async () => {
    const { agent, csrf } = await withSite();
    const none = await agent.post('/sites/1/import').field('_csrf', csrf).expect(400);
    expect(none.text).toMatch(/id="f-stall_file-error"[^>]*>Chọn tệp danh sách sạp/);
    const noLabel = await agent
      .post('/sites/1/import')
      .field('_csrf', csrf)
      .attach('stall_file', Buffer.from('Tên chủ hộ\nLan\n'), 'ds.csv')
      .expect(200);
    expect(noLabel.text).toMatch(/id="mapping-problem"[^>]*>Thiếu cột Số sạp/);
    expect(noLabel.text).toMatch(/<button type="submit" disabled>Ghi 0 dòng/);
  });

  it('when the template is downloaded, then it has the Vietnamese headers, as XLSX and as CSV with a BOM', async () => {
    const { agent } = await withSite();
    const xlsx = await agent
      .get('/sites/1/import/template.xlsx')
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    const [sheet] = await readXlsxFile(xlsx.body as Buffer);
    expect(sheet!.data[0]).toEqual([
      'Số sạp',
      'Tên cơ sở',
      'Họ tên chủ sạp',
      'Số điện thoại',
      'Nhóm hàng',
      'Ngân hàng',
      'Số tài khoản',
      'Tên chủ tài khoản',
      'Ngày đồng ý',
    ]);
    const csv = await agent.get('/sites/1/import/template.csv').expect(200);
    expect(csv.text.startsWith('\uFEFFSố sạp,Tên cơ sở,Họ tên chủ sạp,Số điện thoại')).toBe(true);
    await agent.get('/sites/1/import/template.pdf').expect(404);
  });

  it('when an XLSX is uploaded, then its first sheet is previewed', async () => {
    const { agent, csrf } = await withSite();
    const bytes = await writeXlsxFile([
      [{ value: 'SỐ SẠP' }, { value: 'nhom hang' }],
      [{ value: 'Ki-ốt A3' }, { value: 'Ăn uống' }],
    ]).toBuffer();
    const response = await agent
      .post('/sites/1/import')
      .field('_csrf', csrf)
      .attach('stall_file', bytes, 'ds.xlsx')
      .expect(200);
    expect(response.text).toMatch(/data-line="2" data-outcome="new"[\s\S]*?Ki-ốt A3/);
  });

  it('when the site is outside the volunteer’s reach, then every import URL answers 404', async () => {
    const { agent, csrf } = await withSite([{ kind: 'commune', code: '23887' }]);
    await agent.get('/sites/1/import').expect(404);
    await agent.get('/sites/1/import/template.xlsx').expect(404);
    await agent
      .post('/sites/1/import')
      .field('_csrf', csrf)
      .attach('stall_file', Buffer.from(CSV), 'ds.csv')
      .expect(404);
  });

  it('when a viewer opens the import, then 403 and no link on the site page', async () => {
    const context = await withSite();
    const viewer = await context.loginAs('viewer', 'xem');
    await viewer.agent.get('/sites/1/import').expect(403);
    expect((await viewer.agent.get('/sites/1').expect(200)).text).not.toContain('/sites/1/import');
  });
});
