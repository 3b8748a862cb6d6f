/**
 * Data quality of a scope as of a date: stalls accepting QR without a name-checked account, installed stalls
 * not followed up for the snapshot's followUpDays (Config.followUpDays), one bank account on several stalls,
 * stickers withdrawn, payee changes waiting for a second person. The stalls to check and their name checks
 * come from the snapshot; shared accounts, stickers and payee-change requests are read fresh from their own
 * repository (data-quality-repo.ts). Definitions: adoption-service.ts.
 */
import { cutoffAfter, dateOfDay, dayNumber } from '../calendar/calendar.js';
import { maskAccount } from '../vocabulary/masking.js';
import { STALL_STATUSES } from '../vocabulary/stall-status.js';
import type { ResolvedScope } from './adoption-scope.js';
import type { AdoptionSnapshot } from './adoption-snapshot.js';
import type { TallyCache } from './adoption-tallies.js';
import type { DataQuality, DuplicateAccountGroup, StallRef } from './adoption-types.js';
import type { DataQualityRepo } from './data-quality-repo.js';
import type { SharedAccountNumbers } from './shared-accounts.js';
import { staleEntry, staleOldestFirst } from './stale-order.js';

/** Lists in the data-quality answer stop at this many entries; counts are complete. */
export const DATA_QUALITY_LIST_LIMIT = 100;

export interface DataQualityDeps {
  readonly snapshot: AdoptionSnapshot;
  readonly tallies: TallyCache;
  readonly repo: DataQualityRepo;
  readonly sharedAccounts: SharedAccountNumbers;
}

/**
 * The checks for a resolved scope. Runs inside AdoptionSnapshot.read(): the snapshot does not change
 * between the tally and the lookups that follow it.
 */
export async function dataQualityOf(
  { snapshot: snap, tallies, repo, sharedAccounts }: DataQualityDeps,
  scope: ResolvedScope,
  asOf: string,
): Promise<DataQuality> {
  const day = dayNumber(asOf);
  const cutoff = cutoffAfter(asOf);
  const ref = snap.ref;
  const inScope = (stallId: number) => {
    const site = snap.siteOfStall(stallId);
    return site >= 0 && scope.mask[site] === 1;
  };
  // Stalls outside the asker's reach are never named, not even beside a shared account.
  const { reachMask } = scope;
  const inReach = (stallId: number) => {
    if (!reachMask) return true;
    const site = snap.siteOfStall(stallId);
    return site >= 0 && reachMask[site] === 1;
  };

  const tally = tallies.at(scope, day, true);
  const detail = tally.detail!;
  // QR-verified or installed as of D, without a name-checked account by then (the snapshot keeps the name
  // checks of every stall: no lookup per candidate).
  const candidates = detail.acceptingIds;
  // Typed-array sorts: a province has 100,000 and more of these; only the first few are named.
  const unverified = Int32Array.from(candidates.filter((id) => !snap.hasNameCheck(id, day))).sort();

  const staleOrder = staleOldestFirst(detail.staleIds, detail.staleContact);

  // Accounts created by the cutoff and not retired before it; text order of ISO timestamps is time order.
  const groups: { bin: string; number: string; accounts: { id: number; stallId: number }[]; stallIds: number[] }[] = [];
  for (const row of await sharedAccounts.rows()) {
    if (!(row.created_at < cutoff) || (row.retired_at !== null && row.retired_at < cutoff)) continue;
    const last = groups[groups.length - 1];
    const account = { id: row.id, stallId: row.stall_id };
    if (last && last.bin === row.bin && last.number === row.account_number) {
      last.accounts.push(account);
      if (!last.stallIds.includes(row.stall_id)) last.stallIds.push(row.stall_id);
    } else {
      groups.push({ bin: row.bin, number: row.account_number, accounts: [account], stallIds: [row.stall_id] });
    }
  }
  const duplicates = groups.filter((group) => group.stallIds.length >= 2 && group.stallIds.some(inScope));

  let revoked = 0;
  let replaced = 0;
  for (const { stall_id: stallId, status } of await repo.withdrawnStickers(cutoff)) {
    if (!inScope(stallId)) continue;
    if (status === 'revoked') revoked++;
    else replaced++;
  }

  // Requests are named only inside the reach, like every list here (the scope lies inside it already).
  const pendingChanges = (await repo.pendingPayeeChanges(cutoff)).filter(
    (row) => inScope(row.stall_id) && inReach(row.stall_id),
  );

  const limit = DATA_QUALITY_LIST_LIMIT;
  const listedUnverified = [...unverified.subarray(0, limit)];
  const listedChanges = pendingChanges.slice(0, limit);
  const listedStale = Array.from(staleOrder.subarray(0, limit), staleEntry);
  const listedGroups = duplicates.slice(0, limit);
  const listed = [
    ...listedUnverified,
    ...listedStale.map((s) => s.id),
    ...listedGroups.flatMap((g) => g.stallIds.filter(inReach)),
    ...listedChanges.map((row) => row.stall_id),
  ];
  const labels = new Map((await repo.stallLabels(listed)).map((row) => [row.id, row.label]));
  const stallRef = (stallId: number): StallRef => {
    const siteIndex = snap.siteOfStall(stallId);
    const site = siteIndex >= 0 ? ref.sites[siteIndex]! : null;
    const at = snap.stallAt(stallId, day);
    return {
      stallId,
      label: labels.get(stallId) ?? '',
      siteId: site?.id ?? 0,
      siteName: site?.name ?? '',
      status: at ? STALL_STATUSES[at.status]! : null,
    };
  };
  const duplicateGroups: DuplicateAccountGroup[] = listedGroups.map((group) => {
    const shown = group.stallIds.filter(inReach);
    return {
      bin: group.bin,
      maskedAccount: maskAccount(group.number),
      accountIds: group.accounts.filter((account) => inReach(account.stallId)).map((account) => account.id),
      stalls: shown.map((id) => ({ ...stallRef(id), inScope: inScope(id) })),
      outsideReach: group.stallIds.length - shown.length,
    };
  });
  return {
    scope: scope.info,
    asOf,
    listLimit: limit,
    unverifiedAccounts: { count: unverified.length, stalls: listedUnverified.map(stallRef) },
    staleFollowUps: {
      days: snap.followUpDays,
      count: staleOrder.length,
      stalls: listedStale.map(({ id, contact }) => ({ ...stallRef(id), lastContact: dateOfDay(contact) })),
    },
    duplicateAccounts: { count: duplicates.length, groups: duplicateGroups },
    stickers: { revoked, replaced },
    pendingPayeeChanges: {
      count: pendingChanges.length,
      stalls: listedChanges.map((row) => ({
        ...stallRef(row.stall_id),
        kind: row.kind,
        requestedAt: row.requested_at,
      })),
    },
  };
}
