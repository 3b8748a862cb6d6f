// Onboarding at the counter: keeps a draft on the phone, folds holder names as they are typed, filters the
// bank list, reads a pasted or photographed QR right away, and stops double taps. Every form still works
// without this script; it only saves time and lost work on a patchy connection.
(function () {
  'use strict';

  const fold = (text) => text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'D');
  const csrf = () => (document.querySelector('input[name="_csrf"]') || {}).value || '';

  // --- Draft kept in localStorage, per user and site, until the submit has landed or the user logs out ---
  // Keyed by the logged-in user (phoqr-draft:user-ID:NAME, the same key logout.js removes): on a phone that
  // several volunteers share, one never gets another's draft. No user known, no draft kept.
  const owner = document.body.dataset.draftOwner;
  const draftKey = (name) => 'phoqr-draft:user-' + owner + ':' + name;
  if (owner) {
    for (const marker of document.querySelectorAll('[data-clear-draft]')) {
      localStorage.removeItem(draftKey(marker.dataset.clearDraft));
    }
  }
  for (const form of owner ? document.querySelectorAll('form[data-draft]') : []) {
    const key = draftKey(form.dataset.draft);
    // What logout.js names when it asks before removing an unsaved draft: the page's heading and the stall's number.
    const heading = (document.querySelector('h1') || {}).textContent || '';
    const status = document.querySelector('[data-draft-status]');
    const fields = () => [...form.elements].filter((el) => el.name && el.name !== '_csrf' && el.type !== 'file' && el.type !== 'submit');
    const say = (text) => { if (status) status.textContent = text; };
    const time = (date) => date.toLocaleTimeString('vi-VN', { hour: '2-digit', minute: '2-digit' });
    // A form the server re-rendered (after a failed submit) already holds the typed values: it wins.
    const serverFilled = form.querySelector('[aria-invalid="true"]') !== null || document.querySelector('.form-message') !== null;
    const saved = JSON.parse(localStorage.getItem(key) || 'null');
    if (saved && !serverFilled) {
      for (const el of fields()) {
        if (!(el.name in saved.values)) continue;
        if (el.type === 'checkbox' || el.type === 'radio') el.checked = saved.values[el.name] === el.value;
        else el.value = saved.values[el.name];
      }
      say('Đã khôi phục bản nháp lưu trên máy lúc ' + time(new Date(saved.at)) + '.');
    } else {
      say('Bản nháp được lưu trên máy này khi bạn nhập: mất sóng hay tải lại trang không mất dữ liệu.');
    }
    const save = () => {
      const values = {};
      for (const el of fields()) {
        if (el.type === 'checkbox' || el.type === 'radio') { if (el.checked) values[el.name] = el.value; }
        else values[el.name] = el.value;
      }
      const at = new Date();
      // Filled: something typed or ticked (not only the hidden idempotency key); only then is it worth asking at logout.
      const filled = fields().some((el) => el.type !== 'hidden' && (el.type === 'checkbox' || el.type === 'radio' ? el.checked : el.value.trim() !== ''));
      const summary = [heading.trim(), (values.label || '').trim()].filter(Boolean).join(' — ');
      localStorage.setItem(key, JSON.stringify({ at: at.toISOString(), values, filled, summary }));
      say('Đã lưu nháp trên máy lúc ' + time(at) + '.');
    };
    form.addEventListener('input', save);
    form.addEventListener('change', save);
    if (serverFilled) save();
  }

  // --- Holder names: folded to UPPER CASE without diacritics while typing (after an IME finishes a word) ---
  for (const input of document.querySelectorAll('[data-holder-name]')) {
    const apply = () => {
      const folded = fold(input.value).toUpperCase();
      if (folded === input.value) return;
      const caret = input.selectionStart;
      input.value = folded;
      if (caret !== null) input.setSelectionRange(caret, caret);
    };
    input.addEventListener('input', (event) => { if (!event.isComposing) apply(); });
    input.addEventListener('compositionend', apply);
    input.addEventListener('blur', apply);
  }

  // --- Bank list: a filter box above the select, accents optional ---
  for (const filter of document.querySelectorAll('.bank-filter')) {
    const select = filter.parentElement.querySelector('select');
    filter.hidden = false;
    const options = [...select.options].filter((o) => o.value);
    for (const option of options) option.dataset.folded = fold(option.dataset.search || option.text).toLowerCase();
    const none = filter.parentElement.querySelector('.bank-none');
    filter.addEventListener('input', () => {
      const words = fold(filter.value).toLowerCase().split(/\s+/).filter(Boolean);
      let first = null;
      for (const option of options) {
        const match = words.every((w) => option.dataset.folded.includes(w));
        option.hidden = !match;
        if (match && !first) first = option;
      }
      // Nothing matches: say so and select nothing, rather than leave the bank chosen before (a wrong payee).
      if (words.length) select.value = first ? first.value : '';
      if (none) {
        none.hidden = Boolean(first) || !words.length;
        none.textContent = first ? '' : 'Không tìm thấy ngân hàng “' + filter.value.trim() + '”. Thử tên khác, mã (ví dụ VCB) hoặc chọn trong danh sách.';
      }
      select.dispatchEvent(new Event('change', { bubbles: true }));
    });
  }

  // --- Read a pasted or photographed QR at once and fill in bank and account ---
  for (const form of document.querySelectorAll('form[data-onboarding]')) {
    const out = form.querySelector('[data-qr-read]');
    const text = form.querySelector('[name="qr_text"]');
    const photo = form.querySelector('[name="qr_photo"]');
    if (!out) continue;
    const show = (result) => {
      if (result.valid) {
        const bank = result.fields.bank;
        out.className = 'qr-read ok';
        out.textContent = (result.message ? result.message + ' ' : '') + 'Đọc được: ' + (bank ? bank.shortName + ' — ' + bank.name : 'BIN ' + result.fields.bin) + ' · ' + result.fields.account;
        const bin = form.querySelector('[name="bank_bin"]');
        const account = form.querySelector('[name="account_number"]');
        if (bin && [...bin.options].some((o) => o.value === result.fields.bin)) bin.value = result.fields.bin;
        if (account) account.value = result.fields.account;
        const card = form.querySelector('[name="is_card"]');
        if (card) card.checked = result.fields.service === 'card';
      } else {
        out.className = 'qr-read bad';
        out.textContent = result.message || ((result.verdict === 'not_vietqr' ? 'Không phải mã chuyển khoản VietQR: ' : 'Mã không hợp lệ: ') + result.problems.map((p) => p.message).join(' '));
      }
    };
    const send = async (body, headers) => {
      out.className = 'qr-read';
      out.textContent = 'Đang đọc mã…';
      try {
        const response = await fetch('/api/v1/vietqr/decode', { method: 'POST', body, headers: { Accept: 'application/json', ...headers } });
        show(await response.json());
      } catch {
        out.textContent = 'Chưa đọc được mã (mất kết nối?). Mã sẽ được đọc khi bạn lưu.';
      }
    };
    if (text) text.addEventListener('change', () => {
      if (text.value.trim()) send(JSON.stringify({ text: text.value }), { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf() });
    });
    if (photo) photo.addEventListener('change', () => {
      if (!photo.files.length) return;
      const data = new FormData();
      data.append('_csrf', csrf());
      data.append('qr_photo', photo.files[0]);
      send(data, {});
    });
  }

  // --- One submit per tap: a second tap while the first is on its way does nothing ---
  for (const button of document.querySelectorAll('[data-submit-once]')) {
    button.form.addEventListener('submit', () => {
      setTimeout(() => { button.disabled = true; }, 0);
      // Re-enable after a while: on a dead connection the volunteer must be able to try again.
      setTimeout(() => { button.disabled = false; }, 15000);
    });
  }

  for (const button of document.querySelectorAll('[data-print]')) button.addEventListener('click', () => window.print());
})();
