// The name check on one phone: the volunteer's bank app is on the same phone that shows the trader's QR, so
// it cannot scan it. Copy the account number to paste in the app, save the QR as a PNG to pick from the
// gallery, or share it straight to the bank app where the phone can. Without this script the page still works
// with a second phone.
(function () {
  'use strict';

  const actions = document.querySelector('[data-one-phone]');
  const box = document.querySelector('[data-qr-file]');
  const svg = box && box.querySelector('svg');
  if (!actions || !svg) return;
  const status = document.querySelector('[data-one-phone-status]');
  const say = (text) => { if (status) status.textContent = text; };
  const fileName = box.dataset.qrFile;

  // --- The account number to the clipboard (the bank app's "số tài khoản" field takes a paste) ---
  const copy = actions.querySelector('[data-copy-account]');
  copy.addEventListener('click', async () => {
    const number = copy.dataset.copyAccount;
    try {
      await navigator.clipboard.writeText(number);
    } catch {
      // No clipboard API (an http page, an old browser): copy through a selected field instead.
      const field = document.createElement('input');
      field.value = number;
      document.body.append(field);
      field.select();
      const copied = document.execCommand('copy');
      field.remove();
      if (!copied) return say('Không sao chép được; hãy chép tay số ' + number + '.');
    }
    say('Đã sao chép số tài khoản ' + number + '. Mở ứng dụng ngân hàng và dán vào ô số tài khoản.');
  });

  // --- The QR as a PNG: drawn from the page's own SVG, white margin kept so bank apps can read it ---
  const png = () => new Promise((resolve, reject) => {
    const size = 720;
    // A copy with a pixel size: an SVG sized only by its viewBox has no intrinsic size to draw from.
    const sized = svg.cloneNode(true);
    sized.setAttribute('width', String(size));
    sized.setAttribute('height', String(size));
    if (!sized.getAttribute('xmlns')) sized.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
    const source = new XMLSerializer().serializeToString(sized);
    const image = new Image();
    image.onload = () => {
      const canvas = document.createElement('canvas');
      canvas.width = size;
      canvas.height = size;
      const context = canvas.getContext('2d');
      context.fillStyle = '#fff';
      context.fillRect(0, 0, size, size);
      context.imageSmoothingEnabled = false;
      context.drawImage(image, 0, 0, size, size);
      canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('no image'))), 'image/png');
    };
    image.onerror = () => reject(new Error('no image'));
    image.src = 'data:image/svg+xml;charset=utf-8,' + encodeURIComponent(source);
  });

  actions.querySelector('[data-save-qr]').addEventListener('click', async () => {
    try {
      const url = URL.createObjectURL(await png());
      const link = document.createElement('a');
      link.href = url;
      link.download = fileName;
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10000);
      say('Đã lưu ảnh ' + fileName + '. Trong ứng dụng ngân hàng, chọn quét mã QR rồi chọn ảnh này.');
    } catch {
      say('Không lưu được ảnh; hãy sao chép số tài khoản.');
    }
  });

  // --- Web Share with the image, where the phone can share files (most Android and iOS browsers) ---
  const share = actions.querySelector('[data-share-qr]');
  const probe = typeof File === 'function' ? new File([''], fileName, { type: 'image/png' }) : null;
  if (probe && navigator.canShare && navigator.canShare({ files: [probe] })) {
    share.hidden = false;
    share.addEventListener('click', async () => {
      try {
        const file = new File([await png()], fileName, { type: 'image/png' });
        await navigator.share({ files: [file], title: 'Mã QR nhận tiền' });
      } catch (error) {
        if (!error || error.name !== 'AbortError') say('Không chia sẻ được; hãy lưu ảnh mã QR.');
      }
    });
  }
  actions.hidden = false;
})();
