import type { NewVisit, VisitsRepo } from './visits-repo.js';

/**
 * Every action at a stall is a visit row, from which volunteer activity is counted. The rows are
 * append-only; the stalls and accounts services record them inside their own transactions.
 */
export function createVisitsService({ visits }: { visits: VisitsRepo }) {
  return {
    record: (visit: NewVisit) => visits.insert(visit),
    listForStall: (stallId: number) => visits.listForStall(stallId),
    /** Sites this volunteer worked on lately, most recent first: what the onboarding flow offers before search. */
    recentSites: (userId: number, limit = 5) => visits.recentSites(userId, limit),
  };
}

export type VisitsService = ReturnType<typeof createVisitsService>;
