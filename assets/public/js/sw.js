// The service worker of the offline queue (served as /sw.js, scope '/'). It keeps only what holds no trader's
// data: the app shell (CSS, scripts) and the EMPTY onboarding forms of the sites this volunteer opened (the form,
// with its bank list, its CSRF token and an idempotency key the page replaces at every opening). Every other page
// is no-store and passes through untouched. The queue itself lives in IndexedDB (offline-queue.js), not here.
'use strict';

const VERSION = 'v1';
const SHELL = 'phoqr-shell-' + VERSION;
// The forms of the logged-in user: cleared at logout and when another user logs in (offline-queue.js).
const FORMS = 'phoqr-forms-' + VERSION;
// What the kept forms load (views/partials/head.ejs, foot.ejs). The server rewrites each '/static/…' here to
// its content-hashed URL and appends the files' hash to VERSION (src/offline/offline-routes.ts), so a new
// CSS or script makes a new service worker, which keeps the new shell and drops the old one.
// The first is the stylesheet, also used by the offline page below.
const SHELL_URLS = [
  '/static/app.css',
  '/static/js/offline-queue.js',
  '/static/js/onboarding.js',
  '/static/js/logout.js',
  '/static/favicon.svg',
  '/static/favicon.ico',
];
// The empty form of a site, and the site picker (site names only). Nothing else is ever put in FORMS.
const FORM_PATH = /^\/onboard(\/sites\/\d+)?$/;

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(SHELL).then((cache) => cache.addAll(SHELL_URLS)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((n) => n !== SHELL && n !== FORMS).map((n) => caches.delete(n))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('message', (event) => {
  if (event.data === 'clear-forms') event.waitUntil(caches.delete(FORMS));
});

// Background Sync where the browser has it (Chromium): wake the open pages, which send the queue.
self.addEventListener('sync', (event) => {
  if (event.tag !== 'phoqr-queue') return;
  event.waitUntil(
    self.clients.matchAll({ type: 'window' }).then((pages) => pages.forEach((page) => page.postMessage('send-queue'))),
  );
});

/** Network first; a copy kept only of a 200 HTML form that was not a redirect (to the login page, say). */
async function formFirstFromNetwork(request, path) {
  try {
    const response = await fetch(request);
    const type = response.headers.get('content-type') || '';
    if (response.status === 200 && !response.redirected && type.includes('text/html')) {
      const cache = await caches.open(FORMS);
      await cache.put(path, response.clone());
    }
    return response;
  } catch (error) {
    const cached = await caches.match(path, { cacheName: FORMS });
    if (cached) return cached;
    throw error;
  }
}

/** Any other page while offline: a short page saying so, with the way to the forms kept on the phone. */
function offlinePage() {
  const html =
    '<!doctype html><html lang="vi"><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width, initial-scale=1"><title>Mất kết nối · Phố QR</title>' +
    '<link rel="stylesheet" href="' +
    SHELL_URLS[0] +
    '"></head><body><main><h1>Mất kết nối</h1><div class="card">' +
    '<p>Trang này cần mạng. Phiếu thêm sạp vẫn mở được khi không có mạng: sạp được lưu trên máy và tự gửi khi có ' +
    'mạng lại.</p><p><a class="button" href="/onboard">Thêm sạp</a></p></div></main></body></html>';
  return new Response(html, { status: 503, headers: { 'Content-Type': 'text/html; charset=utf-8' } });
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  // Logging out: this user's forms go with the session, before the next person uses the phone.
  if (request.method === 'POST' && url.pathname === '/logout') {
    event.waitUntil(caches.delete(FORMS));
    return;
  }
  if (request.method !== 'GET') return;
  if (url.pathname.startsWith('/static/')) {
    // Network first, so a new version is used at once; the shell copy when offline.
    event.respondWith(
      fetch(request)
        .then((response) => {
          if (response.ok && SHELL_URLS.includes(url.pathname)) {
            const copy = response.clone();
            caches.open(SHELL).then((cache) => cache.put(url.pathname, copy));
          }
          return response;
        })
        .catch(() => caches.match(url.pathname, { cacheName: SHELL }).then((hit) => hit || Response.error())),
    );
    return;
  }
  if (FORM_PATH.test(url.pathname) && (request.mode === 'navigate' || request.headers.get('X-Phoqr-Prefetch'))) {
    // Kept under its path alone: a form opened with ?fix=… is the same empty form, filled in on the phone.
    // /onboard?q=… is a search: its answer is not the picker to keep.
    if (url.pathname === '/onboard' && url.search) {
      event.respondWith(fetch(request).catch(() => caches.match('/onboard', { cacheName: FORMS }).then((hit) => hit || offlinePage())));
      return;
    }
    event.respondWith(formFirstFromNetwork(request, url.pathname).catch(() => offlinePage()));
    return;
  }
  if (request.mode === 'navigate') event.respondWith(fetch(request).catch(() => offlinePage()));
});
