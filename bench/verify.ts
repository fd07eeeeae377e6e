/**
 * Verify micro-benchmark: verifications/s of valid deliveries, per scheme and body size, for the
 * node:crypto floor, hookguard and the peers, all on the same deliveries.
 *
 *   npx tsx bench/verify.ts [--quick] [--schemes stripe,github] [--sizes 256,65536] [--only floor,hookguard]
 *     [--rounds 7] [--round-ms 250] [--clock cpu|wall] [--isolate]
 *
 * Run with --expose-gc (as `npm run bench` does) so that every slice starts with an empty young
 * generation and each contender pays for its own garbage.
 */
import { contendersFor, prepare, type BenchContender } from './lib/contenders.js';
import { makeDelivery, type Scheme } from './lib/deliveries.js';
import { formatBytes, formatRate, formatRatio, local, measure, pairedRatio, table, type HarnessOptions, type Timed } from './lib/harness.js';
import { spawnContender } from './lib/isolated.js';

export const SCHEMES: readonly Scheme[] = ['standardWebhooks', 'stripe', 'github', 'slack', 'shopify', 'discord'];
export const SIZES: readonly number[] = [256, 4 * 1024, 64 * 1024, 1024 * 1024];

export interface VerifyOptions extends HarnessOptions {
  schemes: readonly Scheme[];
  sizes: readonly number[];
  /** Keep only contenders of these kinds, or with these names. */
  only?: readonly string[];
  /**
   * Run each contender in a process of its own (own heap and JIT state). Default: all in this
   * process, taking turns on the same thread, so each meets the same core and neighbours.
   */
  isolate?: boolean;
  log?: (line: string) => void;
}

export interface VerifyRow {
  scheme: Scheme;
  size: number;
  name: string;
  kind: BenchContender['kind'];
  parses: boolean;
  opsPerSec: number;
  /** Against the node:crypto floor. */
  ratio: number;
  /** Against `floor + JSON.parse`, for contenders that parse. */
  parseRatio?: number;
  note?: string;
}

export async function runVerify(options: VerifyOptions): Promise<VerifyRow[]> {
  await prepare();
  const rows: VerifyRow[] = [];
  // A throwaway pass first: whatever is measured first in a fresh process otherwise meets the
  // JIT still compiling the shared machinery (the harness, node:crypto's JavaScript).
  if (!options.isolate) {
    const scheme = options.schemes[0] as Scheme;
    const warm = contendersFor(scheme, makeDelivery(scheme, 256));
    for (const contender of warm) await contender.run();
    await measure(warm.map(local), { ...options, rounds: 2 });
  }
  for (const scheme of options.schemes) {
    const keep = (c: BenchContender): boolean => !options.only || options.only.some((kind) => c.kind === kind || c.name === kind);
    const meta = contendersFor(scheme, makeDelivery(scheme, 256)).filter(keep);
    const remotes = !options.isolate ? [] : meta.map((c) => spawnContender(scheme, c.name, options.clock ?? 'cpu'));
    try {
      for (const size of options.sizes) {
        // Signed right before it is measured: peers read the wall clock (5-minute windows).
        const delivery = makeDelivery(scheme, size);
        let timed: Timed[];
        if (!options.isolate) {
          const here = contendersFor(scheme, delivery).filter(keep);
          for (const contender of here) await contender.run(); // each must verify before it is timed
          timed = here.map(local);
        } else {
          await Promise.all(remotes.map((remote) => remote.load(delivery)));
          timed = remotes;
        }
        const results = await measure(timed, options);
        const floor = results.find((r) => r.name === 'node:crypto floor');
        const floorParse = results.find((r) => r.name === 'node:crypto floor + JSON.parse');
        for (const [i, result] of results.entries()) {
          const contender = meta[i] as BenchContender;
          const row: VerifyRow = {
            scheme,
            size,
            name: result.name,
            kind: contender.kind,
            parses: contender.parses,
            opsPerSec: result.opsPerSec,
            ratio: floor ? pairedRatio(result, floor) : NaN,
          };
          if (contender.parses && floorParse) row.parseRatio = pairedRatio(result, floorParse);
          if (contender.note) row.note = contender.note;
          rows.push(row);
          options.log?.(`  ${scheme.padEnd(16)} ${formatBytes(size).padStart(7)}  ${result.name.padEnd(44)} ${formatRate(result.opsPerSec).padStart(7)}/s  ${formatRatio(row.ratio)}`);
        }
      }
    } finally {
      await Promise.all(remotes.map((remote) => remote.close()));
    }
  }
  return rows;
}

/** One table per scheme: a row per contender, a column per size, `ops/s · ratio to floor`. */
export function verifyTables(rows: readonly VerifyRow[], sizes: readonly number[]): string {
  const out: string[] = [];
  const schemes = [...new Set(rows.map((row) => row.scheme))];
  for (const scheme of schemes) {
    const mine = rows.filter((row) => row.scheme === scheme);
    const names = [...new Set(mine.map((row) => row.name))];
    const body = names.map((name) => {
      const first = mine.find((row) => row.name === name) as VerifyRow;
      const cells = sizes.map((size) => {
        const row = mine.find((r) => r.name === name && r.size === size);
        if (!row) return '—';
        const parse = row.parseRatio !== undefined && row.kind !== 'floor+parse' ? ` · p ${formatRatio(row.parseRatio)}` : '';
        return `${formatRate(row.opsPerSec)} · ${formatRatio(row.ratio)}${parse}`;
      });
      const label = `${first.kind.startsWith('hookguard') ? `**${name}**` : name}${first.parses ? ' ᵖ' : ''}`;
      return [label, ...cells];
    });
    out.push(`#### ${scheme}\n\n${table(['verifications/s · × floor', ...sizes.map(formatBytes)], body)}`);
    const notes = [...new Set(mine.filter((row) => row.note).map((row) => `${row.name}: ${row.note}`))];
    if (notes.length > 0) out.push(notes.map((note) => `- ${note}`).join('\n'));
  }
  return out.join('\n\n');
}

/** hookguard verify ÷ floor for every preset and size, against the targets (HMAC ≥ 0.95, Ed25519 ≥ 0.9). */
export function targetTable(rows: readonly VerifyRow[], sizes: readonly number[]): string {
  const schemes = [...new Set(rows.map((row) => row.scheme))];
  const body = schemes.map((scheme) => {
    const target = scheme === 'discord' ? 0.9 : 0.95;
    const cells = sizes.map((size) => {
      const row = rows.find((r) => r.scheme === scheme && r.size === size && r.kind === 'hookguard');
      if (!row) return '—';
      const peers = rows.filter((r) => r.scheme === scheme && r.size === size && r.kind === 'peer');
      const best = Math.max(...peers.map((p) => p.opsPerSec));
      const lead = peers.length > 0 ? `, ${(row.opsPerSec / best).toFixed(1)}× best peer` : '';
      return `${formatRatio(row.ratio)} ${row.ratio >= target ? '✅' : '❌'}${lead}`;
    });
    return [`${scheme} (target ≥ ${target}×)`, ...cells];
  });
  return table(['hookguard verify ÷ floor', ...sizes.map(formatBytes)], body);
}

function parseArgs(argv: readonly string[]): VerifyOptions {
  const value = (flag: string): string | undefined => {
    const at = argv.indexOf(flag);
    return at === -1 ? undefined : argv[at + 1];
  };
  const quick = argv.includes('--quick');
  const options: VerifyOptions = {
    schemes: (value('--schemes')?.split(',') as Scheme[] | undefined) ?? SCHEMES,
    sizes: value('--sizes')?.split(',').map(Number) ?? SIZES,
    rounds: Number(value('--rounds') ?? (quick ? 3 : 7)),
    roundMs: Number(value('--round-ms') ?? (quick ? 100 : 250)),
    warmupMs: Number(value('--warmup-ms') ?? (quick ? 100 : 200)),
    clock: value('--clock') === 'wall' ? 'wall' : 'cpu',
    log: (line) => console.log(line),
  };
  if (argv.includes('--isolate')) options.isolate = true;
  const only = value('--only');
  if (only) options.only = only.split(',');
  return options;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const options = parseArgs(process.argv.slice(2));
  const rows = await runVerify(options);
  console.log(`\n${targetTable(rows, options.sizes)}\n\n${verifyTables(rows, options.sizes)}`);
}
