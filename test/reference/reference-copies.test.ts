import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bankDirectoryFile } from '../../src/banks/bank-directory-file.js';
import { projectRoot } from '../../src/paths.js';
import { vectorsFile } from '../vietqr/helpers/vectors.js';

/**
 * The project carries copies of the shared reference data, so that its tests and the app need nothing
 * outside the checkout. Where ../shared sits beside the checkout (on the team's machines and in CI), each
 * copy must still equal its original; elsewhere there is nothing to compare with, and the test says so.
 */
const sharedReference = path.join(projectRoot, '..', 'shared', 'reference');
const sharedIsHere = existsSync(sharedReference);

const COPIES = [
  { copy: vectorsFile, original: 'vietqr-vectors.json' },
  { copy: bankDirectoryFile, original: 'banks.json' },
] as const;

const readJson = (file: string): unknown => JSON.parse(readFileSync(file, 'utf8'));

describe('copies of the shared reference data', () => {
  for (const { copy, original } of COPIES) {
    const copyName = path.relative(projectRoot, copy);
    const name = sharedIsHere
      ? `when ../shared is beside the project, then ${copyName} equals ../shared/reference/${original}`
      : `skipped because ../shared/reference is not beside the project: ${copyName} is not compared with it`;
    it.skipIf(!sharedIsHere)(name, () => {
      expect(readJson(copy)).toEqual(readJson(path.join(sharedReference, original)));
    });
  }
});
