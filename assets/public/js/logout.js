// Logout on a phone that several volunteers share: asks first if this user still has an unsaved onboarding
// draft or stalls queued offline (those stay, for this user only), then removes this user's drafts (and unkeyed ones from before drafts were kept per user) so the next
// person never sees them. Without this script logout still works; the server's Clear-Site-Data then helps
// where the browser honours it (HTTPS only).
(function () {
  'use strict';

  const PREFIX = 'phoqr-draft:';
  const owner = document.body.dataset.draftOwner;
  // The same key as onboarding.js: phoqr-draft:user-ID:NAME.
  const own = owner ? PREFIX + 'user-' + owner + ':' : null;
  const isUnkeyed = (key) => key.startsWith(PREFIX) && !/^user-[^:]+:/.test(key.slice(PREFIX.length));
  const draftKeys = () => {
    const keys = [];
    for (let i = 0; i < localStorage.length; i++) {
      const key = localStorage.key(i);
      if (key !== null && key.startsWith(PREFIX)) keys.push(key);
    }
    return keys;
  };
  const read = (key) => {
    try {
      return JSON.parse(localStorage.getItem(key) || 'null');
    } catch {
      return null;
    }
  };
  const time = (iso) => new Date(iso).toLocaleTimeString('vi-VN', { hour: '2-digit', minute: '2-digit' });
  const describe = (draft) => (draft.summary || 'phiếu thêm sạp') + (draft.at ? ' (nháp lúc ' + time(draft.at) + ')' : '');

  const question = (unsaved) =>
    unsaved.length === 1
      ? 'Bạn còn một phiếu chưa lưu: ' + describe(unsaved[0]) + '. Đăng xuất sẽ xóa phiếu này trên máy. Vẫn đăng xuất?'
      : 'Bạn còn ' + unsaved.length + ' phiếu chưa lưu: ' + unsaved.map(describe).join('; ') +
        '. Đăng xuất sẽ xóa các phiếu này trên máy. Vẫn đăng xuất?';

  for (const form of document.querySelectorAll('form[action="/logout"]')) {
    form.addEventListener('submit', (event) => {
      let keys;
      try {
        keys = draftKeys();
      } catch {
        return; // Storage blocked: nothing of ours is kept there, log out as usual.
      }
      const mine = own ? keys.filter((key) => key.startsWith(own)) : [];
      const unsaved = mine.map(read).filter((draft) => draft && draft.filled);
      // Stalls queued offline and not sent yet (offline-queue.js keeps the count on the body): they are not
      // removed, they wait on the phone, seen by no one else, until this user logs in again.
      const queued = Number(document.body.dataset.queueUnsent || 0);
      const questions = [];
      if (queued) {
        questions.push(
          'Bạn còn ' + queued + ' sạp chờ gửi (' + (document.body.dataset.queueSummary || '') + '). ' +
            'Các sạp này được giữ trên máy, không ai khác thấy, và chỉ được gửi khi bạn đăng nhập lại.',
        );
      }
      if (unsaved.length) questions.push(question(unsaved));
      else if (queued) questions.push('Vẫn đăng xuất?');
      if (questions.length && !window.confirm(questions.join(' '))) {
        event.preventDefault();
        return;
      }
      // This user's empty forms kept for offline use (their token, their name) go too; the service worker does
      // the same when it sees the logout.
      if (window.caches) window.caches.delete('phoqr-forms-v1').catch(() => {});
      // Clear-Site-Data would wipe the queue with the rest of the site's storage: ask the server to leave it out.
      // Anyone's: another volunteer's items waiting on this phone must survive this user's logout as well.
      if (document.body.dataset.queueKeep && !form.querySelector('[name="keep_offline_queue"]')) {
        const keep = document.createElement('input');
        Object.assign(keep, { type: 'hidden', name: 'keep_offline_queue', value: '1' });
        form.append(keep);
      }
      for (const key of keys) if (mine.includes(key) || isUnkeyed(key)) localStorage.removeItem(key);
    });
  }

  // Back after logout: a page restored from the back-forward cache is shown without asking the server; load it
  // again so the server decides (after logout: the login page). Pages for a logged-in user are no-store, which
  // keeps most browsers from keeping them there at all; this covers the ones that still do.
  window.addEventListener('pageshow', (event) => {
    if (event.persisted) window.location.reload();
  });
})();
