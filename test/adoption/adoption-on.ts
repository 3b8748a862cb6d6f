import { createAdoption } from '../../src/adoption/create-adoption.js';
import type { AdoptionService } from '../../src/adoption/adoption-service.js';
import type { Db } from '../../src/db/database.js';

/** The adoption engine on a test database, as the app composes it: its own snapshot, built on first use. */
export function adoptionOn(db: Db): AdoptionService {
  return createAdoption(db).service;
}
