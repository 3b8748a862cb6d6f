import { createAdoption, type Adoption } from '../../src/adoption/create-adoption.js';
import type { AdoptionService } from '../../src/adoption/adoption-service.js';
import type { AdoptionSnapshotOptions } from '../../src/adoption/adoption-snapshot.js';
import { sqliteDataAccess } from '../../src/db/data-access.js';
import type { Db } from '../../src/db/database.js';

/** The whole adoption engine on a test database, as the app composes it: its own snapshot, built on first use. */
export function adoptionEngineOn(db: Db, options: AdoptionSnapshotOptions = {}): Adoption {
  return createAdoption(sqliteDataAccess(db), options);
}

/** The adoption service on a test database (a snapshot of its own). */
export function adoptionOn(db: Db): AdoptionService {
  return adoptionEngineOn(db).service;
}
