/**
 * The adoption engine assembled on one database (its DataAccess): its two repositories, the snapshot and the shared
 * account numbers (built once, long-lived), and a service over them. For the app's composition root, the
 * CLI, the bench and tests; a caller that wants a fresh service (no cached tallies) on the same snapshot
 * passes the result to createAdoptionService again.
 */
import type { DataAccess } from '../db/data-access.js';
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

export function createAdoption(data: DataAccess, options: AdoptionSnapshotOptions = {}): Adoption {
  const repo = createAdoptionRepo(data);
  const qualityRepo = createDataQualityRepo(data);
  const parts = {
    repo,
    qualityRepo,
    snapshot: createAdoptionSnapshot(repo, options),
    sharedAccounts: new SharedAccountNumbers(qualityRepo),
  };
  return { ...parts, service: createAdoptionService(parts) };
}
