import type { DataQualityRepo, DuplicateAccountRow } from './data-quality-repo.js';

/**
 * The bank accounts (BIN + number) held by two or more account rows, for the duplicate-account check.
 * Finding them takes a scan of the whole (bin, account_number) index (~180 ms for 780,000 accounts), so
 * it is done once; afterwards only the accounts added since are looked at. That is exact because an
 * account's BIN and number never change and accounts are never deleted (retiring sets retired_at, which
 * the check reads fresh each time). A database whose newest account id went down was replaced: start over.
 */
export class SharedAccountNumbers {
  private readonly pairs = new Map<string, readonly [string, string]>();
  private seenUpTo = 0;

  constructor(private readonly repo: DataQualityRepo) {}

  /** Every account row holding a shared number, by BIN, number, stall and id. */
  rows(): DuplicateAccountRow[] {
    this.catchUp();
    return this.pairs.size === 0 ? [] : this.repo.accountsWithNumbers([...this.pairs.values()]);
  }

  /** Reads the accounts added since the last call (the whole index the first time). */
  catchUp(): void {
    this.repo.reading(() => {
      const newest = this.repo.maxAccountId();
      if (newest < this.seenUpTo) this.reset();
      if (newest === this.seenUpTo) return;
      if (this.seenUpTo === 0) {
        for (const pair of this.repo.sharedNumbers()) this.add(pair);
      } else {
        for (const pair of this.repo.numbersAfter(this.seenUpTo)) {
          if (this.repo.holdersOfNumber(pair[0], pair[1]) >= 2) this.add(pair);
        }
      }
      this.seenUpTo = newest;
    });
  }

  /** Forgets what was found, e.g. after rows were edited by hand; the next call scans again. */
  reset(): void {
    this.pairs.clear();
    this.seenUpTo = 0;
  }

  private add(pair: readonly [string, string]): void {
    this.pairs.set(`${pair[0]}:${pair[1]}`, pair);
  }
}
