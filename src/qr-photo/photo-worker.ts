/**
 * The child process that reads the QR codes of one photo (see photo-reader.ts, which starts it): the photo's
 * bytes come as the first message, the answer goes back as one message, then the process ends.
 */
import { decodeImage } from '../qr-image/decode-image.js';

process.once('message', (bytes: Uint8Array) => {
  process.send!(decodeImage(bytes), () => process.exit(0));
});
