// Logout on a phone that several volunteers share: asks first if this user still has an unsaved onboarding
// draft, then removes this user's drafts (and unkeyed ones from before drafts were kept per user) so the next
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
      if (unsaved.length && !window.confirm(question(unsaved))) {
        event.preventDefault();
        return;
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
