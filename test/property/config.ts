/**
 * How hard the property tests push. `npm test` runs each property 1,000 times with a fixed seed
 * (the same cases every run, so a failure reproduces); `npm run fuzz` sets
 * HOOKGUARD_FUZZ_RUNS=100000. HOOKGUARD_FUZZ_SEED picks another seed (fast-check prints the
 * seed and path of any counterexample, so a fuzz find can be replayed here).
 */
import type { Parameters } from 'fast-check';

export const RUNS = positive(process.env.HOOKGUARD_FUZZ_RUNS, 1_000);
export const SEED = integer(process.env.HOOKGUARD_FUZZ_SEED, 0x686b67);

/** fast-check parameters for one property. */
export function params<T>(runs = RUNS): Parameters<T> {
  return { numRuns: runs, seed: SEED };
}

/** A vitest timeout that grows with the run count: 20 s for 1,000 runs, ~30 min for 100,000. */
export function timeoutFor(runs = RUNS, perRunMs = 18): number {
  return Math.max(20_000, runs * perRunMs);
}

function positive(text: string | undefined, fallback: number): number {
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`HOOKGUARD_FUZZ_RUNS must be a positive integer; got ${text}`);
  return value;
}

function integer(text: string | undefined, fallback: number): number {
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value)) throw new Error(`HOOKGUARD_FUZZ_SEED must be an integer; got ${text}`);
  return value;
}
