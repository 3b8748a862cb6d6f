import { readFileSync } from 'node:fs';
import path from 'node:path';
import { assetsDir } from '../paths.js';
import { createBankDirectory, parseBankEntries } from '../vietqr/banks.js';
import type { BankDirectory } from '../vietqr/banks.js';

/**
 * Loads the bank directory from assets/banks.json once per process. The VietQR codec may not touch the
 * file system, so the reading lives here and the codec gets the parsed directory passed in.
 */

export const bankDirectoryFile = path.join(assetsDir, 'banks.json');

let cached: BankDirectory | undefined;

/** The directory from assets/banks.json, read and checked on the first call, then reused. */
export function loadBankDirectory(): BankDirectory {
  cached ??= createBankDirectory(parseBankEntries(JSON.parse(readFileSync(bankDirectoryFile, 'utf8')) as unknown));
  return cached;
}
