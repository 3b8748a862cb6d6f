// The phone's queue of onboarding submits made without a connection, on every page of a logged-in user.
// Each item is kept in IndexedDB with its idempotency key, its capture time and the user it belongs to; it is
// sent by itself when the connection returns and at each page load, with the session's CSRF token of that
// moment, and only while its own user is logged in. The server's idempotency key makes a resend (a tab closed
// mid-send, two tabs) land on the first result: a stall is saved once. A plain ~40-line IndexedDB wrapper
// instead of a library: the queue needs get/put/delete/list and nothing else.
(function () {
  'use strict';

  const owner = document.body.dataset.draftOwner;
  if (!owner || !window.indexedDB) return;

  // --- IndexedDB: one store of items keyed by their idempotency key ---
  let opened = null;
  const db = () => {
    opened = opened || new Promise((resolve, reject) => {
      const request = indexedDB.open('phoqr-offline', 1);
      request.onupgradeneeded = () => request.result.createObjectStore('queue', { keyPath: 'key' });
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    return opened;
  };
  const run = (mode, work) =>
    db().then((database) => new Promise((resolve, reject) => {
      const tx = database.transaction('queue', mode);
      const request = work(tx.objectStore('queue'));
      tx.oncomplete = () => resolve(request && request.result);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    }));
  // Only this user's items, ever: another user's are neither shown, nor sent, nor counted.
  const mine = () => run('readonly', (store) => store.getAll()).then((items) => items.filter((item) => item.owner === owner));
  const put = (item) => run('readwrite', (store) => store.put(item));
  const remove = (key) => run('readwrite', (store) => store.delete(key));
  const get = (key) => run('readonly', (store) => store.get(key)).then((item) => (item && item.owner === owner ? item : undefined));

  const UNSENT = ['queued', 'duplicate', 'error'];
  const time = (iso) => new Date(iso).toLocaleString('vi-VN', { hour: '2-digit', minute: '2-digit', day: '2-digit', month: '2-digit' });

  // --- The service worker: the app shell and the empty forms, for opening the form offline ---
  if ('serviceWorker' in navigator) {
    navigator.serviceWorker.register('/sw.js').catch(() => {});
    navigator.serviceWorker.addEventListener('message', (event) => { if (event.data === 'send-queue') sendAll(); });
  }
  // Another user logged in on this phone: the forms kept for the one before (their token, their name) go.
  try {
    if (localStorage.getItem('phoqr-offline-owner') !== owner) {
      if (window.caches) caches.delete('phoqr-forms-v1');
      localStorage.setItem('phoqr-offline-owner', owner);
    }
  } catch { /* storage blocked: nothing kept */ }
  // The site picker online: keep the forms of the volunteer's recent sites, to open them at the market.
  if (navigator.onLine && location.pathname === '/onboard' && !location.search && 'serviceWorker' in navigator) {
    // Through the worker (it keeps them), so once it controls this page: at once, or when it takes it over.
    const controlled = () => navigator.serviceWorker.controller ? Promise.resolve() : new Promise((resolve) =>
      navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true }));
    navigator.serviceWorker.ready.then(controlled).then(() => {
      const links = [...document.querySelectorAll('.site-list a[href^="/onboard/sites/"]')].slice(0, 10);
      for (const link of links) fetch(link.getAttribute('href'), { headers: { 'X-Phoqr-Prefetch': '1' } }).catch(() => {});
    });
  }

  // --- "3 sạp chờ gửi" on every page, with each item's result ---
  const panel = document.createElement('details');
  panel.className = 'card queue-panel';
  panel.dataset.queue = '';
  panel.hidden = true;
  const main = document.querySelector('main');
  if (main) main.prepend(panel);

  const element = (tag, text, attrs) => {
    const el = document.createElement(tag);
    if (text) el.textContent = text;
    for (const [name, value] of Object.entries(attrs || {})) el.setAttribute(name, value);
    return el;
  };
  let waitingForLogin = false;

  async function render() {
    let items;
    let everyone;
    try {
      everyone = await run('readonly', (store) => store.getAll());
      items = everyone.filter((item) => item.owner === owner);
    } catch { return; }
    // Anyone's unsent items on this phone (only whether there are any): logout then keeps the site's storage.
    document.body.dataset.queueKeep = everyone.some((item) => UNSENT.includes(item.state)) ? '1' : '';
    items.sort((a, b) => a.queuedAt.localeCompare(b.queuedAt));
    const queued = items.filter((item) => item.state === 'queued').length;
    const toFix = items.filter((item) => item.state === 'duplicate' || item.state === 'error').length;
    const saved = items.filter((item) => item.state === 'saved').length;
    // logout.js reads these when asked to log out (its question cannot wait for IndexedDB).
    document.body.dataset.queueUnsent = String(queued + toFix);
    document.body.dataset.queueSummary = items.filter((item) => UNSENT.includes(item.state)).map((item) => item.label || 'sạp').join(', ');
    panel.hidden = items.length === 0;
    if (!items.length) return;
    const open = panel.open;
    panel.replaceChildren();
    const parts = [];
    if (queued) parts.push(queued + ' sạp chờ gửi');
    if (toFix) parts.push(toFix + ' sạp cần sửa');
    if (saved) parts.push(saved + ' sạp đã gửi xong');
    const summary = element('summary', parts.join(' · '), { 'data-queue-count': String(queued) });
    panel.append(summary);
    if (queued && waitingForLogin) panel.append(element('p', 'Phiên đăng nhập đã hết hạn: các sạp được giữ trên máy và gửi sau khi bạn đăng nhập lại.', { class: 'small' }));
    else if (queued && !navigator.onLine) panel.append(element('p', 'Không có mạng: các sạp được giữ trên máy và tự gửi khi có mạng lại.', { class: 'small' }));
    const list = element('ul', '', { class: 'plain stack' });
    for (const item of items) {
      const row = element('li', '', { 'data-queue-item': item.state });
      row.append(element('strong', (item.label || 'Sạp') + (item.siteName ? ' · ' + item.siteName : '')), ' ');
      if (item.state === 'queued') row.append(element('span', 'Chờ gửi (ghi lúc ' + time(item.capturedAt) + ')', { class: 'muted small' }));
      if (item.state === 'saved') {
        row.append(element('span', 'Đã lưu. ', { class: 'badge badge-ok' }), ' ', element('a', 'Mở sạp', { href: item.resultUrl }), ' ');
        const hide = element('button', 'Ẩn', { type: 'button', class: 'link' });
        hide.addEventListener('click', () => remove(item.key).then(render));
        row.append(hide);
      }
      if (item.state === 'duplicate' || item.state === 'error') {
        row.append(element('span', item.state === 'duplicate' ? 'Có thể trùng, cần xem lại' : 'Chưa lưu được', { class: 'badge badge-behind' }));
        row.append(element('p', item.message || '', { class: 'small' }));
        row.append(element('a', 'Mở phiếu để sửa', { class: 'button secondary', href: item.action + '?fix=' + encodeURIComponent(item.key) }));
      }
      list.append(row);
    }
    panel.append(list);
    panel.open = open;
  }

  // --- Sending: at load, when the connection returns, when the service worker's sync fires ---
  let sending = null;
  async function sendQueued() {
    const items = (await mine()).filter((item) => item.state === 'queued').sort((a, b) => a.queuedAt.localeCompare(b.queuedAt));
    if (!items.length) return;
    const session = await fetch('/api/v1/session', { headers: { Accept: 'application/json' }, cache: 'no-store' });
    // Logged out or expired: the items wait for their user to log in again.
    if (!session.ok) { waitingForLogin = session.status === 401; return; }
    waitingForLogin = false;
    const { userId, csrf } = await session.json();
    for (const item of items) {
      if (String(userId) !== item.owner) return;
      const body = new FormData();
      for (const [name, value] of item.fields) body.append(name, value);
      body.append('captured_at', item.capturedAt);
      body.append('queued_at', item.queuedAt);
      body.append('_csrf', csrf);
      if (item.photo) body.append('qr_photo', item.photo, item.photoName || 'qr.jpg');
      const response = await fetch(item.action, { method: 'POST', body, headers: { Accept: 'application/json' } });
      if (response.status === 401) { waitingForLogin = true; return; }
      // The server busy or broken: try again later, in the same order.
      if (response.status >= 500 || response.status === 429) return;
      const answer = await response.json().catch(() => ({}));
      // Saved: only what the list shows is kept, none of the trader's data.
      if (response.ok) {
        await put({ key: item.key, owner: item.owner, label: item.label, siteName: item.siteName, queuedAt: item.queuedAt, capturedAt: item.capturedAt, state: 'saved', resultUrl: answer.resultUrl });
      } else {
        const fields = answer.fields || {};
        const duplicate = Boolean(fields.confirm_duplicate_label || fields.confirm_duplicate_phone);
        await put({ ...item, state: duplicate ? 'duplicate' : 'error', message: answer.error || '', errors: fields });
      }
      await render();
    }
  }
  function sendAll() {
    if (!navigator.onLine || sending) return sending;
    const work = () => sendQueued().catch(() => {});
    // One sender at a time across this phone's tabs; the idempotency key covers a browser without locks.
    sending = (navigator.locks ? navigator.locks.request('phoqr-queue-send', work) : work())
      .finally(() => { sending = null; render(); });
    return sending;
  }

  /** Called by onboarding.js for a submit made without a connection. */
  async function add(item) {
    await put({ ...item, owner, state: 'queued' });
    if (navigator.storage && navigator.storage.persist) navigator.storage.persist().catch(() => {});
    if ('serviceWorker' in navigator && window.SyncManager) {
      navigator.serviceWorker.ready.then((registration) => registration.sync.register('phoqr-queue')).catch(() => {});
    }
    await render();
  }

  window.phoqrQueue = { add, get, remove, render, sendAll };
  window.addEventListener('online', sendAll);
  // A line that looks up but drops the sends ('online' never fires again): try once a minute while items wait.
  setInterval(() => { if (document.body.dataset.queueUnsent !== '0') sendAll(); }, 60000);
  window.addEventListener('offline', render);
  render().then(sendAll);
})();
