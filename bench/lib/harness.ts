/**
 * The micro-benchmark harness and the helpers every bench script shares. Contenders take turns
 * in short slices within each round (a burst of load from elsewhere hits all alike), each slice
 * after a minor GC (with --expose-gc) so each pays for its own garbage; the figure is the median
 * of the rounds, and ratios are paired by round.
 */

/** One thing being measured. `run` must throw when its delivery does not verify. */
export interface Contender {
  name: string;
  run: () => unknown;
  /** `run` returns a promise to await (e.g. @octokit/webhooks-methods). */
  async?: boolean;
}

export interface HarnessOptions {
  rounds: number;
  roundMs: number;
  warmupMs: number;
  /** `cpu` (default): this process's CPU time, so time descheduled does not count. `wall`: elapsed. */
  clock?: 'cpu' | 'wall';
}

export interface Measurement {
  name: string;
  /** Median operations per second over the rounds. */
  opsPerSec: number;
  rounds: number[];
}

const SLICES = 20;
let sink = 0;
const gc = (globalThis as { gc?: (options?: { type: 'minor' | 'major' }) => void }).gc;

function now(clock: 'cpu' | 'wall'): number {
  if (clock === 'wall') return performance.now();
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

async function runFor(contender: Contender, iterations: number, clock: 'cpu' | 'wall'): Promise<number> {
  const { run } = contender;
  const start = now(clock);
  for (let i = 0; i < iterations; i++) {
    const value = contender.async ? await run() : run();
    if (value === undefined || value === null || value === false) sink++;
  }
  return now(clock) - start;
}

/** Measures every contender; each must have passed one `run()` already (the caller's sanity check). */
export async function measure(contenders: readonly Contender[], options: HarnessOptions): Promise<Measurement[]> {
  const clock = options.clock ?? 'cpu';
  // Warm-up, doubling the batch until warmupMs has passed, gives each contender's calls per slice.
  const perSlice = new Map<Contender, number>();
  for (const contender of contenders) {
    let iterations = 1;
    let spent = 0;
    let rate = 0;
    while (spent < options.warmupMs) {
      const elapsed = await runFor(contender, iterations, clock);
      spent += elapsed;
      rate = (iterations / Math.max(elapsed, 1e-3)) * 1000;
      iterations = Math.min(iterations * 2, Math.max(1, Math.ceil((rate * (options.warmupMs - spent)) / 1000)));
    }
    perSlice.set(contender, Math.max(1, Math.round((rate * options.roundMs) / 1000 / SLICES)));
  }
  const figures = new Map<Contender, number[]>(contenders.map((contender) => [contender, []]));
  for (let round = 0; round < options.rounds; round++) {
    const spent = new Map<Contender, number>(contenders.map((contender) => [contender, 0]));
    for (let slice = 0; slice < SLICES; slice++) {
      for (let k = 0; k < contenders.length; k++) {
        const contender = contenders[(round + k) % contenders.length] as Contender;
        gc?.({ type: 'minor' });
        spent.set(contender, (spent.get(contender) as number) + (await runFor(contender, perSlice.get(contender) as number, clock)));
      }
    }
    for (const contender of contenders) {
      const iterations = (perSlice.get(contender) as number) * SLICES;
      figures.get(contender)?.push((iterations / Math.max(spent.get(contender) as number, 1e-3)) * 1000);
    }
  }
  if (sink < 0) console.log(sink);
  return contenders.map((contender) => {
    const rounds = figures.get(contender) ?? [];
    return { name: contender.name, opsPerSec: median(rounds), rounds };
  });
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** `a` ÷ `b`, paired: the median of `a[i] ÷ b[i]`; each pair was measured side by side. */
export function pairedRatio(a: readonly number[], b: readonly number[]): number {
  const count = Math.min(a.length, b.length);
  return median(Array.from({ length: count }, (_, i) => (a[i] as number) / (b[i] as number)));
}

/** 345123 → "345k", 1234 → "1.23k", 12.3 → "12.3". */
export function formatRate(value: number): string {
  if (value >= 100_000) return `${Math.round(value / 1000)}k`;
  if (value >= 10_000) return `${(value / 1000).toFixed(1)}k`;
  if (value >= 1_000) return `${(value / 1000).toFixed(2)}k`;
  return value >= 100 ? value.toFixed(0) : value.toFixed(1);
}

export const formatRatio = (value: number): string => `${value.toFixed(2)}×`;

export function formatBytes(size: number): string {
  if (size >= 1024 * 1024) return `${size / (1024 * 1024)} MiB`;
  return size >= 1024 ? `${size / 1024} KiB` : `${size} B`;
}

/** A markdown table, the first column left-aligned. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map((_, i) => (i === 0 ? '---' : '---:'))), ...rows.map(line)].join('\n');
}

/** The value after `--name` on the command line, or `fallback`. */
export function option(name: string, fallback: string): string;
export function option(name: string): string | undefined;
export function option(name: string, fallback?: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`);
  return at === -1 ? fallback : process.argv[at + 1];
}

export const flag = (name: string): boolean => process.argv.includes(`--${name}`);

/** True when `url` (a module's import.meta.url) is the script node was started with. */
export const isMain = (url: string): boolean => process.argv[1] !== undefined && new URL(url).pathname === process.argv[1];
