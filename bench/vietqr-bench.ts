/**
 * `npm run bench:vietqr`: our VietQR encoder and decoder against the npm package `vietnam-qr-pay` on the
 * same 1,000 realistic inputs, one run, printed as a table. Goal: encode ≥ 2× theirs and decode ≥ 1×,
 * although ours validates every field and walks every template level while theirs checks only the CRC.
 *
 * Each side is timed in alternating blocks and the median block reported, so a GC pause or a noisy
 * neighbour on a 2-core machine skews one block, not the result.
 */
import { QRPay } from 'vietnam-qr-pay';
import { loadBankDirectory } from '../src/banks/bank-directory-file.js';
import { decode, encode } from '../src/vietqr/index.js';
import type { VietQrInput } from '../src/vietqr/index.js';
import { mulberry32 } from '../src/demo/prng.js';

const INPUT_COUNT = 1000;
const BLOCKS = 9;
const BLOCK_MS = 150;

// mulberry32 (the demo's seeded generator): every run uses the same inputs.
const random = mulberry32;

const PURPOSES = [
  'thanh toan don hang',
  'Chuyen tien',
  'tien hang cho Hoa Lu',
  'mua rau sap 12',
  'ung ho lu lut',
  'tra no',
  'Cam on nhe',
  'HD 2025-0412',
  'tien dien thang 5',
  'Ca phe sang',
];

function makeInputs(): VietQrInput[] {
  const next = random(20251122);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const digits = (count: number) => Array.from({ length: count }, () => Math.floor(next() * 10)).join('');
  const bins = loadBankDirectory().banks.map((bank) => bank.bin);
  return Array.from({ length: INPUT_COUNT }, (): VietQrInput => {
    const bin = pick(bins);
    const card = next() < 0.2;
    const account = card ? bin + digits(next() < 0.7 ? 10 : 13) : digits(6 + Math.floor(next() * 14));
    const dynamic = next() < 0.4;
    return {
      bin,
      account,
      service: card ? 'card' : 'account',
      initiation: dynamic ? 'dynamic' : 'static',
      ...(dynamic && { amount: String((1 + Math.floor(next() * 50_000)) * 1000) }),
      ...(dynamic && next() < 0.8 && { purpose: pick(PURPOSES) }),
    };
  });
}

function theirEncode(input: VietQrInput): string {
  return QRPay.initVietQR({
    bankBin: input.bin,
    bankNumber: input.account,
    service: (input.service === 'card' ? 'QRIBFTTC' : 'QRIBFTTA') as never,
    ...(input.amount !== undefined && { amount: String(input.amount) }),
    ...(input.purpose !== undefined && { purpose: input.purpose }),
  }).build();
}

let sink = 0;

/** Operations per second of `operation` over all inputs, timed for about `BLOCK_MS`. */
function block<T>(inputs: readonly T[], operation: (input: T) => number): number {
  let operations = 0;
  const start = process.hrtime.bigint();
  const deadline = start + BigInt(BLOCK_MS) * 1_000_000n;
  let now = start;
  while (now < deadline) {
    for (const input of inputs) sink += operation(input);
    operations += inputs.length;
    now = process.hrtime.bigint();
  }
  return operations / (Number(now - start) / 1e9);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

function compare<T>(
  inputs: readonly T[],
  ours: (input: T) => number,
  theirs: (input: T) => number,
): { ours: number; theirs: number } {
  block(inputs, ours); // warm-up: let both reach optimised code before timing
  block(inputs, theirs);
  const oursRates: number[] = [];
  const theirRates: number[] = [];
  for (let i = 0; i < BLOCKS; i++) {
    oursRates.push(block(inputs, ours));
    theirRates.push(block(inputs, theirs));
  }
  return { ours: median(oursRates), theirs: median(theirRates) };
}

function main(): void {
  const directory = loadBankDirectory();
  const inputs = makeInputs();
  const payloads = inputs.map((input) => encode(input));

  // Same inputs, same bytes: the comparison is only fair if both produce the identical payload.
  payloads.forEach((payload, i) => {
    const theirs = theirEncode(inputs[i] as VietQrInput);
    if (theirs !== payload) throw new Error(`Payloads differ for input ${i}:\n ours   ${payload}\n theirs ${theirs}`);
    if (!decode(payload, { directory }).valid) throw new Error(`Our decoder rejects our payload ${payload}`);
  });

  const encodeRates = compare(
    inputs,
    (input) => encode(input).length,
    (input) => theirEncode(input).length,
  );
  const decodeRates = compare(
    payloads,
    (payload) => (decode(payload, { directory }).valid ? 1 : 0),
    (payload) => (new QRPay(payload).isValid ? 1 : 0),
  );

  const cards = inputs.filter((input) => input.service === 'card').length;
  const dynamic = inputs.filter((input) => input.initiation === 'dynamic').length;
  const format = (rate: number) => Math.round(rate).toLocaleString('en-US').padStart(12);
  const rows: Array<[string, { ours: number; theirs: number }, number]> = [
    ['encode', encodeRates, 2],
    ['decode', decodeRates, 1],
  ];
  console.log(
    `VietQR benchmark — ${inputs.length} inputs (${cards} cards, ${dynamic} dynamic), ` +
      `${BLOCKS} alternating blocks of ${BLOCK_MS} ms, median, Node ${process.version}`,
  );
  console.log('');
  console.log('operation |   phoqr ops/s | vietnam-qr-pay ops/s |  ratio | goal');
  console.log('----------|---------------|----------------------|--------|------------');
  for (const [name, rates, goal] of rows) {
    const ratio = rates.ours / rates.theirs;
    console.log(
      `${name.padEnd(9)} | ${format(rates.ours)}  | ${format(rates.theirs)}         | ` +
        `${ratio.toFixed(2).padStart(5)}× | ≥ ${goal}× ${ratio >= goal ? 'met' : 'NOT MET'}`,
    );
  }
  if (sink === 0) console.log('(no work measured)');
}

main();
