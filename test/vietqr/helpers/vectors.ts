import { readFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../../src/paths.js';

/** One entry of the VietQR test vectors (shared/reference/vietqr-vectors.json; see VIETQR.md §8 there). */
export interface Vector {
  id: string;
  origin: 'public' | 'constructed' | 'peer-output';
  payload: string;
  source: string;
  expect: {
    valid: boolean;
    crcValid: boolean;
    initiation: string | null;
    bin: string | null;
    account: string | null;
    service: string | null;
    amount: string | null;
    purpose: string | null;
    additional?: Record<string, string>;
    lenientAccept?: boolean;
    notes?: string;
    findings: string[];
  };
}

/**
 * The project's copy of ../shared/reference/vietqr-vectors.json, so the tests run in a checkout without
 * ../shared; test/reference/reference-copies.test.ts checks the copy against the original where it is there.
 */
export const vectorsFile = path.join(projectRoot, 'test', 'fixtures', 'reference', 'vietqr-vectors.json');

export function loadVectors(): Vector[] {
  return JSON.parse(readFileSync(vectorsFile, 'utf8')) as Vector[];
}
