import { readFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../../src/paths.js';

/** One entry of shared/reference/vietqr-vectors.json (see VIETQR.md §8). */
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

/** CI has shared/ beside the checkout, so the file is read where it lives rather than copied. */
export const vectorsFile = path.join(projectRoot, '..', 'shared', 'reference', 'vietqr-vectors.json');

export function loadVectors(): Vector[] {
  return JSON.parse(readFileSync(vectorsFile, 'utf8')) as Vector[];
}
