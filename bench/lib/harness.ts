/**
 * A small, honest micro-benchmark harness: every contender runs a fixed number of iterations
 * per round (calibrated once after warm-up, so no clock is read inside the loop), rounds are
 * interleaved round-robin (the machine's noise hits every contender alike), and the figure
 * reported is the median of the rounds.
 */

/** One thing being measured. `run` must throw when the delivery does not verify. */
export interface Contender {
  name: string;
  run: () => unknown;
  /** True when `run` returns a promise that must be awaited (e.g. @octokit/webhooks-methods). */
  async?: boolean;
}

export type Clock = 'cpu' | 'wall';

export interface HarnessOptions {
  rounds: number;
  roundMs: number;
  warmupMs: number;
  /**
   * `cpu` (default): this process's CPU time (user + system, all its threads), so time spent
   * descheduled while other processes run is not counted. `wall`: elapsed real time.
   */
  clock?: Clock;
  /** Turns each contender takes per round (default 20). */
  slices?: number;
}

export interface Measurement {
  name: string;
  /** Median operations per second over the rounds. */
  opsPerSec: number;
  /** The best round: what the code costs when nothing else competed for the core. */
  best: number;
  /** Every round's figure, for the curious. */
  rounds: number[];
}

/** Something that can run `iterations` verifications and say how long they took (ms, on the chosen clock). */
export interface Timed {
  name: string;
  runFor(iterations: number): Promise<number>;
}

let sink = 0;

const exposedGc = (globalThis as { gc?: (options?: { type: 'minor' | 'major' }) => void }).gc;
const collectYoung = exposedGc ? (): void => exposedGc({ type: 'minor' }) : undefined;

/** Consumes a result so the optimiser cannot drop the call. */
function consume(value: unknown): void {
  if (value === undefined || value === null || value === false) sink++;
}

let clock: Clock = 'cpu';

/** Milliseconds on the chosen clock. */
function now(): number {
  if (clock === 'wall') return performance.now();
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

export function setClock(choice: Clock): void {
  clock = choice;
}

/** Runs a contender in this process. */
export function local(contender: Contender): Timed {
  return { name: contender.name, runFor: (iterations) => runFor(contender, iterations) };
}

export async function runFor(contender: Contender, iterations: number): Promise<number> {
  const { run } = contender;
  const start = now();
  if (contender.async) {
    for (let i = 0; i < iterations; i++) consume(await run());
  } else {
    for (let i = 0; i < iterations; i++) consume(run());
  }
  return now() - start;
}

/** Runs until `ms` has passed, doubling the batch; returns the observed ops/s. */
async function warmUp(contender: Timed, ms: number): Promise<number> {
  let iterations = 1;
  let spent = 0;
  let done = 0;
  let rate = 0;
  while (spent < ms) {
    const elapsed = await contender.runFor(iterations);
    spent += elapsed;
    done += iterations;
    rate = (iterations / Math.max(elapsed, 1e-3)) * 1000;
    iterations = Math.min(iterations * 2, Math.max(1, Math.ceil((rate * (ms - spent)) / 1000)));
  }
  return done > 0 ? rate : 0;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** Measures every contender; each must have passed one `run()` already (a sanity check by the caller). */
export async function measure(contenders: readonly Timed[], options: HarnessOptions): Promise<Measurement[]> {
  clock = options.clock ?? 'cpu';
  const perRound = new Map<Timed, number>();
  for (const contender of contenders) {
    const rate = await warmUp(contender, options.warmupMs);
    perRound.set(contender, Math.max(1, Math.round((rate * options.roundMs) / 1000)));
  }
  const figures = new Map<Timed, number[]>(contenders.map((contender) => [contender, []]));
  // Fewer slices for a contender slower than one call per slice (a 1 MiB body through a
  // pure-JavaScript hash): a round then still costs about roundMs.
  const slicesOf = (contender: Timed): number => Math.max(1, Math.min(options.slices ?? 20, perRound.get(contender) as number));
  const slices = Math.max(...contenders.map(slicesOf));
  for (let round = 0; round < options.rounds; round++) {
    // Within a round the contenders take turns in short slices (a few ms each), so a burst of
    // load from elsewhere lands on all of them alike; the starting one rotates every round.
    const spent = new Map<Timed, number>(contenders.map((contender) => [contender, 0]));
    for (let slice = 0; slice < slices; slice++) {
      for (let k = 0; k < contenders.length; k++) {
        const contender = contenders[(round + k) % contenders.length] as Timed;
        if (slice >= slicesOf(contender)) continue;
        const iterations = Math.max(1, Math.round((perRound.get(contender) as number) / slicesOf(contender)));
        // Start every slice with an empty young generation (when run with --expose-gc), so each
        // contender pays for collecting its own garbage, not for the previous contender's.
        collectYoung?.();
        spent.set(contender, (spent.get(contender) as number) + (await contender.runFor(iterations)));
      }
    }
    for (const contender of contenders) {
      const iterations = Math.max(1, Math.round((perRound.get(contender) as number) / slicesOf(contender))) * slicesOf(contender);
      figures.get(contender)?.push((iterations / Math.max(spent.get(contender) as number, 1e-3)) * 1000);
    }
  }
  if (sink < 0) console.log(sink);
  return contenders.map((contender) => {
    const rounds = figures.get(contender) ?? [];
    return { name: contender.name, opsPerSec: median(rounds), best: Math.max(...rounds), rounds };
  });
}

/**
 * `a` ÷ `b`, paired: the median of `a[i] ÷ b[i]`, over the pairs both have. Each pair was
 * measured side by side (one round, one slice), so a burst of load from elsewhere moves both of
 * a pair together; the paired median is steadier than a ratio of the two medians.
 */
export function pairedMedianRatio(a: readonly number[], b: readonly number[]): number {
  const count = Math.min(a.length, b.length);
  const ratios: number[] = [];
  for (let i = 0; i < count; i++) ratios.push((a[i] as number) / (b[i] as number));
  return median(ratios);
}

/** `a`'s rate ÷ `b`'s, paired by round (both took their turns in the same rounds). */
export function pairedRatio(a: Measurement, b: Measurement): number {
  return pairedMedianRatio(a.rounds, b.rounds);
}

/** 345123 → "345k", 1234 → "1.23k", 12.3 → "12.3". */
export function formatRate(value: number): string {
  if (value >= 100_000) return `${Math.round(value / 1000)}k`;
  if (value >= 10_000) return `${(value / 1000).toFixed(1)}k`;
  if (value >= 1_000) return `${(value / 1000).toFixed(2)}k`;
  if (value >= 100) return value.toFixed(0);
  return value.toFixed(1);
}

export function formatRatio(value: number): string {
  return `${value.toFixed(2)}×`;
}

export function formatBytes(size: number): string {
  if (size >= 1024 * 1024) return `${size / (1024 * 1024)} MiB`;
  if (size >= 1024) return `${size / 1024} KiB`;
  return `${size} B`;
}

/** A markdown table. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map((_, i) => (i === 0 ? '---' : '---:'))), ...rows.map(line)].join('\n');
}
