import type { AccountNumber, DataQualityRepo, DuplicateAccountRow } from './data-quality-repo.js';
import { OneAtATime } from './one-at-a-time.js';

/**
 * The bank accounts (BIN + number) held by two or more account rows, for the duplicate-account check.
 * Finding them takes a scan of the whole (bin, account_number) index (~180 ms for 780,000 accounts), so
 * it is done once; afterwards only the accounts added since are looked at. That is exact because an
 * account's BIN and number never change and accounts are never deleted (retiring sets retired_at, which
 * the check reads fresh each time). A database whose newest account id went down was replaced: start over.
 *
 * Long-lived, like the snapshot: built once by whoever composes the app. Its calls take turns (after
 * taking the connection, as AdoptionSnapshot.read does), so two requests never catch up at once.
 */
export class SharedAccountNumbers {
  private readonly pairs = new Map<string, AccountNumber>();
  private seenUpTo = 0;
  private readonly turns = new OneAtATime();

  constructor(private readonly repo: DataQualityRepo) {}

  /** Every account row holding a shared number, by BIN, number, stall and id. */
  rows(): Promise<DuplicateAccountRow[]> {
    return this.repo.reading(() =>
      this.turns.run(async () => {
        await this.catchUpNow();
        return this.pairs.size === 0 ? [] : this.repo.accountsWithNumbers([...this.pairs.values()]);
      }),
    );
  }

  /** Reads the accounts added since the last call (the whole index the first time). */
  catchUp(): Promise<void> {
    return this.repo.reading(() => this.turns.run(() => this.catchUpNow()));
  }

  /** Forgets what was found, e.g. after rows were edited by hand; the next call scans again. */
  reset(): Promise<void> {
    return this.turns.run(() => this.forget());
  }

  private async catchUpNow(): Promise<void> {
    const newest = await this.repo.maxAccountId();
    if (newest < this.seenUpTo) this.forget();
    if (newest === this.seenUpTo) return;
    const found =
      this.seenUpTo === 0 ? await this.repo.sharedNumbers() : await this.repo.numbersSharedSince(this.seenUpTo);
    for (const pair of found) this.pairs.set(`${pair[0]}:${pair[1]}`, pair);
    this.seenUpTo = newest;
  }

  private forget(): void {
    this.pairs.clear();
    this.seenUpTo = 0;
  }
}
