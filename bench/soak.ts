/**
 * The soak test of hostile input (issue 13): starts the built server on loopback with a throwaway database,
 * sends hostile photos, 1,100-word searches, bodies over the limit and malformed URLs while /healthz is polled,
 * and prints the longest /healthz answer during the attack, the server's RSS before and after, and every
 * status seen. Bounded: a fixed number of each and a time limit; nothing leaves the machine.
 *
 * First the fault phase (bench/soak-faults.ts: concurrent onboarding submits, SIGKILL, restart, checks).
 *
 *   npm run soak                  (builds first: the server runs as in production, from dist/)
 *   npm run soak -- --faults-only (only the fault phase)
 *
 * Exits 1 when a fault check fails.
 */
import { readFileSync } from 'node:fs';
import { setPriority } from 'node:os';
import path from 'node:path';
import jpeg from 'jpeg-js';
import pngjs from 'pngjs';
import { runFaultPhase } from './soak-faults.js';
import { Client, freePort, startServer, temporaryDirectory } from './soak-support.js';

const HOSTILE_UPLOADS = Number(process.env.SOAK_UPLOADS ?? 20);
const UPLOADS_AT_ONCE = 4;
const HEALTH_EVERY_MS = 25;
const TIME_LIMIT_MS = 180_000;
const ADMIN_PASSWORD = 'Cho-Hoa-Lu-soak-2026!';

/** A PNG of just a signature and a header claiming `width` × `height`: the decompression bomb's first bytes. */
function pngClaiming(width: number, height: number): Buffer {
  const bytes = Buffer.alloc(45);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(bytes, 0);
  bytes.writeUInt32BE(13, 8);
  bytes.write('IHDR', 12, 'latin1');
  bytes.writeUInt32BE(width, 16);
  bytes.writeUInt32BE(height, 20);
  bytes.set([8, 6, 0, 0, 0], 24);
  bytes.write('IEND', 37, 'latin1');
  return bytes;
}

/** A real, plain white PNG: tiny on disk, `width` × `height` pixels once decoded. */
function plainPng(width: number, height: number): Buffer {
  const png = new pngjs.PNG({ width, height });
  png.data.fill(255);
  return pngjs.PNG.sync.write(png, { deflateLevel: 9 });
}

/** Grey noise at the pixel limit: every scale is searched and nothing is found, the slowest photo allowed. */
function noiseJpeg(width: number, height: number): Buffer {
  const data = Buffer.alloc(width * height * 4);
  let seed = 12345;
  for (let i = 0; i < data.length; i += 4) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    const v = (seed >> 16) & 0xff;
    data[i] = v;
    data[i + 1] = v;
    data[i + 2] = v;
    data[i + 3] = 255;
  }
  return Buffer.from(jpeg.encode({ width, height, data }, 30).data);
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024;
}

async function main(): Promise<void> {
  // Built before the server starts: building blocks this process, and an idle connection would go stale.
  console.log('soak: building the hostile photos…');
  const photos: { name: string; bytes: Buffer }[] = [
    { name: 'claims 30000×30000 (PNG header only)', bytes: pngClaiming(30_000, 30_000) },
    { name: 'plain 7000×7000 PNG (49 MP)', bytes: plainPng(7000, 7000) },
    { name: 'noise 5000×4000 JPEG (20 MP, the limit)', bytes: noiseJpeg(5000, 4000) },
  ];
  for (const photo of photos) console.log(`  ${photo.name}: ${(photo.bytes.length / 1024).toFixed(0)} KB`);

  const temporary = temporaryDirectory('phoqr-soak-');
  const dir = temporary.path;
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  // Its own start-up is bounded by startServer (30 s); the soak's time limit counts from there.
  const server = await startServer({
    PORT: String(port),
    DATABASE_PATH: path.join(dir, 'soak.sqlite'),
    PHOQR_ADMIN_PASSWORD: ADMIN_PASSWORD,
    PHOQR_SEED_DEMO: '0',
  });
  const stop = setTimeout(() => {
    console.error(`soak: stopped after ${TIME_LIMIT_MS / 1000} s`);
    server.child.kill('SIGKILL');
    process.exit(1);
  }, TIME_LIMIT_MS);

  try {
    // The load comes from this process: it yields the CPU to the server it measures (on a two-core machine it
    // would otherwise take the core the server needs while the photo decoder holds the other).
    setPriority(10);
    const admin = new Client(base);
    const csrf = await admin.login('admin', ADMIN_PASSWORD);

    // Settle, then the baseline: the server has answered a few pages and nothing hostile yet.
    for (let i = 0; i < 20; i++) await admin.request('/');
    const rssBefore = rssMb(server.pid);

    const statuses = new Map<string, number>();
    const seen = (what: string, status: number) => {
      const key = `${what} → ${status}`;
      statuses.set(key, (statuses.get(key) ?? 0) + 1);
    };
    let attacking = true;
    let longestHealth = 0;
    let healthChecks = 0;
    const health = (async () => {
      while (attacking) {
        const started = performance.now();
        const response = await fetch(`${base}/healthz`);
        await response.arrayBuffer();
        longestHealth = Math.max(longestHealth, performance.now() - started);
        healthChecks++;
        seen('GET /healthz', response.status);
        await new Promise((resume) => setTimeout(resume, HEALTH_EVERY_MS));
      }
    })();

    const started = performance.now();
    let next = 0;
    const uploader = async () => {
      while (next < HOSTILE_UPLOADS) {
        const photo = photos[next++ % photos.length]!;
        const form = new FormData();
        form.set('_csrf', csrf);
        form.set('qr_photo', new Blob([new Uint8Array(photo.bytes)], { type: 'image/png' }), 'photo.png');
        const response = await admin.request('/api/v1/vietqr/decode', { method: 'POST', body: form });
        const body = (await response.json()) as { problems?: { code: string }[] };
        const why = body.problems?.[0]?.code ?? 'read';
        seen(`POST /api/v1/vietqr/decode (${photo.name}) ${why}`, response.status);
      }
    };
    // Meanwhile the other hostile input: 1,100-word searches and bodies over the limit, a fixed number each.
    const longQuery = encodeURIComponent(
      Array.from({ length: 1100 }, (_, i) => String.fromCharCode(97 + (i % 26))).join(' '),
    );
    const searchesAndBodies = async () => {
      for (let i = 0; i < HOSTILE_UPLOADS; i++) {
        for (const path of [
          `/api/v1/communes?q=${longQuery}`,
          `/sites?q=${longQuery}`,
          `/admin/users?q=${longQuery}`,
        ]) {
          const response = await admin.request(path, { headers: { accept: 'text/html' } });
          await response.arrayBuffer();
          seen(
            `GET ${path.split('?')[0]}?q=<1,100 words> cut=${response.headers.get('x-search-cut') ?? '-'}`,
            response.status,
          );
        }
        const body = new URLSearchParams({ _csrf: csrf, name: 'Chợ thử', note: 'x'.repeat(300_000) });
        const tooLarge = await admin.request('/sites', {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
          body,
        });
        await tooLarge.arrayBuffer();
        seen('POST /sites (300 kB note)', tooLarge.status);
        const malformed = await admin.request('/sites/%E0%A4%A', { headers: { accept: 'text/html' } });
        await malformed.arrayBuffer();
        seen('GET /sites/%E0%A4%A', malformed.status);
      }
    };
    await Promise.all([...Array.from({ length: UPLOADS_AT_ONCE }, uploader), searchesAndBodies()]);
    const attackSeconds = (performance.now() - started) / 1000;
    attacking = false;
    await health;
    await new Promise((resume) => setTimeout(resume, 2000));
    const rssAfter = rssMb(server.pid);

    console.log(
      `\nsoak: ${HOSTILE_UPLOADS} hostile uploads, ${UPLOADS_AT_ONCE} at a time, in ${attackSeconds.toFixed(1)} s`,
    );
    console.log(`  longest /healthz answer during the attack: ${longestHealth.toFixed(1)} ms (${healthChecks} checks)`);
    console.log(`  server RSS before: ${rssBefore.toFixed(0)} MB, after: ${rssAfter.toFixed(0)} MB`);
    console.log(`  (+${(rssAfter - rssBefore).toFixed(0)} MB; goal: within 100 MB)`);
    console.log('  statuses seen:');
    for (const [key, count] of [...statuses].sort()) console.log(`    ${key}: ${count}`);
  } finally {
    clearTimeout(stop);
    server.child.kill('SIGTERM');
    await server.exited();
    temporary.remove();
  }
}

// The fault phase first: the hostile phase nices this process, and every server spawned after would inherit it.
const faultsPassed = await runFaultPhase();
if (!process.argv.includes('--faults-only')) await main();
if (!faultsPassed) process.exitCode = 1;
