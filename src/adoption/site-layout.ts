/**
 * Which stalls each site holds, for the walks that need the stalls themselves (data-quality lists, the
 * follow-ups due): a counting sort of every stall by site (CSR: `stalls[start[i] … start[i + 1])`), built
 * once, plus the stalls placed since, per site. A new stall or a stall moved to another site is placed in
 * O(1); without this, every onboarding on a national registry re-sorted a million stalls before the next
 * walk. A stall's current site is `siteOf(id)`: a CSR entry whose stall has moved away is skipped. The sort
 * is redone only when the placed stalls grow past a share of the whole.
 */
export class SiteLayout {
  /** Site index of each stall id now (-1: none or unknown site). */
  private current = new Int32Array(1);
  /** Site index of each stall id when the CSR block was built (-1: not in it). */
  private sorted = new Int32Array(0);
  private start = new Int32Array(1);
  private stalls = new Int32Array(0);
  /** Stalls placed on a site since the sort, by site index; an id at most once per site. */
  private placed = new Map<number, number[]>();
  private placedCount = 0;

  /**
   * The CSR block from each stall's site index (`indexOf(id)`: -1 for none), ids ascending within a site.
   * `maxStallId` bounds the ids; `siteCount` is the number of site indexes.
   */
  build(maxStallId: number, siteCount: number, indexOf: (id: number) => number): void {
    const current = new Int32Array(maxStallId + 1).fill(-1);
    const start = new Int32Array(siteCount + 1);
    for (let id = 1; id <= maxStallId; id++) {
      const index = indexOf(id);
      if (index < 0) continue;
      current[id] = index;
      start[index + 1]!++;
    }
    for (let i = 0; i < siteCount; i++) start[i + 1]! += start[i]!;
    const next = start.slice(0, siteCount);
    const stalls = new Int32Array(start[siteCount]!);
    for (let id = 1; id <= maxStallId; id++) {
      const index = current[id]!;
      if (index >= 0) stalls[next[index]!++] = id;
    }
    this.current = current;
    this.sorted = current.slice();
    this.start = start;
    this.stalls = stalls;
    this.placed = new Map();
    this.placedCount = 0;
  }

  /**
   * The stall is on site `index` now (-1: none). Returns false once so many stalls were placed that walking
   * them beside the CSR block costs more than sorting again: the caller then rebuilds.
   */
  place(id: number, index: number): boolean {
    if (id >= this.current.length) {
      const grown = new Int32Array(Math.max(id + 1, this.current.length * 2)).fill(-1);
      grown.set(this.current);
      this.current = grown;
    }
    this.current[id] = index;
    const inSorted = id < this.sorted.length ? this.sorted[id]! : -1;
    if (index >= 0 && index !== inSorted) {
      const list = this.placed.get(index);
      if (!list) this.placed.set(index, [id]);
      else if (!list.includes(id)) list.push(id);
      else return true;
      this.placedCount++;
    }
    return this.placedCount <= Math.max(10_000, this.stalls.length >> 4);
  }

  /** The site index of a stall now, -1 for none. */
  siteOf(id: number): number {
    return id > 0 && id < this.current.length ? this.current[id]! : -1;
  }

  /** Calls `visit` for each stall on site `index` now: the sorted ones ascending, then those placed since. */
  forEachStall(index: number, visit: (id: number) => void): void {
    const { current, stalls } = this;
    for (let k = this.start[index]!, end = this.start[index + 1]!; k < end; k++) {
      const id = stalls[k]!;
      if (current[id] === index) visit(id);
    }
    const placed = this.placed.get(index);
    if (!placed) return;
    for (const id of placed) {
      // Placed here and moved on again, or back into its sorted site (visited above).
      if (current[id] === index && (id >= this.sorted.length || this.sorted[id] !== index)) visit(id);
    }
  }
}
