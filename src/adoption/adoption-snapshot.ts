/**
 * The registry in the shape the adoption figures need, held in memory: every stall's status history and
 * follow-up visits as compact per-stall timelines (typed arrays, rows sorted by time then id), every visit
 * as (day, user, stall, onboarded), the stalls of each site, and the small reference tables (units, sites,
 * campaigns).
 *
 * Why in memory: the figures are asked "as of any date", for a dashboard that also wants last week and a
 * 12-week trend. From the timelines the snapshot keeps per-site running counts (site-series.ts: for each
 * site and each day with a change, the counts by status, reason and follow-up as of that day, and the
 * transfer shares), so a figure as of D is one binary search per site: O(sites × dates asked), the same at
 * a thousand stalls or a million. The stall timelines stay for what needs the stalls themselves (a site's
 * stall list, the data-quality lists) and for keeping the counts right: a changed stall's old contribution
 * is taken out and its new one put in. Visits are summed per site, day and volunteer for the activity
 * figures. The price: ≈ 60 MB per million stalls for the timelines and about as much for the counts, and a
 * build of a few seconds for a national registry (warm() at startup).
 *
 * Staying correct: before each use the snapshot asks SQLite whether anything changed (PRAGMA data_version
 * for other connections, total_changes() for this one: two tiny queries). If so, it re-reads the reference
 * tables, the stalls added, and — because history and visits are append-only (the registry never updates
 * or deletes them; they are the audit trail) — only the rows with an id above the last one seen; the
 * timelines of the stalls those rows touch are re-read whole, and their counts redone. A shrinking max(id)
 * (rows deleted), a read made inside a transaction that might roll back or a failed refresh forces a full
 * rebuild. A stall's site is read when the stall appears and again whenever it gets a status change or a
 * visit.
 *
 * Owned by whoever composes the app (createAdoptionSnapshot, once per database) and shared by every
 * adoption service. The reads are asynchronous (DataAccess), so a refresh and the answer computed on it
 * run as one turn (read()): inside one read transaction, one turn at a time, so that no other request's
 * refresh changes the arrays between an await and the next line.
 *
 * Days: every timestamp becomes a Vietnam calendar day number (adoption-maths.ts), so "as of D" is
 * `day ≤ dayNumber(D)`: the same as `timestamp < D+1 00:00 +07:00`.
 */
import type { SiteKind } from '../vocabulary/site-kinds.js';
import { vietnamDayOf } from '../calendar/calendar.js';
import { DEFAULT_FOLLOW_UP_DAYS } from '../config.js';
import { CHUNK_IDS, NO_REASON, type AdoptionRepo, type NameCheckChunk } from './adoption-repo.js';
import { NameChecks, type NameCheckRow } from './name-checks.js';
import { OneAtATime } from './one-at-a-time.js';
import { SiteLayout } from './site-layout.js';
import {
  C_DISPLAYED,
  C_EXISTS,
  C_FOLLOWED,
  C_REASON,
  C_STALE,
  K,
  SeriesStore,
  VisitTotals,
  type StallRows,
} from './site-series.js';
import {
  groupRows,
  inForce,
  siteTermsOf,
  timelineOf,
  SINCE_ALWAYS,
  type CampaignInfo,
  type Dated,
  type OwnTerms,
  type SiteTerms,
} from './adoption-terms.js';

/** Status codes: indexes in STALL_STATUSES. */
export const S_QR_VERIFIED = 2;
export const S_INSTALLED = 3;
export const S_REFUSED = 4;
export const S_CLOSED = 5;
export const STATUS_COUNT = 6;
export const REASON_COUNT = 5;
/** Refusal reason index of 'other', where unknown reasons go. */
export const REASON_OTHER = 4;
/** Follow-up sticker code of 'yes'. */
export const STICKER_YES = 0;
/**
 * Installed stalls with no follow-up and no installation for this many days are flagged, unless the snapshot
 * is given another threshold (Config.followUpDays, PHOQR_FOLLOW_UP_DAYS).
 */
export const STALE_FOLLOW_UP_DAYS = DEFAULT_FOLLOW_UP_DAYS;
/** A day number no date reaches. */
export const NEVER = 2 ** 31 - 1;

const EMPTY_I32 = new Int32Array(0);
const EMPTY_U8 = new Uint8Array(0);
const EMPTY_I16 = new Int16Array(0);

export type { CampaignInfo, SiteTerms } from './adoption-terms.js';

export interface CommuneInfo {
  readonly code: string;
  readonly provinceCode: string;
  readonly name: string;
}

export interface SiteInfo {
  readonly id: number;
  /** Position in Reference.sites and in every per-site array of a tally. */
  readonly index: number;
  readonly kind: SiteKind;
  readonly name: string;
  readonly communeCode: string;
  readonly provinceCode: string;
  /** Vietnam day of created_at (NEVER when unreadable). */
  readonly createdDay: number;
  readonly launchedOn: string | null;
  /** Its campaign, target and deadline over time, oldest first (adoption-terms.ts): see termsAt(). */
  readonly terms: readonly SiteTerms[];
}

/** The campaign, target and deadline in force for a site on a day. */
export function termsAt(site: SiteInfo, day: number): SiteTerms {
  return inForce(site.terms, day);
}

/** A campaign's target, start and deadline in force on a day (its current name); undefined when unknown. */
export function campaignAt(ref: Reference, id: number, day: number): CampaignInfo | undefined {
  const versions = ref.campaignTerms.get(id);
  return versions ? inForce(versions, day).value : undefined;
}

export interface Reference {
  readonly provinces: ReadonlyMap<string, string>;
  readonly communes: ReadonlyMap<string, CommuneInfo>;
  readonly communesByProvince: ReadonlyMap<string, readonly CommuneInfo[]>;
  /** By id, ascending. */
  readonly sites: readonly SiteInfo[];
  readonly siteById: ReadonlyMap<number, SiteInfo>;
  /** Today's values (the latest row of each). */
  readonly campaigns: ReadonlyMap<number, CampaignInfo>;
  /** Each campaign's values over time. */
  readonly campaignTerms: ReadonlyMap<number, readonly Dated<CampaignInfo>[]>;
}

export interface TimelineView {
  readonly start: Int32Array;
  /** Stall ids below this have their rows in the CSR block. */
  readonly capacity: number;
  readonly day: Int32Array;
  readonly a: Uint8Array;
  readonly b: Int16Array;
  readonly inOverflow: Uint8Array;
}

export interface Span {
  day: Int32Array;
  a: Uint8Array;
  b: Int16Array;
  s: number;
  e: number;
}

function newSpan(): Span {
  return { day: EMPTY_I32, a: EMPTY_U8, b: EMPTY_I16, s: 0, e: 0 };
}

interface TimelineRow {
  id: number;
  ms: number;
  a: number;
  b: number;
}

/** Growable columns of unsorted timeline rows, for the build. */
class RowBuffer {
  length = 0;
  stall = new Int32Array(1 << 16);
  id = new Float64Array(1 << 16);
  ms = new Float64Array(1 << 16);
  a = new Uint8Array(1 << 16);
  b = new Int16Array(1 << 16);

  push(stall: number, id: number, ms: number, a: number, b: number): void {
    if (this.length === this.stall.length) this.grow();
    const i = this.length++;
    this.stall[i] = stall;
    this.id[i] = id;
    this.ms[i] = ms;
    this.a[i] = a;
    this.b[i] = b;
  }

  private grow(): void {
    const size = this.stall.length * 2;
    const stall = new Int32Array(size);
    stall.set(this.stall);
    const id = new Float64Array(size);
    id.set(this.id);
    const ms = new Float64Array(size);
    ms.set(this.ms);
    const a = new Uint8Array(size);
    a.set(this.a);
    const b = new Int16Array(size);
    b.set(this.b);
    Object.assign(this, { stall, id, ms, a, b });
  }
}

/**
 * Per-stall rows sorted by (time, id), as day numbers and two small payload columns: a CSR block built at
 * once, plus whole timelines re-read since (they replace the block's rows of their stall).
 */
class Timelines {
  /** Rows of stall id live in [start[id], start[id + 1]) for id < baseCapacity. */
  private start = new Int32Array(1);
  private baseCapacity = 0;
  private day: Int32Array = EMPTY_I32;
  private a: Uint8Array = EMPTY_U8;
  private b: Int16Array = EMPTY_I16;
  private overflow = new Map<number, { day: Int32Array; a: Uint8Array; b: Int16Array }>();
  /** 1 for the stall ids in `overflow`: a byte test in the hot loop instead of a map lookup per stall. */
  private inOverflow = new Uint8Array(0);
  private overflowRows = 0;
  /** The time of each stall's last row (-Infinity: none), so that new rows can be appended without a re-read. */
  private lastMsOf = new Float64Array(0);

  get rows(): number {
    return this.day.length + this.overflowRows;
  }

  /** The raw arrays, for hot loops that read the CSR block inline and fall back to locate() for overflow. */
  view(): TimelineView {
    return {
      start: this.start,
      capacity: this.baseCapacity,
      day: this.day,
      a: this.a,
      b: this.b,
      inOverflow: this.inOverflow,
    };
  }

  /** The span of a stall, written into `out` (reused: no allocation per stall in the hot loops). */
  locate(id: number, out: Span): void {
    if (id < this.inOverflow.length && this.inOverflow[id] === 1) {
      const extra = this.overflow.get(id)!;
      out.day = extra.day;
      out.a = extra.a;
      out.b = extra.b;
      out.s = 0;
      out.e = extra.day.length;
      return;
    }
    out.day = this.day;
    out.a = this.a;
    out.b = this.b;
    if (id < this.baseCapacity) {
      out.s = this.start[id]!;
      out.e = this.start[id + 1]!;
    } else {
      out.s = 0;
      out.e = 0;
    }
  }

  /** Builds the CSR block from unsorted rows of stalls 0 … capacity. */
  build(rows: RowBuffer, capacity: number): void {
    const n = rows.length;
    const start = new Int32Array(capacity + 2);
    for (let r = 0; r < n; r++) start[rows.stall[r]! + 1]!++;
    for (let id = 0; id <= capacity; id++) start[id + 1]! += start[id]!;
    const next = start.slice(0, capacity + 1);
    const order = new Int32Array(n);
    for (let r = 0; r < n; r++) order[next[rows.stall[r]!]!++] = r;
    // Rows of one stall are few and mostly in order already: insertion sort by (time, id).
    const { ms, id: ids } = rows;
    for (let stall = 0; stall <= capacity; stall++) {
      const s = start[stall]!;
      const e = start[stall + 1]!;
      for (let i = s + 1; i < e; i++) {
        const r = order[i]!;
        let j = i - 1;
        while (j >= s) {
          const q = order[j]!;
          if (ms[q]! < ms[r]! || (ms[q] === ms[r] && ids[q]! < ids[r]!)) break;
          order[j + 1] = q;
          j--;
        }
        order[j + 1] = r;
      }
    }
    this.day = new Int32Array(n);
    this.a = new Uint8Array(n);
    this.b = new Int16Array(n);
    for (let i = 0; i < n; i++) {
      const r = order[i]!;
      this.day[i] = vietnamDayOf(ms[r]!);
      this.a[i] = rows.a[r]!;
      this.b[i] = rows.b[r]!;
    }
    this.lastMsOf = new Float64Array(capacity + 1).fill(-Infinity);
    for (let stall = 0; stall <= capacity; stall++) {
      if (start[stall + 1]! > start[stall]!) this.lastMsOf[stall] = ms[order[start[stall + 1]! - 1]!]!;
    }
    this.start = start;
    this.baseCapacity = capacity + 1;
    this.clearOverflow();
  }

  /** Replaces a stall's whole timeline (rows in any order). */
  replace(id: number, rows: TimelineRow[]): void {
    rows.sort((x, y) => x.ms - y.ms || x.id - y.id);
    this.setLastMs(id, rows.length > 0 ? rows[rows.length - 1]!.ms : -Infinity);
    this.setOverflow(
      id,
      Int32Array.from(rows, (row) => vietnamDayOf(row.ms)),
      Uint8Array.from(rows, (row) => row.a),
      Int16Array.from(rows, (row) => row.b),
    );
  }

  /** The time of a stall's last row; -Infinity when it has none. */
  lastMs(id: number): number {
    return id < this.lastMsOf.length ? this.lastMsOf[id]! : -Infinity;
  }

  private setLastMs(id: number, ms: number): void {
    if (id >= this.lastMsOf.length) {
      const grown = new Float64Array(Math.max(id + 1, this.lastMsOf.length * 2, 1024)).fill(-Infinity);
      grown.set(this.lastMsOf);
      this.lastMsOf = grown;
    }
    this.lastMsOf[id] = ms;
  }

  /**
   * Adds rows after every row the stall has: sorted by time and id, the first no earlier than lastMs(id)
   * (ids only grow, so a tie in time goes after the rows already there).
   */
  append(id: number, rows: readonly TimelineRow[]): void {
    if (rows.length === 0) return;
    this.setLastMs(id, rows[rows.length - 1]!.ms);
    const span = newSpan();
    this.locate(id, span);
    const kept = span.e - span.s;
    const day = new Int32Array(kept + rows.length);
    const a = new Uint8Array(day.length);
    const b = new Int16Array(day.length);
    day.set(span.day.subarray(span.s, span.e));
    a.set(span.a.subarray(span.s, span.e));
    b.set(span.b.subarray(span.s, span.e));
    rows.forEach((row, i) => {
      day[kept + i] = vietnamDayOf(row.ms);
      a[kept + i] = row.a;
      b[kept + i] = row.b;
    });
    this.setOverflow(id, day, a, b);
  }

  private setOverflow(id: number, day: Int32Array, a: Uint8Array, b: Int16Array): void {
    const previous = this.overflow.get(id);
    if (previous) this.overflowRows -= previous.day.length;
    this.overflow.set(id, { day, a, b });
    this.overflowRows += day.length;
    if (id >= this.inOverflow.length) {
      const grown = new Uint8Array(Math.max(id + 1, this.inOverflow.length * 2, 1024));
      grown.set(this.inOverflow);
      this.inOverflow = grown;
    }
    this.inOverflow[id] = 1;
  }

  /**
   * Folds the re-read timelines back into one CSR block once they hold `afterRows` rows and an eighth of
   * the block (afterRows 0: as soon as there is one).
   */
  compactIfLarge(capacity: number, afterRows: number): void {
    if (
      this.overflowRows === 0 ||
      this.overflowRows < afterRows ||
      (afterRows > 0 && this.overflowRows < this.day.length >> 3)
    )
      return;
    const span = newSpan();
    const start = new Int32Array(capacity + 2);
    for (let id = 0; id <= capacity; id++) {
      this.locate(id, span);
      start[id + 1] = start[id]! + span.e - span.s;
    }
    const total = start[capacity + 1]!;
    const day = new Int32Array(total);
    const a = new Uint8Array(total);
    const b = new Int16Array(total);
    for (let id = 0; id <= capacity; id++) {
      this.locate(id, span);
      day.set(span.day.subarray(span.s, span.e), start[id]!);
      a.set(span.a.subarray(span.s, span.e), start[id]!);
      b.set(span.b.subarray(span.s, span.e), start[id]!);
    }
    Object.assign(this, { start, baseCapacity: capacity + 1, day, a, b });
    this.clearOverflow();
  }

  private clearOverflow(): void {
    this.overflow.clear();
    this.inOverflow = new Uint8Array(0);
    this.overflowRows = 0;
  }
}

/** Every visit, for volunteer activity: appended in id order, never changed. */
class VisitLog {
  length = 0;
  day = new Int32Array(1 << 16);
  /** -1 for a visit without a user. */
  user = new Int32Array(1 << 16);
  stall = new Int32Array(1 << 16);
  onboarded = new Uint8Array(1 << 16);

  push(day: number, user: number, stall: number, onboarded: number): void {
    if (this.length === this.day.length) {
      const size = this.day.length * 2;
      const day = new Int32Array(size);
      day.set(this.day);
      const user = new Int32Array(size);
      user.set(this.user);
      const stall = new Int32Array(size);
      stall.set(this.stall);
      const flag = new Uint8Array(size);
      flag.set(this.onboarded);
      Object.assign(this, { day, user, stall, onboarded: flag });
    }
    const i = this.length++;
    this.day[i] = day;
    this.user[i] = user;
    this.stall[i] = stall;
    this.onboarded[i] = onboarded;
  }
}

/** What one date gives for the stalls of a scope, per site (arrays indexed by SiteInfo.index). */
export interface DateTally {
  readonly day: number;
  /** [site * STATUS_COUNT + status] */
  readonly counts: Int32Array;
  /** [site * REASON_COUNT + reason] for refused stalls. */
  readonly refusals: Int32Array;
  readonly followedUp: Int32Array;
  readonly displayed: Int32Array;
  /** Installed stalls not contacted for the snapshot's followUpDays. */
  readonly stale: Int32Array;
  /** 1 when at least one stall of the site exists by the date. */
  readonly stallExists: Uint8Array;
  /** shareHistogram[v]: census stalls whose last reported transfer share by the date is v. */
  readonly shareHistogram: Int32Array;
  /** With `detail`: stalls for the data-quality checks. */
  readonly detail: {
    /** Installed stalls to follow up, and the day of their last contact. */
    readonly staleIds: number[];
    readonly staleContact: number[];
    /** QR-verified or installed stalls (they need a name-checked account). */
    readonly acceptingIds: number[];
  } | null;
}

/**
 * Days to measure a site's coverage on besides the points (the day before each start of its schedule): the
 * start days of site index i are days[offsets[i] … offsets[i + 1]), each a "slot" of the result.
 */
export interface StartDays {
  readonly offsets: Int32Array;
  readonly days: Int32Array;
}

/** Coverage of a scope's sites on several dates (arrays [site * points + point]). */
export interface PointsTally {
  readonly days: readonly number[];
  readonly installed: Int32Array;
  readonly census: Int32Array;
  readonly stallExists: Uint8Array;
  /** For each start slot (StartDays): installed and census of its site as of its day. */
  readonly startInstalled: Int32Array;
  readonly startCensus: Int32Array;
  /** First history day of any stall of the site (NEVER for none). */
  readonly firstDay: Int32Array;
}

export class AdoptionSnapshot {
  /** Moves whenever the snapshot changed, so derived caches can key on it. */
  version = 0;
  ref!: Reference;
  /** Site id of each stall id (0: none). */
  private stallSiteId = new Int32Array(1);
  /** The stalls of each site index, derived from stallSiteId and ref (site-layout.ts). */
  private readonly layout = new SiteLayout();
  private layoutStale = true;
  private maxStallId = 0;
  private maxHistoryId = 0;
  private maxVisitId = 0;
  private readonly history = new Timelines();
  private readonly followUps = new Timelines();
  private visits = new VisitLog();
  private changeKey = '';
  private referenceStamp: string | null = null;
  private rebuildNeeded = true;
  private readonly span = newSpan();
  private readonly followSpan = newSpan();
  /** Per-site running counts (site-series.ts): what every figure as of a date is read from. */
  private readonly series: SeriesStore;
  private readonly visitTotals = new VisitTotals();
  /** Name-checked accounts per stall (name-checks.ts), kept up to date from the account change log. */
  private readonly nameChecks = new NameChecks();
  private maxAccountChangeId = 0;
  /** A stall changed site since visitTotals was built: rebuilt before the next activity question. */
  private visitTotalsStale = false;
  private readonly rows: {
    hDay: Int32Array;
    hA: Uint8Array;
    hB: Int16Array;
    hs: number;
    he: number;
    fDay: Int32Array;
    fA: Uint8Array;
    fB: Int16Array;
    fs: number;
    fe: number;
  } = {
    hDay: EMPTY_I32,
    hA: EMPTY_U8,
    hB: EMPTY_I16,
    hs: 0,
    he: 0,
    fDay: EMPTY_I32,
    fA: EMPTY_U8,
    fB: EMPTY_I16,
    fs: 0,
    fe: 0,
  };
  /** Refreshes and the reads made on them, one at a time (see read()). */
  private readonly turns = new OneAtATime();

  constructor(
    private readonly repo: AdoptionRepo,
    /** Re-read timelines are folded back into the CSR block past this many rows (and 1/8 of the block). */
    private readonly compactAfterRows = 50_000,
    /** An installed stall not followed up for this many days is stale (the data-quality check). */
    readonly followUpDays = STALE_FOLLOW_UP_DAYS,
  ) {
    this.series = new SeriesStore({
      installed: S_INSTALLED,
      refused: S_REFUSED,
      closed: S_CLOSED,
      reasonCount: REASON_COUNT,
      reasonOther: REASON_OTHER,
      stickerYes: STICKER_YES,
      staleDays: followUpDays,
    });
  }

  /** A stall's history and follow-ups as the series read them (one reused object: read it before the next call). */
  private rowsOf(stall: number): StallRows {
    const h = this.span;
    const f = this.followSpan;
    this.history.locate(stall, h);
    this.followUps.locate(stall, f);
    const rows = this.rows;
    rows.hDay = h.day;
    rows.hA = h.a;
    rows.hB = h.b;
    rows.hs = h.s;
    rows.he = h.e;
    rows.fDay = f.day;
    rows.fA = f.a;
    rows.fB = f.b;
    rows.fs = f.s;
    rows.fe = f.e;
    return rows;
  }

  /**
   * Runs `work` on a snapshot brought up to date with the database (two tiny queries when nothing
   * changed), as one turn: inside one read transaction (or the caller's), and one turn at a time, so no
   * other refresh changes the snapshot while `work` reads it, even across its awaits. The connection is
   * taken before the turn, so a turn waits only for turns that already hold it: a caller inside a
   * transaction never waits for a refresh that waits for that transaction.
   */
  read<T>(work: () => T | Promise<T>): Promise<T> {
    const callerInTransaction = this.repo.inTransaction();
    return this.repo.reading(() =>
      this.turns.run(async () => {
        await this.refreshNow(callerInTransaction);
        return work();
      }),
    );
  }

  /** Brings the snapshot up to date with the database. */
  refresh(): Promise<void> {
    return this.read(() => undefined);
  }

  /** Forget everything; the next refresh() rebuilds from the database. */
  invalidate(): Promise<void> {
    return this.turns.run(() => {
      this.rebuildNeeded = true;
    });
  }

  private async refreshNow(callerInTransaction: boolean): Promise<void> {
    const dataVersion = await this.repo.dataVersion();
    const key = `${dataVersion}:${await this.repo.totalChanges()}`;
    if (key === this.changeKey && !this.rebuildNeeded) return;
    // The reference is re-read only when a reference table changed (its counter moved), whoever changed it:
    // other processes' onboarding submits do not make every worker re-read every site.
    const stamp = await this.repo.referenceStamp();
    const reloadReference = stamp === null || stamp !== this.referenceStamp;
    try {
      if (this.rebuildNeeded) await this.build();
      else await this.update(reloadReference);
    } catch (error) {
      // Half-read changes (visits appended, counts taken out) must not be built on: start over next time.
      this.rebuildNeeded = true;
      throw error;
    }
    this.referenceStamp = stamp;
    // Rows read inside the caller's transaction may yet be rolled back: start over next time.
    this.rebuildNeeded = callerInTransaction;
    this.changeKey = key;
    this.version++;
  }

  get sizes(): { stalls: number; historyRows: number; followUps: number; visits: number } {
    return {
      stalls: this.maxStallId,
      historyRows: this.history.rows,
      followUps: this.followUps.rows,
      visits: this.visits.length,
    };
  }

  private async build(): Promise<void> {
    this.maxStallId = await this.repo.maxStallId();
    this.maxHistoryId = await this.repo.maxHistoryId();
    this.maxVisitId = await this.repo.maxVisitId();
    this.stallSiteId = new Int32Array(this.maxStallId + 1);
    for (let after = 0; after < this.maxStallId; after += CHUNK_IDS) {
      const chunk = await this.repo.stallSiteChunk(after, Math.min(after + CHUNK_IDS, this.maxStallId));
      const ids = JSON.parse(chunk.ids) as number[];
      const siteIds = JSON.parse(chunk.siteIds) as number[];
      for (let i = 0; i < ids.length; i++) this.stallSiteId[ids[i]!] = siteIds[i]!;
    }
    this.layoutStale = true;
    await this.loadReference();

    const historyRows = new RowBuffer();
    for (let after = 0; after < this.maxHistoryId; after += CHUNK_IDS) {
      const chunk = await this.repo.historyChunk(after, Math.min(after + CHUNK_IDS, this.maxHistoryId));
      const ids = JSON.parse(chunk.ids) as number[];
      const packed = JSON.parse(chunk.packed) as number[];
      const ms = JSON.parse(chunk.ms) as (number | null)[];
      for (let i = 0; i < ids.length; i++) {
        const time = ms[i]!;
        const code = packed[i]!;
        const stall = Math.floor(code / 64);
        // An unreadable timestamp is never "on or before" any date: the row is left out.
        if (time === null || stall > this.maxStallId) continue;
        historyRows.push(stall, ids[i]!, time, (code >> 3) & 7, code & 7);
      }
    }
    this.history.build(historyRows, this.maxStallId);

    const followRows = new RowBuffer();
    this.visits = new VisitLog();
    for (let after = 0; after < this.maxVisitId; after += CHUNK_IDS) {
      await this.readVisits(after, Math.min(after + CHUNK_IDS, this.maxVisitId), (stall, id, time, sticker, share) =>
        followRows.push(stall, id, time, sticker, share),
      );
    }
    this.followUps.build(followRows, this.maxStallId);
    this.series.rebuild(
      this.maxStallId,
      (stall) => this.stallSiteId[stall]!,
      (stall) => this.rowsOf(stall),
    );
    // Built here, with everything else before the server listens: done lazily, the first activity question
    // of a national registry held its worker's event loop for seconds.
    this.rebuildVisitTotals();
    this.ensureLayout();

    // The log first: an account changed while the accounts are read is read again next time.
    this.maxAccountChangeId = await this.repo.maxAccountChangeId();
    const maxAccountId = await this.repo.maxAccountId();
    const checks: NameCheckRow[] = [];
    for (let after = 0; after < maxAccountId; after += CHUNK_IDS) {
      nameCheckRows(await this.repo.nameCheckChunk(after, Math.min(after + CHUNK_IDS, maxAccountId)), checks);
    }
    this.nameChecks.build(checks, this.maxStallId);
    this.rebuildNeeded = false;
  }

  /** Appends the visits with ids in (after, upTo] to the log, and hands their follow-ups to `followUp`. */
  private async readVisits(
    after: number,
    upTo: number,
    followUp: (stall: number, id: number, ms: number, sticker: number, share: number) => void,
  ): Promise<void> {
    const chunk = await this.repo.visitChunk(after, upTo);
    const ids = JSON.parse(chunk.ids) as number[];
    const packed = JSON.parse(chunk.packed) as number[];
    const ms = JSON.parse(chunk.ms) as (number | null)[];
    const users = JSON.parse(chunk.users) as (number | null)[];
    const shares = JSON.parse(chunk.shares) as (number | null)[];
    for (let i = 0; i < ids.length; i++) {
      const time = ms[i]!;
      const code = packed[i]!;
      const stall = Math.floor(code / 64);
      if (time === null || stall > this.maxStallId) continue;
      this.visits.push(vietnamDayOf(time), users[i] ?? -1, stall, (code >> 5) & 1);
      if ((code >> 4) & 1) followUp(stall, ids[i]!, time, (code >> 2) & 3, shares[i] ?? -1);
    }
  }

  private async update(reloadReference: boolean): Promise<void> {
    const maxStallId = await this.repo.maxStallId();
    const maxHistoryId = await this.repo.maxHistoryId();
    const maxVisitId = await this.repo.maxVisitId();
    if (maxStallId < this.maxStallId || maxHistoryId < this.maxHistoryId || maxVisitId < this.maxVisitId) {
      await this.build();
      return;
    }
    if (maxStallId > this.maxStallId) {
      if (maxStallId >= this.stallSiteId.length) {
        const grown = new Int32Array(Math.max(maxStallId + 1, this.stallSiteId.length * 2));
        grown.set(this.stallSiteId);
        this.stallSiteId = grown;
      }
      for (const { id, site_id } of await this.repo.stallSitesAfter(this.maxStallId)) {
        this.stallSiteId[id] = site_id;
        this.placeStall(id);
      }
      this.maxStallId = maxStallId;
    }
    // Everything is read first; the arrays and the running counts then change in one synchronous stretch.
    // History and visits are append-only, so the new rows are read by id and added to their stalls'
    // timelines; only a stall whose new rows go back before its last row (a capture sent late from a
    // phone) is re-read whole.
    const newHistory = new Map<number, TimelineRow[]>();
    for (let after = this.maxHistoryId; after < maxHistoryId; after += CHUNK_IDS) {
      const chunk = await this.repo.historyChunk(after, Math.min(after + CHUNK_IDS, maxHistoryId));
      const ids = JSON.parse(chunk.ids) as number[];
      const packed = JSON.parse(chunk.packed) as number[];
      const ms = JSON.parse(chunk.ms) as (number | null)[];
      for (let i = 0; i < ids.length; i++) {
        const stall = Math.floor(packed[i]! / 64);
        if (stall > this.maxStallId) continue;
        // An unreadable timestamp is left out, as in build(); the stall's site is still read again.
        const rows = newHistory.get(stall) ?? [];
        newHistory.set(stall, rows);
        if (ms[i] !== null) rows.push({ id: ids[i]!, ms: ms[i]!, a: (packed[i]! >> 3) & 7, b: packed[i]! & 7 });
      }
    }
    const newFollowUps = new Map<number, TimelineRow[]>();
    const visitsBefore = this.visits.length;
    for (let after = this.maxVisitId; after < maxVisitId; after += CHUNK_IDS) {
      await this.readVisits(after, Math.min(after + CHUNK_IDS, maxVisitId), (stall, id, ms, sticker, share) => {
        const rows = newFollowUps.get(stall) ?? [];
        newFollowUps.set(stall, rows);
        rows.push({ id, ms, a: sticker, b: share });
      });
    }
    const laterThanAll = (timelines: Timelines, stall: number, rows: TimelineRow[]) => {
      rows.sort((x, y) => x.ms - y.ms || x.id - y.id);
      return rows.length === 0 || rows[0]!.ms >= timelines.lastMs(stall);
    };
    const rereadHistory = [...newHistory.keys()].filter((s) => !laterThanAll(this.history, s, newHistory.get(s)!));
    const rereadFollowUps = [...newFollowUps.keys()].filter(
      (s) => !laterThanAll(this.followUps, s, newFollowUps.get(s)!),
    );
    const touched = [...new Set([...newHistory.keys(), ...newFollowUps.keys()])];
    const accountChangeId = await this.repo.maxAccountChangeId();
    const accountStalls =
      accountChangeId > this.maxAccountChangeId
        ? [...new Set(await this.repo.accountChangesBetween(this.maxAccountChangeId, accountChangeId))]
        : [];
    const accountChecks: NameCheckRow[] = [];
    if (accountStalls.length > 0) nameCheckRows(await this.repo.nameChecksOfStalls(accountStalls), accountChecks);
    // A stall's site is read again whenever it gets a status change or a visit (one query for all of them).
    const sites = touched.length > 0 ? await this.repo.stallSites(touched) : new Map<number, number>();
    const wholeHistory = await wholeTimelines(rereadHistory, this.repo.historyOfStalls, ({ id, packed, ms }) => ({
      id,
      ms,
      a: (packed >> 3) & 7,
      b: packed & 7,
    }));
    const wholeFollowUps = await wholeTimelines(rereadFollowUps, this.repo.followUpsOfStalls, (row) => ({
      id: row.id,
      ms: row.ms,
      a: row.sticker,
      b: row.share ?? -1,
    }));

    // Each changed stall's rows before the change (views of arrays that replacing leaves alone), its site,
    // then the new rows, then its counts: the net change only, or out of the old site and into the new.
    const before = touched.map((stall) => ({ ...this.rowsOf(stall) }));
    const oldSites = touched.map((stall) => this.stallSiteId[stall]!);
    for (const stall of touched) {
      const siteId = sites.get(stall) ?? 0;
      if (siteId !== this.stallSiteId[stall]) {
        this.stallSiteId[stall] = siteId;
        this.placeStall(stall);
        this.visitTotalsStale = true;
      }
    }
    addRows(this.history, newHistory, wholeHistory);
    addRows(this.followUps, newFollowUps, wholeFollowUps);
    touched.forEach((stall, i) => {
      this.series.change(oldSites[i]!, before[i]!, this.stallSiteId[stall]!, this.rowsOf(stall));
    });
    const checksOf = groupRows(accountChecks, (row) => row.stall);
    for (const stall of accountStalls) this.nameChecks.replace(stall, checksOf.get(stall) ?? []);
    this.maxAccountChangeId = accountChangeId;
    if (!this.visitTotalsStale) {
      const v = this.visits;
      for (let i = visitsBefore; i < v.length; i++) {
        this.visitTotals.add(this.stallSiteId[v.stall[i]!]!, v.day[i]!, v.user[i]!, v.onboarded[i]!);
      }
    }
    if (maxHistoryId > this.maxHistoryId) {
      this.maxHistoryId = maxHistoryId;
      this.history.compactIfLarge(this.maxStallId, this.compactAfterRows);
    }
    if (maxVisitId > this.maxVisitId) {
      this.maxVisitId = maxVisitId;
      this.followUps.compactIfLarge(this.maxStallId, this.compactAfterRows);
    }
    // The stall layout (the stalls of each site) is redone only when the lists of stalls ask for it: every
    // new stall would otherwise cost a pass over all stalls on the next refresh.
    if (reloadReference) await this.loadReference();
  }

  /** Units, sites and campaigns, read whole (small); the stall layout is redone when the sites moved. */
  private async loadReference(): Promise<void> {
    const provinces = new Map((await this.repo.provinces()).map((row) => [row.code, row.name]));
    const communes = new Map<string, CommuneInfo>();
    const communesByProvince = new Map<string, CommuneInfo[]>();
    for (const { code, province_code: provinceCode, name } of await this.repo.communes()) {
      const info = { code, provinceCode, name };
      communes.set(code, info);
      const list = communesByProvince.get(provinceCode);
      if (list) list.push(info);
      else communesByProvince.set(provinceCode, [info]);
    }
    // Targets in time: each campaign's and site's values over time, from the histories; an entity
    // without history rows keeps its current columns on every day (adoption-terms.ts).
    const campaignRows = await this.repo.campaigns();
    const campaignHistory = groupRows(await this.repo.campaignTargetHistory(), (row) => row.campaign_id);
    const campaignTerms = new Map<number, Dated<CampaignInfo>[]>();
    const campaigns = new Map<number, CampaignInfo>();
    for (const row of campaignRows) {
      const info = (values: { target_percent: number; starts_on: string; deadline: string }): CampaignInfo => ({
        id: row.id,
        name: row.name,
        targetPercent: values.target_percent,
        startsOn: values.starts_on,
        deadline: values.deadline,
      });
      const history = campaignHistory.get(row.id);
      const timeline = history ? timelineOf(history, info) : [{ fromDay: SINCE_ALWAYS, value: info(row) }];
      campaignTerms.set(row.id, timeline);
      campaigns.set(row.id, timeline[timeline.length - 1]!.value);
    }
    const campaignOf = new Map((await this.repo.campaignSites()).map((row) => [row.site_id, row.campaign_id]));
    const ownHistory = groupRows(await this.repo.siteTargetHistory(), (row) => row.site_id);
    const memberHistory = groupRows(await this.repo.membershipHistory(), (row) => row.site_id);
    const known = (id: number | null) => (id !== null && campaigns.has(id) ? id : null);
    const sites = (await this.repo.sites()).map((row, index): SiteInfo => {
      const { id, kind, name, commune_code: communeCode } = row;
      const ownRows = ownHistory.get(id);
      const own: Dated<OwnTerms>[] = ownRows
        ? timelineOf(ownRows, (r) => ({ targetPercent: r.target_percent, deadline: r.target_deadline }))
        : [{ fromDay: SINCE_ALWAYS, value: { targetPercent: row.target_percent, deadline: row.target_deadline } }];
      const memberRows = memberHistory.get(id);
      const membership: Dated<number | null>[] = memberRows
        ? timelineOf(memberRows, (r) => known(r.campaign_id))
        : [{ fromDay: SINCE_ALWAYS, value: known(campaignOf.get(id) ?? null) }];
      const created = Date.parse(row.created_at);
      return {
        id,
        index,
        kind,
        name,
        communeCode,
        provinceCode: communes.get(communeCode)?.provinceCode ?? '',
        createdDay: Number.isNaN(created) ? NEVER : vietnamDayOf(created),
        launchedOn: row.launched_on,
        terms: siteTermsOf(own, membership, campaignTerms),
      };
    });
    const previous = this.ref?.sites;
    if (!previous || previous.length !== sites.length || previous.some((site, i) => site.id !== sites[i]!.id)) {
      this.layoutStale = true;
    }
    const siteById = new Map(sites.map((site) => [site.id, site]));
    this.ref = { provinces, communes, communesByProvince, sites, siteById, campaigns, campaignTerms };
  }

  private ensureLayout(): void {
    if (this.layoutStale) this.layOut();
  }

  /** Site index of every stall and the stalls of every site (a counting sort by site, ids ascending). */
  private layOut(): void {
    const indexById = new Map(this.ref.sites.map((site) => [site.id, site.index]));
    this.layout.build(this.maxStallId, this.ref.sites.length, (id) => indexById.get(this.stallSiteId[id]!) ?? -1);
    this.layoutStale = false;
  }

  /** A stall new or moved since the layout: placed in it, unless a full layout is due anyway. */
  private placeStall(id: number): void {
    if (this.layoutStale) return;
    const index = this.ref.siteById.get(this.stallSiteId[id]!)?.index ?? -1;
    if (!this.layout.place(id, index)) this.layoutStale = true;
  }

  /** True when the stall had a name-checked account, not retired, at the end of `day`. */
  hasNameCheck(stallId: number, day: number): boolean {
    return this.nameChecks.hadOn(stallId, day);
  }

  /** Site index of a stall, -1 when unknown. */
  siteOfStall(stallId: number): number {
    this.ensureLayout();
    return stallId <= this.maxStallId ? this.layout.siteOf(stallId) : -1;
  }

  /** The stall's status as of `day` (code), the reason code and the day of that row; null before its first row. */
  stallAt(stallId: number, day: number): { status: number; reason: number; since: number } | null {
    if (stallId <= 0 || stallId > this.maxStallId) return null;
    const h = this.span;
    this.history.locate(stallId, h);
    let r = h.e - 1;
    while (r >= h.s && h.day[r]! > day) r--;
    if (r < h.s) return null;
    return { status: h.a[r]!, reason: h.b[r]!, since: h.day[r]! };
  }

  /**
   * The stalls of the given sites (indexes) as of `day`: status counts, refusal reasons, follow-ups,
   * transfer shares and (with `detail`) the stalls the data-quality checks look at.
   */
  tallyAt(sites: readonly number[], day: number, detail: boolean): DateTally {
    return detail ? this.walkStallsAt(sites, day) : this.seriesAt(sites, day);
  }

  /** The tally from the per-site running counts: one binary search per site, whatever its number of stalls. */
  private seriesAt(sites: readonly number[], day: number): DateTally {
    const all = this.ref.sites;
    const nSites = all.length;
    const { counts, refusals, followedUp, displayed, stale, stallExists, shareHistogram } = emptyTally(nSites);
    for (const site of sites) {
      const series = this.series.of(all[site]!.id);
      series.sharesInto(day, shareHistogram);
      const row = series.rowAt(day);
      if (row < 0) continue;
      const base = row * K;
      const cum = series.cum;
      for (let status = 0; status < STATUS_COUNT; status++) counts[site * STATUS_COUNT + status] = cum[base + status]!;
      for (let reason = 0; reason < REASON_COUNT; reason++) {
        refusals[site * REASON_COUNT + reason] = cum[base + C_REASON + reason]!;
      }
      followedUp[site] = cum[base + C_FOLLOWED]!;
      displayed[site] = cum[base + C_DISPLAYED]!;
      stale[site] = cum[base + C_STALE]!;
      stallExists[site] = cum[base + C_EXISTS]! > 0 ? 1 : 0;
    }
    return { day, counts, refusals, followedUp, displayed, stale, stallExists, shareHistogram, detail: null };
  }

  /**
   * The tally from each stall's timeline, with the stalls the data-quality checks name: a walk over every
   * stall of the sites (the lists need the stalls themselves).
   */
  private walkStallsAt(sites: readonly number[], day: number): DateTally {
    const nSites = this.ref.sites.length;
    const { counts, refusals, followedUp, displayed, stale, stallExists, shareHistogram } = emptyTally(nSites);
    const staleIds: number[] = [];
    const staleContact: number[] = [];
    const acceptingIds: number[] = [];
    this.ensureLayout();
    // The CSR blocks read inline (this loop runs once per stall: 200,000 times for a province); stalls
    // re-read since the build go through locate().
    const H = this.history.view();
    const F = this.followUps.view();
    const h = this.span;
    const f = this.followSpan;

    let site = -1;
    const walkStall = (id: number): void => {
      let hDay = H.day;
      let hA = H.a;
      let hB = H.b;
      let hs = 0;
      let he = 0;
      if (id < H.inOverflow.length && H.inOverflow[id] === 1) {
        this.history.locate(id, h);
        ({ day: hDay, a: hA, b: hB, s: hs, e: he } = h);
      } else if (id < H.capacity) {
        hs = H.start[id]!;
        he = H.start[id + 1]!;
      }
      let r = he - 1;
      while (r >= hs && hDay[r]! > day) r--;
      if (r < hs) return;
      const status = hA[r]!;
      stallExists[site] = 1;
      counts[site * STATUS_COUNT + status]!++;
      if (status === S_REFUSED) {
        const reason = hB[r]!;
        refusals[site * REASON_COUNT + (reason < REASON_COUNT ? reason : REASON_OTHER)]!++;
      }
      if (status === S_CLOSED) return;
      if (status === S_QR_VERIFIED || status === S_INSTALLED) acceptingIds.push(id);

      let fDay = F.day;
      let fA = F.a;
      let fB = F.b;
      let fs = 0;
      let fe = 0;
      if (id < F.inOverflow.length && F.inOverflow[id] === 1) {
        this.followUps.locate(id, f);
        ({ day: fDay, a: fA, b: fB, s: fs, e: fe } = f);
      } else if (id < F.capacity) {
        fs = F.start[id]!;
        fe = F.start[id + 1]!;
      }
      let last = fe - 1;
      while (last >= fs && fDay[last]! > day) last--;
      if (status === S_INSTALLED) {
        if (last >= fs) {
          followedUp[site]!++;
          if (fA[last] === STICKER_YES) displayed[site]!++;
        }
        // Last contact: the later of the start of this installed stint and the last follow-up.
        let first = r;
        while (first > hs && hA[first - 1] === S_INSTALLED) first--;
        const contact = Math.max(hDay[first]!, last >= fs ? fDay[last]! : -NEVER);
        if (day - contact >= this.followUpDays) {
          stale[site]!++;
          staleIds.push(id);
          staleContact.push(contact);
        }
      }
      let share = last;
      while (share >= fs && fB[share]! < 0) share--;
      if (share >= fs) shareHistogram[fB[share]!]!++;
    };
    for (const index of sites) {
      site = index;
      this.layout.forEachStall(index, walkStall);
    }
    return {
      day,
      counts,
      refusals,
      followedUp,
      displayed,
      stale,
      stallExists,
      shareHistogram,
      detail: { staleIds, staleContact, acceptingIds },
    };
  }

  /**
   * Installed and census of the given sites (indexes) on each of `days` (ascending), in one walk over each
   * stall's history; and the same as of each start day of a site (`starts`: usually none or one a site).
   */
  tallyPoints(sites: readonly number[], days: readonly number[], starts: StartDays): PointsTally {
    const all = this.ref.sites;
    const nSites = all.length;
    const points = days.length;
    const installed = new Int32Array(nSites * points);
    const census = new Int32Array(nSites * points);
    const stallExists = new Uint8Array(nSites * points);
    const startInstalled = new Int32Array(starts.days.length);
    const startCensus = new Int32Array(starts.days.length);
    const firstDay = new Int32Array(nSites).fill(NEVER);
    for (const site of sites) {
      const series = this.series.of(all[site]!.id);
      const cum = series.cum;
      // Stalls are never removed from a site's history, so "exists" only grows: its first row with one is
      // the site's first history day (unless a stall moved away; then the first row still counting one).
      for (let row = 0; row < series.n; row++) {
        if (cum[row * K + C_EXISTS]! > 0) {
          firstDay[site] = series.days[row]!;
          break;
        }
      }
      const base = site * points;
      // Backwards from the last row: the points are recent (weeks, against years of rows), so this reads
      // the few rows since the first point in order instead of a binary search per point.
      let row = series.n - 1;
      for (let p = points - 1; p >= 0; p--) {
        while (row >= 0 && series.days[row]! > days[p]!) row--;
        if (row < 0) break;
        const exists = cum[row * K + C_EXISTS]!;
        if (exists === 0) continue;
        stallExists[base + p] = 1;
        census[base + p] = exists - cum[row * K + S_CLOSED]!;
        installed[base + p] = cum[row * K + S_INSTALLED]!;
      }
      for (let slot = starts.offsets[site]!, end = starts.offsets[site + 1]!; slot < end; slot++) {
        const row = series.rowAt(starts.days[slot]!);
        if (row < 0) continue;
        startCensus[slot] = cum[row * K + C_EXISTS]! - cum[row * K + S_CLOSED]!;
        startInstalled[slot] = cum[row * K + S_INSTALLED]!;
      }
    }
    return { days, installed, census, stallExists, startInstalled, startCensus, firstDay };
  }

  private rebuildVisitTotals(): void {
    this.visitTotals.rebuild(this.visits, (stall) => (stall < this.stallSiteId.length ? this.stallSiteId[stall]! : 0));
    this.visitTotalsStale = false;
  }

  /**
   * Calls fn for each (day, volunteer) with visits on a stall of the given sites (indexes), on days from … to:
   * visits and stalls onboarded that day. Visits without a user are not counted.
   */
  forEachVisit(
    sites: readonly number[],
    from: number,
    to: number,
    fn: (day: number, user: number, visits: number, onboarded: number) => void,
  ): void {
    // Stale only after a stall moved to another site (rare): its visits are counted under the new one.
    if (this.visitTotalsStale) this.rebuildVisitTotals();
    const all = this.ref.sites;
    for (const site of sites) this.visitTotals.forEach(all[site]!.id, from, to, fn);
  }
}

export interface AdoptionSnapshotOptions {
  /** Re-read timelines are folded back into the main block past this many rows; tests use 0 (at once). */
  readonly compactAfterRows?: number;
  /** Days without a follow-up after which an installed stall is stale (default STALE_FOLLOW_UP_DAYS). */
  readonly followUpDays?: number;
}

/**
 * The one snapshot of a registry: built by whoever composes the app and shared by every adoption service
 * on that database (it is large, and warm() builds it before the server listens).
 */
export function createAdoptionSnapshot(repo: AdoptionRepo, options: AdoptionSnapshotOptions = {}): AdoptionSnapshot {
  return new AdoptionSnapshot(repo, options.compactAfterRows, options.followUpDays);
}

/** Zeroed per-site arrays of a tally (indexed by SiteInfo.index) and its transfer-share histogram. */
function emptyTally(nSites: number) {
  return {
    counts: new Int32Array(nSites * STATUS_COUNT),
    refusals: new Int32Array(nSites * REASON_COUNT),
    followedUp: new Int32Array(nSites),
    displayed: new Int32Array(nSites),
    stale: new Int32Array(nSites),
    stallExists: new Uint8Array(nSites),
    shareHistogram: new Int32Array(101),
  };
}

/** Appends a chunk's readable name checks to `into` (an unreadable check or retirement time never counts). */
function nameCheckRows(chunk: NameCheckChunk, into: NameCheckRow[]): void {
  const stalls = JSON.parse(chunk.stalls) as number[];
  const checked = JSON.parse(chunk.verified) as (number | null)[];
  const retired = JSON.parse(chunk.retired) as (number | null)[];
  for (let i = 0; i < stalls.length; i++) {
    const at = checked[i]!;
    const until = retired[i]!;
    if (at === null || until === null) continue;
    into.push({
      stall: stalls[i]!,
      checkedDay: vietnamDayOf(at),
      retiredDay: until === -1 ? NEVER : vietnamDayOf(until),
    });
  }
}

/**
 * The whole timelines of the given stalls, read again, as timeline rows (rows with an unreadable time are
 * left out, as in the build).
 */
async function wholeTimelines<R extends { stall_id: number; ms: number | null }>(
  stalls: readonly number[],
  read: (ids: readonly number[]) => Promise<R[]>,
  toRow: (row: R & { ms: number }) => TimelineRow,
): Promise<Map<number, TimelineRow[]>> {
  const whole = new Map<number, TimelineRow[]>();
  if (stalls.length === 0) return whole;
  for (const [stall, rows] of rowsByStall(stalls, await read(stalls))) {
    whole.set(stall, rows.filter((row): row is R & { ms: number } => row.ms !== null).map(toRow));
  }
  return whole;
}

/** Each stall's new rows appended, or its timeline replaced by the whole one read again. */
function addRows(
  timelines: Timelines,
  added: ReadonlyMap<number, TimelineRow[]>,
  whole: ReadonlyMap<number, TimelineRow[]>,
): void {
  for (const [stall, rows] of added) {
    const all = whole.get(stall);
    if (all) timelines.replace(stall, all);
    else timelines.append(stall, rows);
  }
}

/** Rows grouped by stall, every stall of `stalls` present (with [] when it has none). */
function rowsByStall<R extends { stall_id: number }>(stalls: readonly number[], rows: readonly R[]): Map<number, R[]> {
  const byStall = new Map<number, R[]>(stalls.map((stall) => [stall, []]));
  for (const row of rows) byStall.get(row.stall_id)?.push(row);
  return byStall;
}

export { NO_REASON };
