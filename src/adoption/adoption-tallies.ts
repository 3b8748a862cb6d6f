/**
 * The last few tallies one service computed, so that a dashboard (figures, children, data quality on the
 * same date) walks the stalls once. Keyed by the snapshot's version: a refreshed snapshot never serves a
 * stale tally. Each service has its own; the snapshot itself is shared.
 */
import type { ResolvedScope } from './adoption-scope.js';
import type { AdoptionSnapshot, DateTally } from './adoption-snapshot.js';

const KEPT = 8;

export class TallyCache {
  private readonly tallies = new Map<string, DateTally>();

  constructor(private readonly snapshot: AdoptionSnapshot) {}

  /** The stalls of the scope as of `day` (with `detail`: the stalls the data-quality checks look at). */
  at(scope: ResolvedScope, day: number, detail = false): DateTally {
    const key = `${this.snapshot.version}|${scope.key}|${day}|${detail}`;
    let tally = this.tallies.get(key);
    if (!tally) {
      tally = this.snapshot.tallyAt(scope.indexes, day, detail);
      if (this.tallies.size >= KEPT) this.tallies.delete(this.tallies.keys().next().value!);
      this.tallies.set(key, tally);
    }
    return tally;
  }
}
