/**
 * Banks of the demo accounts: BINs as in assets/banks.json (all with "transferSupported": true; the demo
 * test checks this), account number lengths as the banks issue them, and how common each bank is among the
 * traders of a region. Account numbers are invented: any real account with the same digits is chance.
 */
import type { Rng } from './prng.js';

export type DemoBank =
  | 'BIDV'
  | 'Agribank'
  | 'Vietcombank'
  | 'VietinBank'
  | 'MB'
  | 'Techcombank'
  | 'Sacombank'
  | 'ACB'
  | 'VPBank'
  | 'TPBank'
  | 'LPBank'
  | 'HDBank'
  | 'SHB';

interface BankSpec {
  bin: string;
  /** Account number lengths, weighted by how often the bank issues them. */
  lengths: Readonly<Record<string, number>>;
  /** Leading digits by length; otherwise a digit 1–9. */
  lead?: Readonly<Record<number, string>>;
}

export const DEMO_BANKS: Readonly<Record<DemoBank, BankSpec>> = {
  BIDV: { bin: '970418', lengths: { 14: 4, 12: 3, 13: 2, 10: 1 } },
  Agribank: { bin: '970405', lengths: { 13: 1 } },
  // The 13-digit numbers are the older ones (leading 0); newer accounts have 10 digits.
  Vietcombank: { bin: '970436', lengths: { 13: 3, 10: 2 }, lead: { 13: '0', 10: '1' } },
  VietinBank: { bin: '970415', lengths: { 12: 1 }, lead: { 12: '10' } },
  MB: { bin: '970422', lengths: { 9: 1, 10: 2, 12: 2, 13: 3 } },
  Techcombank: { bin: '970407', lengths: { 14: 1 }, lead: { 14: '19' } },
  Sacombank: { bin: '970403', lengths: { 12: 1 } },
  ACB: { bin: '970416', lengths: { 9: 1, 10: 1 } },
  VPBank: { bin: '970432', lengths: { 9: 1, 10: 1 } },
  TPBank: { bin: '970423', lengths: { 11: 1 } },
  LPBank: { bin: '970449', lengths: { 12: 1 } },
  HDBank: { bin: '970437', lengths: { 12: 1, 14: 1 } },
  SHB: { bin: '970443', lengths: { 10: 1, 13: 1 } },
};

export type BankWeights = Readonly<Partial<Record<DemoBank, number>>>;

/** Chợ Hoa Lư: the programme was launched with BIDV Gia Lai, which opened most of the new accounts. */
export const HOA_LU_BANKS: BankWeights = {
  BIDV: 48,
  Agribank: 14,
  Vietcombank: 10,
  VietinBank: 8,
  MB: 8,
  Techcombank: 4,
  Sacombank: 3,
  ACB: 2,
  VPBank: 2,
  LPBank: 1,
};

/** Rural Gia Lai: Agribank first, then the big state banks. */
export const CHU_PRONG_BANKS: BankWeights = {
  Agribank: 34,
  BIDV: 18,
  VietinBank: 12,
  Vietcombank: 10,
  MB: 10,
  LPBank: 5,
  Sacombank: 4,
  Techcombank: 3,
  VPBank: 2,
  ACB: 2,
};

/** The Hoài Nhơn streets (old Bình Định): a broader mix, more private banks. */
export const HOAI_NHON_BANKS: BankWeights = {
  Agribank: 22,
  Vietcombank: 16,
  BIDV: 13,
  VietinBank: 12,
  MB: 12,
  Techcombank: 6,
  Sacombank: 5,
  ACB: 4,
  VPBank: 4,
  TPBank: 2,
  SHB: 2,
  HDBank: 2,
};

/** Second and third accounts: mostly the banks with free, popular apps. */
export const SECOND_ACCOUNT_BANKS: BankWeights = {
  MB: 26,
  Techcombank: 15,
  Vietcombank: 15,
  Agribank: 9,
  BIDV: 9,
  VietinBank: 8,
  VPBank: 6,
  ACB: 5,
  TPBank: 4,
  Sacombank: 3,
};

/** A bank drawn from `weights`, other than those in `except` (a trader's second bank is another bank). */
export function pickBank(rng: Rng, weights: BankWeights, except: readonly DemoBank[] = []): DemoBank {
  const allowed: Partial<Record<DemoBank, number>> = {};
  for (const [bank, weight] of Object.entries(weights) as [DemoBank, number][]) {
    if (!except.includes(bank)) allowed[bank] = weight;
  }
  return rng.weighted(allowed);
}

function digits(rng: Rng, lead: string, length: number): string {
  let number = lead;
  while (number.length < length) number += String(rng.int(0, 9));
  return number;
}

/** An account number of `bank`: digits only, one of the bank's lengths. */
export function randomAccountNumber(rng: Rng, bank: DemoBank): string {
  const spec = DEMO_BANKS[bank];
  const length = Number(rng.weighted(spec.lengths));
  return digits(rng, spec.lead?.[length] ?? String(rng.int(1, 9)), length);
}

/** A 16-digit domestic (NAPAS) card number: the bank's BIN, then ten digits. */
export function randomCardNumber(rng: Rng, bank: DemoBank): string {
  return digits(rng, DEMO_BANKS[bank].bin, 16);
}
