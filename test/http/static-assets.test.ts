import { readFileSync } from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { serviceWorkerSource } from '../../src/offline/offline-routes.js';
import { assetsDir } from '../../src/paths.js';
import { createTestContext } from '../helpers/app.js';

const PUBLIC = path.join(assetsDir, 'public');
const FOREVER = 'public, max-age=31536000, immutable';

/** The hashed URLs a page names for its stylesheet and scripts. */
function assetUrls(html: string): string[] {
  return [...html.matchAll(/(?:href|src)="(\/static\/[^"]+)"/g)].map((match) => match[1]!);
}

describe('static assets with content hashes', () => {
  it('when a page is served, then it names each asset by a hashed URL that is cached for a year', async () => {
    const { loginAs } = createTestContext();
    const { agent } = await loginAs('volunteer');
    const page = await agent.get('/onboard').expect(200);
    const urls = assetUrls(page.text);
    expect(urls).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^\/static\/[0-9a-f]{8}\/app\.css$/),
        expect.stringMatching(/^\/static\/[0-9a-f]{8}\/js\/logout\.js$/),
        expect.stringMatching(/^\/static\/[0-9a-f]{8}\/js\/offline-queue\.js$/),
        expect.stringMatching(/^\/static\/[0-9a-f]{8}\/favicon\.svg$/),
      ]),
    );
    for (const url of urls) {
      const answer = await agent.get(url).buffer(true).parse(binary).expect(200);
      expect(answer.headers['cache-control'], url).toBe(FOREVER);
      const file = url.replace(/^\/static\/[0-9a-f]{8}\//, '');
      expect(answer.body, url).toEqual(readFileSync(path.join(PUBLIC, file)));
    }
  });

  it('when two files differ, then their hashes differ; the same file keeps its hash from page to page', async () => {
    const { loginAs } = createTestContext();
    const { agent } = await loginAs('volunteer');
    const first = assetUrls((await agent.get('/onboard').expect(200)).text);
    const second = assetUrls((await agent.get('/').expect(200)).text);
    const css = first.find((url) => url.endsWith('/app.css'));
    expect(second).toContain(css);
    const hashes = first.map((url) => url.split('/')[2]);
    expect(new Set(hashes).size).toBe(hashes.length);
  });

  it('when an old page asks the plain path or an old hash, then it still gets the file, briefly cached', async () => {
    const { app } = createTestContext();
    const plain = await request(app).get('/static/js/onboarding.js').expect(200);
    expect(plain.headers['cache-control']).toBe('public, max-age=0');
    const stale = await request(app).get('/static/00000000/js/onboarding.js').expect(200);
    expect(stale.headers['cache-control']).toBe('public, max-age=0');
    expect(stale.text).toBe(readFileSync(path.join(PUBLIC, 'js/onboarding.js'), 'utf8'));
    await request(app).get('/static/00000000/js/nothing-here.js').expect(404);
    await request(app).get('/static/00000000/%2e%2e/%2e%2e/package.json').expect(404);
  });

  it('when a browser asks /favicon.ico, then it gets the QR mark; the login page names its icons', async () => {
    const { app } = createTestContext();
    const icon = await request(app).get('/favicon.ico').buffer(true).parse(binary).expect(200);
    expect(icon.body).toEqual(readFileSync(path.join(PUBLIC, 'favicon.ico')));
    expect(icon.headers['content-type']).toMatch(/icon/);
    const login = await request(app).get('/login').expect(200);
    expect(login.text).toMatch(/<link rel="icon" href="\/static\/[0-9a-f]{8}\/favicon\.svg" type="image\/svg\+xml">/);
    expect(login.text).toMatch(/<link rel="icon" href="\/static\/[0-9a-f]{8}\/favicon\.ico" sizes="32x32">/);
  });
});

describe('the service worker with hashed assets', () => {
  it('when /sw.js is asked, then it is never long-cached and keeps the hashed URLs the pages load', async () => {
    const { loginAs } = createTestContext();
    const { agent } = await loginAs('volunteer');
    const worker = await agent.get('/sw.js').expect(200);
    expect(worker.headers['cache-control']).toBe('no-cache');
    const page = await agent.get('/onboard').expect(200);
    const shell = [...worker.text.matchAll(/'(\/static\/[0-9a-f]{8}\/[^']+)'/g)].map((match) => match[1]!);
    // Everything a kept onboarding form loads from /static is in the shell, by the same URL.
    expect(shell).toEqual(expect.arrayContaining(assetUrls(page.text)));
    for (const url of shell) await agent.get(url).expect(200);
    expect(worker.text).toMatch(/const VERSION = 'v1-[0-9a-f]{8}';/);
    expect(worker.text).not.toMatch(/'\/static\/(app\.css|js\/)/);
  });

  it('when any asset changes, then the service worker text changes too (so the browser installs the new one)', () => {
    const source = readFileSync(path.join(PUBLIC, 'js/sw.js'), 'utf8');
    const before = serviceWorkerSource(source, {
      version: 'aaaaaaaa',
      urls: new Map([['app.css', '/static/11111111/app.css']]),
    });
    const after = serviceWorkerSource(source, {
      version: 'bbbbbbbb',
      urls: new Map([['app.css', '/static/22222222/app.css']]),
    });
    expect(before).toContain("'/static/11111111/app.css'");
    expect(after).toContain("'/static/22222222/app.css'");
    expect(after).toContain("const VERSION = 'v1-bbbbbbbb';");
    // A file the map does not know is left as written.
    expect(after).toContain("'/static/js/offline-queue.js'");
  });
});

/** superagent's parser for raw bytes. */
function binary(res: request.Response, callback: (error: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  const stream = res as unknown as NodeJS.ReadableStream;
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  stream.on('end', () => callback(null, Buffer.concat(chunks)));
}
