/**
 * When each stall had a name-checked bank account, in memory: for every name-checked account of a stall,
 * the day of its name check and the day it was retired (NEVER when not). A stall has one as of D when an
 * account was checked on or before D and not retired by then — the data-quality check "accepting QR
 * without a name-checked account" asks this of every QR-verified or installed stall of a scope, which in
 * SQL was one index seek per stall (130,000 for a province: half a second).
 *
 * Accounts change in place, so the snapshot re-reads the accounts of the stalls the change log names
 * (migrations/0028_account_changes.sql) and hands them to replace(). Pure: no database.
 */

/** Days as the snapshot counts them (calendar.ts vietnamDayOf); NEVER: no day reaches it. */
export interface NameCheckRow {
  readonly stall: number;
  readonly checkedDay: number;
  readonly retiredDay: number;
}

/** Re-read stalls are kept apart until there are this many; then everything is packed again. */
const PACK_AFTER = 50_000;

export class NameChecks {
  /** Accounts of stall id live in [start[id], start[id + 1]) for id < capacity. */
  private start = new Int32Array(1);
  private capacity = 0;
  private checked = new Int32Array(0);
  private retired = new Int32Array(0);
  private readonly replaced = new Map<number, { checked: Int32Array; retired: Int32Array }>();

  /** Builds from every name-checked account. */
  build(rows: readonly NameCheckRow[], maxStall: number): void {
    const start = new Int32Array(maxStall + 2);
    for (const row of rows) if (row.stall <= maxStall) start[row.stall + 1]!++;
    for (let id = 0; id <= maxStall; id++) start[id + 1]! += start[id]!;
    const next = start.slice(0, maxStall + 1);
    const checked = new Int32Array(start[maxStall + 1]!);
    const retired = new Int32Array(checked.length);
    for (const row of rows) {
      if (row.stall > maxStall) continue;
      const i = next[row.stall]!++;
      checked[i] = row.checkedDay;
      retired[i] = row.retiredDay;
    }
    Object.assign(this, { start, capacity: maxStall + 1, checked, retired });
    this.replaced.clear();
  }

  /** Sets a stall's name-checked accounts (all of them, as read now). */
  replace(stall: number, rows: readonly NameCheckRow[]): void {
    this.replaced.set(stall, {
      checked: Int32Array.from(rows, (row) => row.checkedDay),
      retired: Int32Array.from(rows, (row) => row.retiredDay),
    });
    if (this.replaced.size >= PACK_AFTER) this.pack();
  }

  /** True when the stall had a name-checked account, not retired, at the end of `day`. */
  hadOn(stall: number, day: number): boolean {
    const own = this.replaced.get(stall);
    if (own) {
      for (let i = 0; i < own.checked.length; i++) if (own.checked[i]! <= day && own.retired[i]! > day) return true;
      return false;
    }
    if (stall >= this.capacity) return false;
    for (let i = this.start[stall]!, end = this.start[stall + 1]!; i < end; i++) {
      if (this.checked[i]! <= day && this.retired[i]! > day) return true;
    }
    return false;
  }

  private pack(): void {
    let maxStall = this.capacity - 1;
    for (const stall of this.replaced.keys()) if (stall > maxStall) maxStall = stall;
    const rows: NameCheckRow[] = [];
    for (let stall = 0; stall <= maxStall; stall++) {
      const own = this.replaced.get(stall);
      if (own) {
        own.checked.forEach((checkedDay, i) => rows.push({ stall, checkedDay, retiredDay: own.retired[i]! }));
      } else if (stall < this.capacity) {
        for (let i = this.start[stall]!, end = this.start[stall + 1]!; i < end; i++) {
          rows.push({ stall, checkedDay: this.checked[i]!, retiredDay: this.retired[i]! });
        }
      }
    }
    this.build(rows, maxStall);
  }
}
