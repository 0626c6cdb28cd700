// Short forms run in `npm test`; `npm run verify` sets VERIFY_LONG=1 for the long ones.
export const LONG = process.env.VERIFY_LONG === '1';

/** The fuzz seed: VERIFY_SEED, else a fixed one in `npm test` (the same requests every run) and a new one in `npm run verify`. */
export const SEED = Number(process.env.VERIFY_SEED) || (LONG ? Date.now() % 2 ** 31 : 20261202);

/** One JSON line per suite on stdout, as the benchmarks print theirs. */
export function printSummary(summary: object): void {
  process.stdout.write(`${JSON.stringify(summary)}\n`);
}
