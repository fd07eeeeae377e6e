/**
 * Verify micro-benchmark: verifications/s of valid deliveries, per scheme and body size, for the
 * node:crypto floor, hookguard and the peers, all on the same deliveries.
 *
 *   npx tsx --expose-gc bench/verify.ts [--quick] [--schemes stripe,github] [--sizes 256,65536]
 *     [--only floor,hookguard] [--rounds 7] [--round-ms 250] [--clock cpu|wall]
 */
import { contendersFor, prepare, type BenchContender } from './lib/contenders.js';
import { makeDelivery, type Scheme } from './lib/deliveries.js';
import { flag, formatBytes, formatRate, formatRatio, isMain, measure, option, pairedRatio, table, type HarnessOptions } from './lib/harness.js';

export const SCHEMES: readonly Scheme[] = ['standardWebhooks', 'stripe', 'github', 'slack', 'shopify', 'discord'];
export const SIZES: readonly number[] = [256, 4 * 1024, 64 * 1024, 1024 * 1024];

export interface VerifyOptions extends HarnessOptions {
  schemes: readonly Scheme[];
  sizes: readonly number[];
  /** Keep only contenders of these kinds, or with these names. */
  only?: readonly string[];
  log?: (line: string) => void;
}

export interface VerifyRow {
  scheme: Scheme;
  size: number;
  contender: BenchContender;
  opsPerSec: number;
  /** Against the node:crypto floor, paired by round. */
  ratio: number;
  /** Against `floor + JSON.parse`, for contenders that parse. */
  parseRatio?: number;
}

export async function runVerify(options: VerifyOptions): Promise<VerifyRow[]> {
  await prepare();
  const keep = (c: BenchContender): boolean => !options.only || options.only.some((kind) => c.kind === kind || c.name === kind);
  // A throwaway pass: what runs first in a fresh process otherwise meets the JIT still compiling the harness.
  const first = options.schemes[0] as Scheme;
  await measure(contendersFor(first, makeDelivery(first, 256)), { ...options, rounds: 1 });
  const rows: VerifyRow[] = [];
  for (const scheme of options.schemes) {
    for (const size of options.sizes) {
      // Signed right before it is measured: peers read the wall clock (5-minute windows).
      const contenders = contendersFor(scheme, makeDelivery(scheme, size)).filter(keep);
      for (const contender of contenders) await contender.run(); // each must verify before it is timed
      const results = await measure(contenders, options);
      const floor = results.find((r) => r.name === 'node:crypto floor');
      const floorParse = results.find((r) => r.name === 'node:crypto floor + JSON.parse');
      for (const [i, result] of results.entries()) {
        const contender = contenders[i] as BenchContender;
        const row: VerifyRow = { scheme, size, contender, opsPerSec: result.opsPerSec, ratio: floor ? pairedRatio(result.rounds, floor.rounds) : NaN };
        if (contender.parses && floorParse) row.parseRatio = pairedRatio(result.rounds, floorParse.rounds);
        rows.push(row);
        options.log?.(`  ${scheme.padEnd(16)} ${formatBytes(size).padStart(7)}  ${result.name.padEnd(44)} ${formatRate(result.opsPerSec).padStart(7)}/s  ${formatRatio(row.ratio)}`);
      }
    }
  }
  return rows;
}

/** One table per scheme: a row per contender, a column per size, `ops/s · ratio to floor`. */
export function verifyTables(rows: readonly VerifyRow[], sizes: readonly number[]): string {
  const out: string[] = [];
  for (const scheme of new Set(rows.map((row) => row.scheme))) {
    const mine = rows.filter((row) => row.scheme === scheme);
    const body = [...new Set(mine.map((row) => row.contender.name))].map((name) => {
      const { contender } = mine.find((row) => row.contender.name === name) as VerifyRow;
      const cells = sizes.map((size) => {
        const row = mine.find((r) => r.contender.name === name && r.size === size);
        if (!row) return '—';
        const parse = row.parseRatio !== undefined && contender.kind !== 'floor+parse' ? ` · p ${formatRatio(row.parseRatio)}` : '';
        return `${formatRate(row.opsPerSec)} · ${formatRatio(row.ratio)}${parse}`;
      });
      return [`${contender.kind.startsWith('hookguard') ? `**${name}**` : name}${contender.parses ? ' ᵖ' : ''}`, ...cells];
    });
    out.push(`#### ${scheme}\n\n${table(['verifications/s · × floor', ...sizes.map(formatBytes)], body)}`);
    const notes = [...new Set(mine.flatMap((row) => (row.contender.note ? [`- ${row.contender.name}: ${row.contender.note}`] : [])))];
    if (notes.length > 0) out.push(notes.join('\n'));
  }
  return out.join('\n\n');
}

/** hookguard verify ÷ floor for every preset and size, against the targets (HMAC ≥ 0.95, Ed25519 ≥ 0.9) and the best peer. */
export function targetTable(rows: readonly VerifyRow[], sizes: readonly number[]): string {
  const body = [...new Set(rows.map((row) => row.scheme))].map((scheme) => {
    const target = scheme === 'discord' ? 0.9 : 0.95;
    const cells = sizes.map((size) => {
      const here = rows.filter((r) => r.scheme === scheme && r.size === size);
      const row = here.find((r) => r.contender.kind === 'hookguard');
      if (!row) return '—';
      const peers = here.filter((r) => r.contender.kind === 'peer');
      const lead = peers.length > 0 ? `, ${(row.opsPerSec / Math.max(...peers.map((p) => p.opsPerSec))).toFixed(1)}× best peer` : '';
      return `${formatRatio(row.ratio)} ${row.ratio >= target ? '✅' : '❌'}${lead}`;
    });
    return [`${scheme} (target ≥ ${target}×)`, ...cells];
  });
  return table(['hookguard verify ÷ floor', ...sizes.map(formatBytes)], body);
}

if (isMain(import.meta.url)) {
  const quick = flag('quick');
  const sizes = option('sizes')?.split(',').map(Number) ?? (quick ? [256, 64 * 1024] : SIZES);
  const rows = await runVerify({
    schemes: (option('schemes')?.split(',') as Scheme[] | undefined) ?? SCHEMES,
    sizes,
    rounds: Number(option('rounds', quick ? '3' : '7')),
    roundMs: Number(option('round-ms', quick ? '100' : '250')),
    warmupMs: quick ? 100 : 200,
    clock: option('clock') === 'wall' ? 'wall' : 'cpu',
    ...(option('only') ? { only: (option('only') as string).split(',') } : {}),
    log: (line) => console.log(line),
  });
  console.log(`\n${targetTable(rows, sizes)}\n\n${verifyTables(rows, sizes)}`);
}
