import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { createDemoTestContext, csrfFrom, TEST_PASSWORD } from '../helpers/app.js';
import { call, cookiesOf, type Answer } from '../helpers/server-process.js';

let server: Server | undefined;
afterEach(() => {
  server?.close();
  server = undefined;
});

/** The demo app on a real port, with a logged-in admin's cookie: raw bytes, as a browser gets them. */
async function demoOnAPort() {
  const { app, createUser, db } = await createDemoTestContext();
  await createUser('quantri', 'admin');
  server = app.listen(0);
  await new Promise((resolve) => server!.once('listening', resolve));
  const port = (server.address() as AddressInfo).port;
  const page = await call(port, 'GET', '/login');
  const login = await call(port, 'POST', '/login', {
    cookie: cookiesOf(page),
    form: { _csrf: csrfFrom(page.body), username: 'quantri', password: TEST_PASSWORD },
  });
  expect(login.status).toBe(303);
  const cookie = cookiesOf(login, cookiesOf(page));
  const get = (path: string, encoding?: string): Promise<Answer> =>
    call(port, 'GET', path, { cookie, headers: encoding ? { 'Accept-Encoding': encoding } : {} });
  return { get, db };
}

describe('compressed answers', () => {
  it('when a browser accepts gzip, then a page comes gzipped and decodes to the same HTML', async () => {
    const { get, db } = await demoOnAPort();
    const siteId = db.prepare("SELECT id FROM sites WHERE name = 'Chợ Hoa Lư'").pluck().get() as number;
    const plain = await get(`/sites/${siteId}`);
    const zipped = await get(`/sites/${siteId}`, 'gzip');
    expect(plain.status).toBe(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers.vary).toContain('Accept-Encoding');
    const html = gunzipSync(zipped.raw).toString();
    expect(html).toBe(plain.body);
    expect(zipped.raw.length).toBeLessThan(plain.raw.length / 3);
  });

  it('when a browser accepts gzip, then JSON, CSS, scripts and the service worker come gzipped too', async () => {
    const { get } = await demoOnAPort();
    for (const path of [
      '/api/v1/adoption?scope=province:52',
      '/static/app.css',
      '/static/js/onboarding.js',
      '/sw.js',
    ]) {
      const plain = await get(path);
      const zipped = await get(path, 'gzip');
      expect(zipped.headers['content-encoding'], path).toBe('gzip');
      expect(gunzipSync(zipped.raw).toString(), path).toBe(plain.body);
    }
  });

  it('when a browser accepts gzip, then a PDF and an XLSX come as they are (compressed already)', async () => {
    const { get } = await demoOnAPort();
    const pdf = await get('/dashboard/report.pdf?scope=province:52', 'gzip');
    expect(pdf.status).toBe(200);
    expect(pdf.headers['content-encoding']).toBeUndefined();
    expect(pdf.raw.subarray(0, 5).toString()).toBe('%PDF-');
    const xlsx = await get('/dashboard/table.xlsx?scope=province:52', 'gzip');
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers['content-encoding']).toBeUndefined();
    expect(xlsx.raw.subarray(0, 2).toString()).toBe('PK');
  });
});
