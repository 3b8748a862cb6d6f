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
    // A fresh idempotency key for each opening of a new form: the page may come from the phone's cache (offline),
    // where every opening would otherwise carry the same key. A draft or a form the server sent back keeps its own.
    const keyInput = form.querySelector('input[name="idempotency_key"]');
    if (keyInput && !serverFilled && !saved && window.crypto && crypto.randomUUID) keyInput.value = crypto.randomUUID();
    if (form.hasAttribute('data-onboarding')) offlineSubmit(form, key, save, say);
  }

  // --- Without a connection: the submit is queued on the phone (offline-queue.js) and sent when it returns ---
  function offlineSubmit(form, key, save, say) {
    const queue = window.phoqrQueue;
    if (!queue) return;
    const keyInput = form.querySelector('input[name="idempotency_key"]');
    const newKey = () => { if (keyInput && window.crypto && crypto.randomUUID) keyInput.value = crypto.randomUUID(); };
    const siteName = ((document.querySelector('h1') || {}).textContent || '').split('·').slice(1).join('·').trim();
    // An item the server refused, opened to be fixed: its values and the server's messages, under a new key
    // (a fixed item is a new submit); the old item goes when the fixed one is sent or queued.
    const fixing = new URLSearchParams(location.search).get('fix');
    if (fixing) {
      queue.get(fixing).then((item) => {
        if (!item || !item.fields) return;
        const values = new Map(item.fields);
        for (const el of form.elements) {
          if (!el.name || el.name === '_csrf' || el.name === 'idempotency_key' || el.type === 'file' || el.type === 'submit') continue;
          if (el.type === 'checkbox' || el.type === 'radio') el.checked = values.get(el.name) === el.value;
          else if (values.has(el.name)) el.value = values.get(el.name);
        }
        if (item.photo && window.DataTransfer) {
          const input = form.querySelector('input[type="file"][name="qr_photo"]');
          try {
            const files = new DataTransfer();
            files.items.add(new File([item.photo], item.photoName || 'qr.jpg', { type: item.photo.type }));
            if (input) input.files = files.files;
          } catch { /* the photo can be chosen again */ }
        }
        newKey();
        showErrors(form, item);
        save();
        form.dataset.fixing = fixing;
      });
    }
    // Kept on the phone: the form's fields and photo, under its key, sent by offline-queue.js when it can.
    const keep = async (fixKey, why, now) => {
      const fields = [];
      let photo = null;
      for (const [name, value] of new FormData(form)) {
        if (name === '_csrf') continue;
        if (typeof value === 'string') fields.push([name, value]);
        else if (value.size > 0) photo = value;
      }
      const label = (new Map(fields).get('label') || '').trim();
      try {
        await queue.add({
          key: keyInput.value, siteName, label, fields, photo, photoName: photo ? photo.name : '',
          action: form.getAttribute('action'), capturedAt: now, queuedAt: now,
        });
        if (fixKey) await queue.remove(fixKey);
      } catch {
        say('Không lưu được sạp trên máy này. Bản nháp vẫn còn: hãy gửi lại khi có mạng.');
        return;
      }
      delete form.dataset.fixing;
      localStorage.removeItem(key);
      form.reset();
      newKey();
      for (const el of form.querySelectorAll('[data-qr-read]')) el.textContent = '';
      say(why + ': đã giữ “' + (label || 'sạp') + '” trên máy, sạp sẽ tự gửi khi có mạng lại. Nhập sạp tiếp theo.');
      window.scrollTo(0, 0);
    };
    // How long a send may take before the line counts as dead: a photo on a slow 3G upload takes 20–30 s.
    const SEND_TIMEOUT_MS = 45000;
    let sending = false;
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      if (sending) return;
      const fixKey = form.dataset.fixing;
      // When the volunteer tapped: a submit kept on the phone counts from then. Sent now, the server's clock
      // dates it (the phone's may be wrong); the times are not part of what the submit says (its fingerprint).
      const now = new Date().toISOString();
      if (!navigator.onLine) return keep(fixKey, 'Không có mạng', now);
      // Online, as far as the phone knows: sent here, so that a line with signal bars but no data (common in
      // markets) keeps the stall on the phone instead of ending on the browser's "no internet" page. The key
      // makes a resend of a submit that did reach the server land on its first result.
      sending = true;
      const button = form.querySelector('[data-submit-once]');
      if (button) button.disabled = true;
      say('Đang gửi…');
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), SEND_TIMEOUT_MS);
      let response;
      try {
        response = await fetch(form.action, { method: 'POST', body: new FormData(form), headers: { Accept: 'application/json' }, signal: controller.signal });
      } catch {
        response = null;
      }
      clearTimeout(timer);
      sending = false;
      if (button) button.disabled = false;
      if (!response) return keep(fixKey, 'Mạng không gửi được', now);
      if (response.ok) {
        if (fixKey) await queue.remove(fixKey).catch(() => {});
        localStorage.removeItem(key);
        const result = await response.json().catch(() => null);
        return result && result.resultUrl ? location.assign(result.resultUrl) : location.reload();
      }
      // Refused (a field to fix, a duplicate to confirm, a used key, an expired session): the server draws
      // its page for the same submit, as it does without this script. The submit changes nothing the first
      // time it is refused, so sending it again is safe.
      HTMLFormElement.prototype.submit.call(form);
    });
  }

  /** The server's answer to a queued item, on its form: the message, each field's error, the duplicate's "Vẫn lưu". */
  function showErrors(form, item) {
    const message = document.createElement('p');
    message.className = 'form-message';
    message.setAttribute('role', 'alert');
    message.textContent = item.message || 'Vui lòng sửa các ô được đánh dấu.';
    form.before(message);
    const errors = item.errors || {};
    const confirmations = {
      confirm_duplicate_label: ['label', 'Vẫn lưu: đây là một sạp khác trùng số'],
      confirm_duplicate_phone: ['phone', 'Vẫn lưu: số điện thoại này đúng của sạp này'],
    };
    for (const [name, text] of Object.entries(errors)) {
      if (confirmations[name]) {
        const [field, words] = confirmations[name];
        const box = document.createElement('label');
        box.className = 'check';
        const tick = document.createElement('input');
        Object.assign(tick, { type: 'checkbox', name, value: 'yes' });
        const span = document.createElement('span');
        span.textContent = words;
        box.append(tick, ' ', span);
        const anchor = form.querySelector('[name="' + field + '"]');
        if (anchor) anchor.closest('.field').after(box);
        continue;
      }
      const input = form.querySelector('[name="' + name + '"]');
      const wrapper = input && input.closest('.field');
      if (!wrapper) continue;
      wrapper.classList.add('has-error');
      input.setAttribute('aria-invalid', 'true');
      const note = document.createElement('p');
      note.className = 'field-error';
      note.setAttribute('role', 'alert');
      note.textContent = text;
      wrapper.append(note);
    }
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
    button.form.addEventListener('submit', (event) => {
      // Queued on the phone (offline) or sent after removing a fixed item: not a submit on its way yet.
      if (event.defaultPrevented) return;
      setTimeout(() => { button.disabled = true; }, 0);
      // Re-enable after a while: on a dead connection the volunteer must be able to try again.
      setTimeout(() => { button.disabled = false; }, 15000);
    });
  }

  for (const button of document.querySelectorAll('[data-print]')) button.addEventListener('click', () => window.print());
})();
