import { Router } from 'express';
import { photoOf } from '../http/multipart.js';
import type { PhotoReader } from '../qr-photo/photo-reader.js';
import type { BankDirectory } from '../vietqr/banks.js';
import { decode } from '../vietqr/decode.js';

/**
 * Helpers for the onboarding page's script: read a pasted code or a photo as soon as it is given, so the
 * volunteer sees the bank and account (or what is wrong) before submitting. The form works without them.
 */
export function vietqrApiRoutes(banks: BankDirectory, readPhoto: PhotoReader): Router {
  const router = Router();

  function describe(payload: string) {
    const result = decode(payload.trim(), { directory: banks });
    const bank = result.fields.bank ?? null;
    return {
      valid: result.valid,
      verdict: result.verdict,
      problems: result.problems.map((p) => ({ code: p.code, message: p.message })),
      fields: {
        bin: result.fields.bin ?? null,
        bank: bank && { bin: bank.bin, shortName: bank.shortName, name: bank.name },
        account: result.fields.account ?? null,
        service: result.fields.service ?? null,
        initiation: result.fields.initiation ?? null,
        amount: result.fields.amount ?? null,
      },
    };
  }

  router.post('/decode', async (req, res) => {
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
