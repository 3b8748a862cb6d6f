import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runQrCommand } from '../../src/cli/qr-command.js';
import type { CliIo } from '../../src/cli/cli-io.js';
import { projectRoot } from '../../src/paths.js';
import { cleanPastedCode, decode, decodeFailureWords } from '../../src/vietqr/index.js';
import type { LooksLike, ProblemCode, Verdict } from '../../src/vietqr/index.js';

/**
 * Payloads gathered from public code and documentation (test/fixtures/gathered-vectors.json, committed;
 * nothing is downloaded here). Each names its source (repository, path and commit, or the search-index
 * file it came from) and says what was changed: account numbers and names that could be a person's were
 * replaced by same-length synthetic ones, the CRC recomputed where the original's was right and left
 * wrong where it was already wrong, so every vector keeps the state it was published in.
 */
interface Gathered {
  id: string;
  payload: string;
  source: string;
  note: string;
  expect: {
    verdict: Verdict;
    problems?: ProblemCode[];
    bin?: string;
    account?: string;
    service?: 'account' | 'card';
    amount?: string;
    purpose?: string;
    extractedFrom?: 'url';
    lookslike?: LooksLike;
  };
}

const file = path.join(projectRoot, 'test', 'fixtures', 'gathered-vectors.json');
const vectors = JSON.parse(readFileSync(file, 'utf8')) as Gathered[];

/** Accounts in gathered codes are synthetic (counting runs, repeats, the spec's) or a provider's virtual account. */
const SYNTHETIC_ACCOUNT = /0123456|1234567|2345678|3456789|(\d)\1{5,}|^PSP1234/;
const VIRTUAL_ACCOUNTS = new Set(['V3CAS8860383073', 'VQRQADAIJ5512']);

/** The replacement's shape: letters kept, digits counting 1, 2, 3… (so "99ZP24009M…" became "12ZP34567M…"). */
function isReplacement(account: string): boolean {
  const digits = account.replace(/\D/g, '');
  return digits.length > 0 && digits === '1234567890'.repeat(2).slice(0, digits.length);
}

describe('gathered vectors', () => {
  it('when counted, then there are at least 150 of every verdict mix, each with its source and a note', () => {
    expect(vectors.length).toBeGreaterThanOrEqual(150);
    const verdicts = new Set(vectors.map((v) => v.expect.verdict));
    expect([...verdicts].sort()).toEqual(['invalid', 'not_vietqr', 'vietqr']);
    for (const vector of vectors) {
      expect(vector.source.length, vector.id).toBeGreaterThan(10);
      expect(vector.note.length, vector.id).toBeGreaterThan(3);
    }
    expect(new Set(vectors.map((v) => v.payload)).size).toBe(vectors.length);
  });

  describe.each(vectors.map((v) => [v.id, v] as const))('%s', (_id, vector) => {
    it('when decoded, then it gives the recorded verdict, problems and fields', () => {
      const result = decode(vector.payload);
      const { expect: want } = vector;
      expect(result.verdict).toBe(want.verdict);
      expect(result.valid).toBe(want.verdict === 'vietqr');
      if (want.verdict === 'vietqr') expect(result.problems).toEqual([]);
      else expect([...new Set(result.problems.map((p) => p.code))]).toEqual(want.problems);
      for (const key of ['bin', 'account', 'service', 'amount', 'purpose'] as const) {
        expect(result.fields[key] ?? undefined, key).toBe(want[key]);
      }
      expect(result.extractedFrom).toBe(want.extractedFrom);
      expect(result.problems.find((p) => p.lookslike)?.lookslike).toBe(want.lookslike);
      for (const problem of result.problems) expect(problem.message.normalize('NFC')).toBe(problem.message);
      if (want.verdict === 'not_vietqr') expect(decodeFailureWords(result)).toMatch(/^(Đã lấy mã VietQR.* )?Đây /);
    });
  });

  it('when a source says its CRC was wrong, then the vector is still invalid for it', () => {
    for (const vector of vectors.filter((v) => v.note.includes('CRC wrong in the source'))) {
      expect(vector.expect.problems, vector.id).toContain('CRC_MISMATCH');
    }
  });

  it('when a gathered VietQR names an account, then it is a synthetic one', () => {
    for (const vector of vectors) {
      const account = vector.expect.account;
      if (account === undefined || VIRTUAL_ACCOUNTS.has(account)) continue;
      expect(SYNTHETIC_ACCOUNT.test(account) || isReplacement(account), `${vector.id} ${account}`).toBe(true);
    }
  });
});

describe('gathered vectors through the CLI', () => {
  async function run(payload: string): Promise<{ code: number; report: { verdict: Verdict; payload: string } }> {
    let stdout = '';
    const io: CliIo = { stdout: (text) => (stdout += text), stderr: () => undefined, env: {} };
    const code = await runQrCommand(['decode', payload], io);
    return { code, report: JSON.parse(stdout) as { verdict: Verdict; payload: string } };
  }

  // Every seventh vector, with the edge noise a copy from a chat adds: the CLI must read it as the web does.
  const sample = vectors.filter((_v, i) => i % 7 === 0);
  it.each(sample.map((v) => [v.id, v] as const))('%s, pasted with a BOM and a newline', async (_id, vector) => {
    const { code, report } = await run(`\uFEFF${vector.payload}\r\n`);
    expect(report.verdict).toBe(vector.expect.verdict);
    expect(report.payload).toBe(cleanPastedCode(vector.payload));
    expect(code).toBe(vector.expect.verdict === 'vietqr' ? 0 : 1);
  });
});
