import { Router } from 'express';
import { rateLimit, type Store } from 'express-rate-limit';
import { photoOf } from '../http/multipart.js';
import type { PhotoReader } from '../qr-photo/photo-reader.js';
import type { BankDirectory } from '../vietqr/banks.js';
import { decode } from '../vietqr/decode.js';
import { cleanPastedCode } from '../vietqr/pasted.js';
import { EXTRACTED_FROM_LINK_NOTE } from '../vietqr/recognise.js';
import { decodeFailureWords } from '../vietqr/verdict-words.js';

/**
 * Helpers for the onboarding page's script: read a pasted code or a photo as soon as it is given, so the
 * volunteer sees the bank and account (or what is wrong) before submitting. The form works without them.
 */
export function vietqrApiRoutes(
  banks: BankDirectory,
  readPhoto: PhotoReader,
  rateLimitStore: (prefix: string) => Store,
): Router {
  const router = Router();
  // A photo costs a child process for seconds: a volunteer reads a few a minute, a script is stopped here.
  const photoLimit = rateLimit({
    windowMs: 10 * 60_000,
    limit: 60,
    store: rateLimitStore('photo-decode'),
    keyGenerator: (req) => `user:${req.user?.id ?? 0}`,
    skip: (req) => !req.file,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (_req, res) => {
      res.status(429).json({
        valid: false,
        verdict: 'invalid',
        problems: [
          {
            code: 'TOO_MANY_PHOTOS',
            message: 'Bạn đã gửi quá nhiều ảnh trong 10 phút. Hãy nhập hoặc dán mã, hoặc thử lại sau.',
          },
        ],
        fields: {},
      });
    },
  });

  function describe(payload: string) {
    const result = decode(cleanPastedCode(payload), { directory: banks });
    const bank = result.fields.bank ?? null;
    return {
      valid: result.valid,
      verdict: result.verdict,
      // The sentence the form would show for this code (the script shows it as is), or the link note.
      message: result.valid ? (result.extractedFrom ? EXTRACTED_FROM_LINK_NOTE : null) : decodeFailureWords(result),
      ...(result.extractedFrom && { extractedFrom: result.extractedFrom, extractedPayload: result.payload }),
      problems: result.problems.map((p) => ({
        code: p.code,
        message: p.message,
        ...(p.lookslike && { lookslike: p.lookslike }),
      })),
      fields: {
        bin: result.fields.bin ?? null,
        bank: bank && { bin: bank.bin, shortName: bank.shortName, name: bank.name },
        account: result.fields.account ?? null,
        service: result.fields.service ?? null,
        initiation: result.fields.initiation ?? null,
        amount: result.fields.amount ?? null,
        tipOrFee: result.fields.tipOrFee ?? null,
      },
    };
  }

  router.post('/decode', photoLimit, async (req, res) => {
    const photo = photoOf(req);
    if (photo) {
      const read = await readPhoto(photo.buffer);
      if (!read.ok) {
        res.status(422).json({
          valid: false,
          verdict: 'invalid',
          problems: [{ code: read.reason, message: read.message }],
          fields: {},
        });
        return;
      }
      res.json({ payload: read.payload, ...describe(read.payload) });
      return;
    }
    const text = typeof req.body?.text === 'string' ? req.body.text : '';
    res.json({ payload: text, ...describe(text) });
  });

  return router;
}
