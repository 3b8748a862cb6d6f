/**
 * The adoption engine assembled on one database: its two repositories, the snapshot and the shared
 * account numbers (built once, long-lived), and a service over them. For the app's composition root, the
 * CLI, the bench and tests; a caller that wants a fresh service (no cached tallies) on the same snapshot
 * passes the result to createAdoptionService again.
 */
import type { Db } from '../db/database.js';
import { createAdoptionRepo, type AdoptionRepo } from './adoption-repo.js';
import { createAdoptionService, type AdoptionService } from './adoption-service.js';
import { createAdoptionSnapshot, type AdoptionSnapshot, type AdoptionSnapshotOptions } from './adoption-snapshot.js';
import { createDataQualityRepo, type DataQualityRepo } from './data-quality-repo.js';
import { SharedAccountNumbers } from './shared-accounts.js';

export interface Adoption {
  readonly repo: AdoptionRepo;
  readonly qualityRepo: DataQualityRepo;
  readonly snapshot: AdoptionSnapshot;
  readonly sharedAccounts: SharedAccountNumbers;
  readonly service: AdoptionService;
}

export function createAdoption(db: Db, options: AdoptionSnapshotOptions = {}): Adoption {
  const repo = createAdoptionRepo(db);
  const qualityRepo = createDataQualityRepo(db);
  const parts = {
    repo,
    qualityRepo,
    snapshot: createAdoptionSnapshot(repo, options),
    sharedAccounts: new SharedAccountNumbers(qualityRepo),
  };
  return { ...parts, service: createAdoptionService(parts) };
}
