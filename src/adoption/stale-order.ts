/**
 * Installed stalls due a follow-up, oldest last contact first (then by id), as the data-quality list and the
 * volunteers' "Cần thăm lại" list show them. Each entry is one number, contact · 2³² + id, so that one typed-
 * array sort orders a province's 100,000 of them (ids are below 2³¹; days are small, and may be negative).
 */
export function staleOldestFirst(ids: readonly number[], contacts: readonly number[]): Float64Array {
  return Float64Array.from(ids, (id, i) => contacts[i]! * 2 ** 32 + id).sort();
}

/** The stall and its last-contact day of one entry of staleOldestFirst. */
export function staleEntry(key: number): { readonly id: number; readonly contact: number } {
  const contact = Math.floor(key / 2 ** 32);
  return { id: key - contact * 2 ** 32, contact };
}
