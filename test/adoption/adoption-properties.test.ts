import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createAdoptionService, type AdoptionService } from '../../src/adoption/adoption-service.js';
import { adoptionEngineOn, adoptionOn } from './adoption-on.js';
import type { AdoptionFigures, AdoptionScope } from '../../src/adoption/adoption-types.js';
import { NotFoundError } from '../../src/http/errors.js';
import { WHOLE_COUNTRY, type Reach } from '../../src/vocabulary/reach.js';
import { addDays } from '../../src/calendar/calendar.js';
import { vietnamDate } from '../../src/calendar/calendar.js';
import type { Db } from '../../src/db/database.js';
import { freshDb } from './fresh-db.js';
import { loadRaw, naiveActivity, naiveChildren, naiveDataQuality, naiveFigures, naiveTrend } from './naive-recount.js';
import { COMMUNE_POOL, asOfArbitrary, insertRegistry, registryArbitrary } from './registry-arbitrary.js';

type ScopePick = AdoptionScope | { kind: 'site-at'; index: number } | { kind: 'campaign-at'; index: number };

const scopePick: fc.Arbitrary<ScopePick> = fc.oneof(
  { weight: 3, arbitrary: fc.constant<ScopePick>({ kind: 'all' }) },
  fc.constantFrom('52', '01', '79').map((code): ScopePick => ({ kind: 'province', code })),
  // '23584' is a commune of Gia Lai with no site: an empty scope.
  fc.constantFrom(...COMMUNE_POOL, '23584').map((code): ScopePick => ({ kind: 'commune', code })),
  { weight: 3, arbitrary: fc.nat().map((index): ScopePick => ({ kind: 'site-at', index })) },
  fc.nat().map((index): ScopePick => ({ kind: 'campaign-at', index })),
);

/** A reach to ask in: the whole country, none, or a mix of provinces, communes and sites (by index). */
interface ReachPick {
  readonly wholeCountry: boolean;
  readonly provinces: readonly string[];
  readonly communes: readonly string[];
  readonly siteIndexes: readonly number[];
}

const reachPick: fc.Arbitrary<ReachPick> = fc.oneof(
  { weight: 3, arbitrary: fc.constant({ wholeCountry: true, provinces: [], communes: [], siteIndexes: [] }) },
  fc.record({
    wholeCountry: fc.constant(false),
    // '99' and '99999' are no unit: a reach's unknown codes are left out, not an error.
    provinces: fc.subarray(['52', '01', '99']),
    communes: fc.subarray([...COMMUNE_POOL, '23584', '99999']),
    siteIndexes: fc.array(fc.nat(), { maxLength: 3 }),
  }),
);

function toReach(pick: ReachPick, ids: { sites: number[] }): Reach {
  if (pick.wholeCountry) return WHOLE_COUNTRY;
  const sites = ids.sites.length === 0 ? [] : pick.siteIndexes.map((i) => ids.sites[i % ids.sites.length]!);
  return { wholeCountry: false, provinces: pick.provinces, communes: pick.communes, sites };
}

function toScope(pick: ScopePick, ids: { sites: number[]; campaigns: number[] }): AdoptionScope {
  if (pick.kind === 'site-at') return { kind: 'site', id: ids.sites[pick.index % ids.sites.length]! };
  if (pick.kind === 'campaign-at') {
    return ids.campaigns.length === 0
      ? { kind: 'all' }
      : { kind: 'campaign', id: ids.campaigns[pick.index % ids.campaigns.length]! };
  }
  return pick;
}

/**
 * Every answer of the engine against the naive recount over the rows as they are now; a scope outside the
 * reach (or unknown) is a NotFoundError for both.
 */
async function expectSameAsNaive(
  db: Db,
  service: AdoptionService,
  reach: Reach,
  scope: AdoptionScope,
  asOf: string,
  weeks: number,
): Promise<void> {
  const raw = loadRaw(db);
  let expected: AdoptionFigures;
  try {
    expected = naiveFigures(raw, reach, scope, asOf);
  } catch (error) {
    expect(error).toBeInstanceOf(NotFoundError);
    await expect(service.figures(reach, scope, asOf)).rejects.toThrow(NotFoundError);
    await expect(service.dataQuality(reach, scope, asOf)).rejects.toThrow(NotFoundError);
    return;
  }
  expect(await service.figures(reach, scope, asOf)).toEqual(expected);
  expect(await service.children(reach, scope, asOf)).toEqual(naiveChildren(raw, reach, scope, asOf));
  expect(await service.trend(reach, scope, asOf, weeks)).toEqual(naiveTrend(raw, reach, scope, asOf, weeks));
  expect(await service.volunteerActivity(reach, scope, asOf, weeks)).toEqual(
    naiveActivity(raw, reach, scope, asOf, weeks),
  );
  expect(await service.dataQuality(reach, scope, asOf)).toEqual(naiveDataQuality(raw, reach, scope, asOf));
}

describe('adoption figures against a naive recount of the raw rows', () => {
  it('on random registries, for every kind of scope, at past dates, on row days and after everything', async () => {
    await fc.assert(
      fc.asyncProperty(
        registryArbitrary(),
        reachPick,
        scopePick,
        asOfArbitrary(),
        asOfArbitrary(),
        fc.integer({ min: 1, max: 6 }),
        fc.nat(),
        fc.boolean(),
        async (spec, reachAt, pick, first, second, weeks, n, compact) => {
          const db = freshDb();
          try {
            const ids = insertRegistry(db, spec, 0);
            // Half the runs fold every re-read timeline back into the main block at once.
            const adoption = adoptionEngineOn(db, compact ? { compactAfterRows: 0 } : {});
            const service = adoption.service;
            const scope = toScope(pick, ids);
            const reach = toReach(reachAt, ids);
            await expectSameAsNaive(db, service, reach, scope, first, weeks);
            // More stalls, history rows, visits and a changed target: the same service must see them all.
            insertRegistry(db, spec, 1, ids);
            await expectSameAsNaive(db, service, reach, scope, second, weeks);
            // A fresh service (no cached tallies) on the same snapshot.
            await expectSameAsNaive(db, createAdoptionService(adoption), reach, scope, first, weeks);
            // 59 and 60 days after a row's day: the edge of "no follow-up for 60 days".
            const instants = spec.stalls.flatMap((stall) => [
              ...stall.rows.map((r) => r.at),
              ...stall.visits.map((v) => v.at),
            ]);
            if (instants.length > 0) {
              const day = vietnamDate(new Date(instants[n % instants.length]!));
              await expectSameAsNaive(db, service, reach, scope, addDays(day, 60), weeks);
              await expectSameAsNaive(db, service, reach, scope, addDays(day, 59), 1);
            }
          } finally {
            db.close();
          }
        },
      ),
      { numRuns: 120 },
    );
  }, 120_000);

  it('when rows are deleted behind its back, then the database refuses and the engine still agrees', async () => {
    await fc.assert(
      fc.asyncProperty(registryArbitrary({ maxSites: 3, maxStalls: 12 }), asOfArbitrary(), async (spec, asOf) => {
        const db = freshDb();
        try {
          const ids = insertRegistry(db, spec, 0);
          insertRegistry(db, spec, 1, ids);
          const service = adoptionOn(db);
          await service.warm();
          // History and visits are append-only (migrations/0008_append_only.sql): the delete is refused.
          for (const table of ['stall_status_history', 'visits']) {
            const count = () => db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
            const rows = count();
            const remove = () => db.prepare(`DELETE FROM ${table} WHERE id = (SELECT max(id) FROM ${table})`).run();
            if (rows > 0) expect(remove).toThrow(`${table} is append-only`);
            expect(count()).toBe(rows);
          }
          await expectSameAsNaive(db, service, WHOLE_COUNTRY, { kind: 'all' }, asOf, 2);
        } finally {
          db.close();
        }
      }),
      { numRuns: 30 },
    );
  }, 60_000);
});
