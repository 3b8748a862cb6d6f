/**
 * Per-site running counts: for each site, the days on which anything about its stalls changed, and for each
 * such day the counts as of the end of that day (stalls by status, refused stalls by reason, installed stalls
 * followed up, still displaying the sticker, not contacted for too long, stalls that exist), plus every
 * change to the transfer shares its stalls last reported.
 *
 * Why: a figure "as of D" for a scope is then one binary search per site (the last change day on or before
 * D) instead of a walk over every stall's timeline, so it costs O(sites × dates asked) whatever the number of
 * stalls. The counts are kept up to date incrementally: when a stall's timeline changes, its old
 * contribution is taken out and its new one put in (stallContribution emits both as day-stamped deltas).
 *
 * Pure: no database, no clock. The snapshot (adoption-snapshot.ts) owns one SeriesStore and feeds it.
 */

/** Components of a row: statuses 0–5 (STALL_STATUSES order), then reasons, then the follow-up counts. */
export const C_REASON = 6;
export const C_FOLLOWED = 11;
export const C_DISPLAYED = 12;
export const C_STALE = 13;
export const C_EXISTS = 14;
/** Counts per row. */
export const K = 15;
/** Transfer-share values 0–100. */
export const SHARE_VALUES = 101;
/** Share events between two stored histograms: a site's histogram as of a day costs one copy and ≤ this many adds. */
const SHARE_BLOCK = 32;
/**
 * Counts are kept in 16 bits (half the memory: a national registry has millions of site-days) until a site
 * holds this many stalls; then in 32. Uint16 arithmetic wraps modulo 2¹⁶, so a count that dips below zero
 * midway through taking a stall out comes back exact once its new contribution is in.
 */
const WIDE_AFTER_STALLS = 60_000;

/** One site's running counts. */
export class SiteSeries {
  /** Change days, ascending, and the counts as of the end of each: cum[row * K + component]. */
  n = 0;
  days: Int32Array;
  cum: Uint16Array | Int32Array;
  /** Share events sorted by day: the last reported share of a stall moved to (value, +1) or away (value, −1). */
  shareCount = 0;
  shareDay: Int32Array;
  shareValue: Uint8Array;
  shareDelta: Int32Array;
  /** Histogram of the events before each block of SHARE_BLOCK events: [block * SHARE_VALUES + value]. */
  private checkpoints = new Int32Array(SHARE_VALUES);
  /** Blocks whose checkpoint is up to date. */
  private checkpointsValid = 1;
  /** The histogram after every event, as its non-zero values and their counts (when latestValid). */
  private latestValues = new Uint8Array(0);
  private latestCounts = new Int32Array(0);
  private latestValid = false;

  constructor(rows = 4, shares = 4, wide = false) {
    this.days = new Int32Array(Math.max(rows, 1));
    this.cum = wide ? new Int32Array(Math.max(rows, 1) * K) : new Uint16Array(Math.max(rows, 1) * K);
    this.shareDay = new Int32Array(Math.max(shares, 1));
    this.shareValue = new Uint8Array(Math.max(shares, 1));
    this.shareDelta = new Int32Array(Math.max(shares, 1));
  }

  /** The row of the last change day on or before `day`; -1 when there is none. */
  rowAt(day: number): number {
    // Most questions are about today or last week: the last rows. Reading them first saves the cache misses
    // of a binary search (a national rollup reads 10,000 sites' arrays, each cold).
    const n = this.n;
    if (n === 0 || this.days[n - 1]! <= day) return n - 1;
    if (n > 1 && this.days[n - 2]! <= day) return n - 2;
    return upperBound(this.days, n, day) - 1;
  }

  /** Count `component` as of `day` (0 before the first change day). */
  countAt(day: number, component: number): number {
    const row = this.rowAt(day);
    return row < 0 ? 0 : this.cum[row * K + component]!;
  }

  /** Adds `delta` to a component from `day` on (every row on or after it). */
  add(day: number, component: number, delta: number): void {
    let row = this.rowAt(day);
    if (row < 0 || this.days[row] !== day) row = this.insertRow(row + 1, day);
    for (let r = row; r < this.n; r++) this.cum[r * K + component]! += delta;
  }

  /** Stalls counted on the last change day (every stall that exists by then). */
  get stalls(): number {
    return this.n === 0 ? 0 : this.cum[(this.n - 1) * K + C_EXISTS]!;
  }

  /** Moves the counts to 32 bits once the site is large enough to need them. */
  widenIfLarge(): void {
    if (this.cum instanceof Int32Array || this.stalls <= WIDE_AFTER_STALLS) return;
    this.cum = Int32Array.from(this.cum);
  }

  /** Adds a share event. */
  addShare(day: number, value: number, delta: number): void {
    // After every event of the same day: the order within a day does not change the day's histogram.
    const lo = upperBound(this.shareDay, this.shareCount, day);
    // An event of the same day and value absorbs this one, so taking a stall out and putting it back (each
    // refresh of a changed stall) does not make the list grow.
    for (let e = lo - 1; e >= 0 && this.shareDay[e] === day; e--) {
      if (this.shareValue[e] !== value) continue;
      this.shareDelta[e]! += delta;
      this.checkpointsValid = Math.min(this.checkpointsValid, Math.floor(e / SHARE_BLOCK) + 1);
      this.latestValid = false;
      return;
    }
    if (this.shareCount === this.shareDay.length) this.growShares(this.shareCount * 2);
    this.shareDay.copyWithin(lo + 1, lo, this.shareCount);
    this.shareValue.copyWithin(lo + 1, lo, this.shareCount);
    this.shareDelta.copyWithin(lo + 1, lo, this.shareCount);
    this.shareDay[lo] = day;
    this.shareValue[lo] = value;
    this.shareDelta[lo] = delta;
    this.shareCount++;
    // Checkpoints of the blocks after the one holding the new event are stale now.
    this.checkpointsValid = Math.min(this.checkpointsValid, Math.floor(lo / SHARE_BLOCK) + 1);
    this.latestValid = false;
  }

  /** Adds the site's transfer-share histogram as of `day` into `into` (SHARE_VALUES entries). */
  sharesInto(day: number, into: Int32Array): void {
    if (this.shareCount === 0) return;
    if (this.shareDay[this.shareCount - 1]! <= day) {
      // On or after the last event (today, usually): the latest histogram, kept as its non-zero values only.
      if (this.latestValid === false) this.computeLatest();
      const { latestValues, latestCounts } = this;
      for (let i = 0; i < latestValues.length; i++) into[latestValues[i]!]! += latestCounts[i]!;
      return;
    }
    const lo = upperBound(this.shareDay, this.shareCount, day);
    if (lo === 0) return;
    const block = Math.floor(lo / SHARE_BLOCK);
    this.ensureCheckpoints(block);
    if (block > 0) {
      const base = block * SHARE_VALUES;
      for (let v = 0; v < SHARE_VALUES; v++) into[v]! += this.checkpoints[base + v]!;
    }
    for (let e = block * SHARE_BLOCK; e < lo; e++) into[this.shareValue[e]!]! += this.shareDelta[e]!;
  }

  private computeLatest(): void {
    const histogram = new Int32Array(SHARE_VALUES);
    for (let e = 0; e < this.shareCount; e++) histogram[this.shareValue[e]!]! += this.shareDelta[e]!;
    const values: number[] = [];
    for (let v = 0; v < SHARE_VALUES; v++) if (histogram[v] !== 0) values.push(v);
    this.latestValues = Uint8Array.from(values);
    this.latestCounts = Int32Array.from(values, (v) => histogram[v]!);
    this.latestValid = true;
  }

  /** Appends a row (bulk build: days arrive ascending). */
  appendRow(day: number, from: Int32Array, offset: number): void {
    if (this.n === this.days.length) this.growRows(this.n * 2);
    this.days[this.n] = day;
    this.cum.set(from.subarray(offset, offset + K), this.n * K);
    this.n++;
  }

  /** Appends a share event (bulk build: days arrive ascending). */
  appendShare(day: number, value: number, delta: number): void {
    if (this.shareCount === this.shareDay.length) this.growShares(this.shareCount * 2);
    this.shareDay[this.shareCount] = day;
    this.shareValue[this.shareCount] = value;
    this.shareDelta[this.shareCount] = delta;
    this.shareCount++;
    this.latestValid = false;
  }

  get bytes(): number {
    return (
      this.days.byteLength +
      this.cum.byteLength +
      this.shareDay.byteLength * 2 +
      this.shareValue.byteLength +
      this.checkpoints.byteLength
    );
  }

  private insertRow(at: number, day: number): number {
    if (this.n === this.days.length) this.growRows(this.n * 2);
    this.days.copyWithin(at + 1, at, this.n);
    this.cum.copyWithin((at + 1) * K, at * K, this.n * K);
    this.days[at] = day;
    // The new day starts from the counts of the day before it.
    if (at > 0) this.cum.copyWithin(at * K, (at - 1) * K, at * K);
    else this.cum.fill(0, 0, K);
    this.n++;
    return at;
  }

  private ensureCheckpoints(block: number): void {
    if (block < this.checkpointsValid) return;
    if (this.checkpoints.length < (block + 1) * SHARE_VALUES) {
      const grown = new Int32Array(Math.max((block + 1) * SHARE_VALUES, this.checkpoints.length * 2));
      grown.set(this.checkpoints.subarray(0, this.checkpointsValid * SHARE_VALUES));
      this.checkpoints = grown;
    }
    for (let b = this.checkpointsValid; b <= block; b++) {
      const base = b * SHARE_VALUES;
      this.checkpoints.copyWithin(base, base - SHARE_VALUES, base);
      for (let e = (b - 1) * SHARE_BLOCK; e < b * SHARE_BLOCK; e++) {
        this.checkpoints[base + this.shareValue[e]!]! += this.shareDelta[e]!;
      }
    }
    this.checkpointsValid = block + 1;
  }

  private growRows(size: number): void {
    const days = new Int32Array(Math.max(size, 4));
    days.set(this.days.subarray(0, this.n));
    const cum = this.cum instanceof Int32Array ? new Int32Array(days.length * K) : new Uint16Array(days.length * K);
    cum.set(this.cum.subarray(0, this.n * K));
    this.days = days;
    this.cum = cum;
  }

  private growShares(size: number): void {
    const count = this.shareCount;
    const day = new Int32Array(Math.max(size, 4));
    day.set(this.shareDay.subarray(0, count));
    const value = new Uint8Array(day.length);
    value.set(this.shareValue.subarray(0, count));
    const delta = new Int32Array(day.length);
    delta.set(this.shareDelta.subarray(0, count));
    this.shareDay = day;
    this.shareValue = value;
    this.shareDelta = delta;
  }
}

/** The number of leading entries of sorted[0 … n) that are ≤ value (days are integers). */
function upperBound(sorted: Int32Array, n: number, value: number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Receives a stall's contribution as deltas: a count component, or a transfer-share value. */
export interface ContributionSink {
  count(day: number, component: number, delta: number): void;
  share(day: number, value: number, delta: number): void;
}

/** A stall's rows: status history (a = status, b = reason) and follow-ups (a = sticker, b = share or −1). */
export interface StallRows {
  readonly hDay: Int32Array;
  readonly hA: Uint8Array;
  readonly hB: Int16Array;
  readonly hs: number;
  readonly he: number;
  readonly fDay: Int32Array;
  readonly fA: Uint8Array;
  readonly fB: Int16Array;
  readonly fs: number;
  readonly fe: number;
}

export interface ContributionRules {
  readonly installed: number;
  readonly refused: number;
  readonly closed: number;
  readonly reasonCount: number;
  readonly reasonOther: number;
  readonly stickerYes: number;
  /** An installed stall without contact for this many days is stale. */
  readonly staleDays: number;
}

const NONE = -1;
const END = 2 ** 31 - 1;

/**
 * Emits what one stall adds to its site's counts over time, times `sign` (−1 takes it back out). The state
 * "as of the end of day D" is the one the figures define (adoption-service.ts): the last history row on or
 * before D gives the status (none: the stall does not exist yet); the last follow-up on or before D whether
 * an installed stall was followed up and still displays its sticker; the last follow-up with a share the
 * share (not for closed stalls); an installed stall is stale once D is staleDays after its last contact (the
 * start of its installed stint or its last follow-up, whichever is later). The state only changes on the
 * days of its rows and on the day it turns stale, so those are the only days with deltas.
 */
export function stallContribution(
  rows: StallRows,
  rules: ContributionRules,
  sign: number,
  sink: ContributionSink,
): void {
  const { hDay, hA, hB, he, fDay, fA, fB, fe } = rows;
  let h = rows.hs;
  let f = rows.fs;
  if (h === he) return;
  // Running state from the rows read so far.
  let status = NONE;
  let reason = 0;
  let stintStart = 0;
  let followed = false;
  let lastFollowDay = NONE;
  let lastSticker = NONE;
  let share = NONE;
  // The components counted before the current day.
  let pStatus = NONE;
  let pReason = NONE;
  let pFollowed = false;
  let pDisplayed = false;
  let pStale = false;
  let pShare = NONE;

  let day = Math.min(hDay[h]!, f < fe ? fDay[f]! : END);
  while (day !== END) {
    for (; h < he && hDay[h]! <= day; h++) {
      const next = hA[h]!;
      if (next === rules.installed && status !== rules.installed) stintStart = hDay[h]!;
      status = next;
      reason = hB[h]!;
    }
    for (; f < fe && fDay[f]! <= day; f++) {
      followed = true;
      lastFollowDay = fDay[f]!;
      lastSticker = fA[f]!;
      if (fB[f]! >= 0) share = fB[f]!;
    }
    const exists = status !== NONE;
    const installed = status === rules.installed;
    const cStatus = status;
    const cReason =
      status === rules.refused
        ? C_REASON + (reason >= 0 && reason < rules.reasonCount ? reason : rules.reasonOther)
        : NONE;
    const cFollowed = installed && followed;
    const cDisplayed = installed && lastSticker === rules.stickerYes;
    const contact = Math.max(stintStart, lastFollowDay);
    const cStale = installed && day - contact >= rules.staleDays;
    const cShare = exists && status !== rules.closed ? share : NONE;

    if (cStatus !== pStatus) {
      if (pStatus !== NONE) sink.count(day, pStatus, -sign);
      else sink.count(day, C_EXISTS, sign);
      if (cStatus !== NONE) sink.count(day, cStatus, sign);
    }
    if (cReason !== pReason) {
      if (pReason !== NONE) sink.count(day, pReason, -sign);
      if (cReason !== NONE) sink.count(day, cReason, sign);
    }
    if (cFollowed !== pFollowed) sink.count(day, C_FOLLOWED, cFollowed ? sign : -sign);
    if (cDisplayed !== pDisplayed) sink.count(day, C_DISPLAYED, cDisplayed ? sign : -sign);
    if (cStale !== pStale) sink.count(day, C_STALE, cStale ? sign : -sign);
    if (cShare !== pShare) {
      if (pShare !== NONE) sink.share(day, pShare, -sign);
      if (cShare !== NONE) sink.share(day, cShare, sign);
    }
    pStatus = cStatus;
    pReason = cReason;
    pFollowed = cFollowed;
    pDisplayed = cDisplayed;
    pStale = cStale;
    pShare = cShare;

    const nextRow = Math.min(h < he ? hDay[h]! : END, f < fe ? fDay[f]! : END);
    // An installed stall turns stale on a day of its own, unless a row comes first.
    const staleOn = installed && !cStale ? contact + rules.staleDays : END;
    day = Math.min(nextRow, staleOn);
  }
}

/** Growable columns of deltas, for the bulk build. */
class DeltaBuffer {
  length = 0;
  site = new Int32Array(1 << 16);
  day = new Int32Array(1 << 16);
  /** A component, or a share value. */
  what = new Uint8Array(1 << 16);
  delta = new Int8Array(1 << 16);

  push(site: number, day: number, what: number, delta: number): void {
    if (this.length === this.site.length) {
      const size = this.length * 2;
      const site = new Int32Array(size);
      site.set(this.site);
      const days = new Int32Array(size);
      days.set(this.day);
      const what = new Uint8Array(size);
      what.set(this.what);
      const delta = new Int8Array(size);
      delta.set(this.delta);
      Object.assign(this, { site, day: days, what, delta });
    }
    const i = this.length++;
    this.site[i] = site;
    this.day[i] = day;
    this.what[i] = what;
    this.delta[i] = delta;
  }

  /** Indexes ordered by (site, day), in two counting sorts: linear in the deltas, days and site ids. */
  order(): Int32Array {
    const n = this.length;
    let minDay = END;
    let maxDay = -END;
    let maxSite = 0;
    for (let i = 0; i < n; i++) {
      const d = this.day[i]!;
      if (d < minDay) minDay = d;
      if (d > maxDay) maxDay = d;
      if (this.site[i]! > maxSite) maxSite = this.site[i]!;
    }
    if (n === 0) return new Int32Array(0);
    const byDay = countingSort(n, maxDay - minDay + 1, (i) => this.day[i]! - minDay, null);
    return countingSort(n, maxSite + 1, (i) => this.site[i]!, byDay);
  }
}

/** A stable counting sort of `order` (or 0…n−1) by key(i) in [0, keys). */
export function countingSort(
  n: number,
  keys: number,
  key: (i: number) => number,
  order: Int32Array | null,
): Int32Array {
  const start = new Int32Array(keys + 1);
  for (let i = 0; i < n; i++) start[key(i) + 1]!++;
  for (let k = 0; k < keys; k++) start[k + 1]! += start[k]!;
  const out = new Int32Array(n);
  for (let j = 0; j < n; j++) {
    const i = order ? order[j]! : j;
    out[start[key(i)]!++] = i;
  }
  return out;
}

/** The running counts of every site, keyed by site id. */
export class SeriesStore {
  private readonly series = new Map<number, SiteSeries>();
  private static readonly EMPTY = new SiteSeries(1, 1);

  constructor(private readonly rules: ContributionRules) {}

  /** The series of a site (an empty one when nothing was counted for it). */
  of(siteId: number): SiteSeries {
    return this.series.get(siteId) ?? SeriesStore.EMPTY;
  }

  /** Rebuilds every site's counts from every stall (site id 0: none). */
  rebuild(stalls: number, siteOf: (stall: number) => number, rowsOf: (stall: number) => StallRows): void {
    const counts = new DeltaBuffer();
    const shares = new DeltaBuffer();
    let site = 0;
    const sink: ContributionSink = {
      count: (day, component, delta) => counts.push(site, day, component, delta),
      share: (day, value, delta) => shares.push(site, day, value, delta),
    };
    for (let stall = 1; stall <= stalls; stall++) {
      site = siteOf(stall);
      if (site > 0) stallContribution(rowsOf(stall), this.rules, 1, sink);
    }
    this.series.clear();
    const row = new Int32Array(K);
    const countOrder = counts.order();
    for (let j = 0; j < countOrder.length;) {
      const siteId = counts.site[countOrder[j]!]!;
      let end = j;
      let days = 0;
      let stalls = 0;
      for (let previous = NONE; end < countOrder.length && counts.site[countOrder[end]!] === siteId; end++) {
        const i = countOrder[end]!;
        const d = counts.day[i]!;
        if (d !== previous) days++;
        previous = d;
        if (counts.what[i] === C_EXISTS) stalls += counts.delta[i]!;
      }
      const target = new SiteSeries(days, 4, stalls > WIDE_AFTER_STALLS);
      row.fill(0);
      while (j < end) {
        const d = counts.day[countOrder[j]!]!;
        for (; j < end && counts.day[countOrder[j]!] === d; j++) {
          const i = countOrder[j]!;
          row[counts.what[i]!]! += counts.delta[i]!;
        }
        target.appendRow(d, row, 0);
      }
      this.series.set(siteId, target);
    }
    const shareOrder = shares.order();
    for (const i of shareOrder) {
      const siteId = shares.site[i]!;
      let target = this.series.get(siteId);
      if (!target) this.series.set(siteId, (target = new SiteSeries()));
      target.appendShare(shares.day[i]!, shares.what[i]!, shares.delta[i]!);
    }
  }

  /** Adds (sign 1) or takes out (sign −1) one stall's contribution to a site's counts. */
  apply(siteId: number, rows: StallRows, sign: number): void {
    if (siteId <= 0) return;
    let target = this.series.get(siteId);
    if (!target) this.series.set(siteId, (target = new SiteSeries()));
    const site = target;
    stallContribution(rows, this.rules, sign, {
      count: (day, component, delta) => site.add(day, component, delta),
      share: (day, value, delta) => site.addShare(day, value, delta),
    });
    if (sign > 0) site.widenIfLarge();
  }

  /**
   * Replaces a stall's contribution: `before` under its old site, `after` under its new one. On the same
   * site only the net change is applied (the two contributions agree up to the day the stall changed, so a
   * row added today costs today's few deltas, not the stall's whole history twice).
   */
  change(oldSite: number, before: StallRows, newSite: number, after: StallRows): void {
    if (oldSite !== newSite) {
      this.apply(oldSite, before, -1);
      this.apply(newSite, after, 1);
      return;
    }
    if (newSite <= 0) return;
    // Keys: 32·day + component (K < 32) and 128·day + share value (< 128): one number per (day, what).
    const counts = new Map<number, number>();
    const shares = new Map<number, number>();
    const sink: ContributionSink = {
      count: (day, component, delta) =>
        counts.set(day * 32 + component, (counts.get(day * 32 + component) ?? 0) + delta),
      share: (day, value, delta) => shares.set(day * 128 + value, (shares.get(day * 128 + value) ?? 0) + delta),
    };
    stallContribution(before, this.rules, -1, sink);
    stallContribution(after, this.rules, 1, sink);
    let site = this.series.get(newSite);
    if (!site) this.series.set(newSite, (site = new SiteSeries()));
    for (const [key, delta] of counts) {
      if (delta !== 0) site.add(Math.floor(key / 32), key - Math.floor(key / 32) * 32, delta);
    }
    for (const [key, delta] of shares) {
      if (delta !== 0) site.addShare(Math.floor(key / 128), key - Math.floor(key / 128) * 128, delta);
    }
    site.widenIfLarge();
  }

  get bytes(): number {
    let total = 0;
    for (const site of this.series.values()) total += site.bytes;
    return total;
  }
}

/** One site's visits with a user, summed per (day, user), ordered by day then user. */
class SiteVisits {
  n = 0;
  day = new Int32Array(4);
  user = new Int32Array(4);
  visits = new Int32Array(4);
  onboarded = new Int32Array(4);

  add(day: number, user: number, visits: number, onboarded: number): void {
    let lo = 0;
    let hi = this.n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.day[mid]! < day || (this.day[mid] === day && this.user[mid]! < user)) lo = mid + 1;
      else hi = mid;
    }
    if (lo < this.n && this.day[lo] === day && this.user[lo] === user) {
      this.visits[lo]! += visits;
      this.onboarded[lo]! += onboarded;
      return;
    }
    if (this.n === this.day.length) this.grow();
    for (const column of [this.day, this.user, this.visits, this.onboarded]) column.copyWithin(lo + 1, lo, this.n);
    this.day[lo] = day;
    this.user[lo] = user;
    this.visits[lo] = visits;
    this.onboarded[lo] = onboarded;
    this.n++;
  }

  /** The first entry on or after `day`. */
  firstFrom(day: number): number {
    return upperBound(this.day, this.n, day - 1);
  }

  private grow(): void {
    const size = this.n * 2;
    const copy = (column: Int32Array) => {
      const grown = new Int32Array(size);
      grown.set(column);
      return grown;
    };
    this.day = copy(this.day);
    this.user = copy(this.user);
    this.visits = copy(this.visits);
    this.onboarded = copy(this.onboarded);
  }
}

/** A visit as the log holds it. */
export interface VisitColumns {
  readonly length: number;
  readonly day: Int32Array;
  readonly user: Int32Array;
  readonly stall: Int32Array;
  readonly onboarded: Uint8Array;
}

/**
 * Visits per site, day and volunteer, so that volunteer activity over a window costs the entries of the
 * scope's sites in the window, not a pass over every visit. Keyed by site id; visits without a user are
 * not counted (activity names volunteers).
 */
export class VisitTotals {
  private readonly sites = new Map<number, SiteVisits>();

  rebuild(log: VisitColumns, siteOf: (stall: number) => number): void {
    this.sites.clear();
    for (let i = 0; i < log.length; i++) this.add(siteOf(log.stall[i]!), log.day[i]!, log.user[i]!, log.onboarded[i]!);
  }

  add(siteId: number, day: number, user: number, onboarded: number): void {
    if (siteId <= 0 || user < 0) return;
    let site = this.sites.get(siteId);
    if (!site) this.sites.set(siteId, (site = new SiteVisits()));
    site.add(day, user, 1, onboarded);
  }

  /** Calls fn for each (day, user) of the site with visits on days from … to. */
  forEach(
    siteId: number,
    from: number,
    to: number,
    fn: (day: number, user: number, visits: number, onboarded: number) => void,
  ): void {
    const site = this.sites.get(siteId);
    if (!site) return;
    for (let e = site.firstFrom(from); e < site.n && site.day[e]! <= to; e++) {
      fn(site.day[e]!, site.user[e]!, site.visits[e]!, site.onboarded[e]!);
    }
  }
}
