/** Numbers as Vietnamese readers write them. */

/** 71.3 → "71,3": Vietnamese writes a decimal comma. */
export function formatDecimal(value: number): string {
  return String(value).replace('.', ',');
}

/** A change or a gap with its sign: "+3", "-1,5", "0". */
export function formatSigned(value: number): string {
  return `${value > 0 ? '+' : ''}${formatDecimal(value)}`;
}
