/**
 * `npm run bench`: verify, the in-process pipeline, end-to-end through Express with the A/A
 * control, memory and bundle size, in one run; prints markdown tables and, for a full run,
 * writes bench/RESULTS.md.
 *
 *   npm run bench                                  # full: ~12 minutes on a 2-core machine
 *   npm run bench -- --quick                       # ~3 minutes, rougher figures; RESULTS.md untouched
 *   npm run bench -- --only verify,e2e             # any of verify, pipeline, e2e, memory, bundle
 *   npm run bench -- --against ../before/dist/index.js   # e2e also runs (c) from that copy
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { bundleMarkdown, runBundle } from './bundle.js';
import { E2E_BODY_BYTES, PINNING, e2eTable, runE2E } from './e2e.js';
import { flag, option, table } from './lib/harness.js';
import { HOOKGUARD_SOURCE } from './lib/hookguard.js';
import type { MemoryReport } from './memory.js';
import { PIPELINE_BODY_BYTES, pipelineTable, runPipeline } from './pipeline.js';
import { SCHEMES, SIZES, runVerify, targetTable, verifyTables } from './verify.js';

const here = (file: string): string => fileURLToPath(new URL(file, import.meta.url));
if (!(globalThis as { gc?: unknown }).gc) console.warn('(run with --expose-gc, as `npm run bench` does, so each contender pays for its own garbage)');
const quick = flag('quick');
const only = option('only');
const wants = (part: string): boolean => only === undefined || only.split(',').includes(part);
const log = (line: string): void => console.log(line);
const started = Date.now();
const sections: string[] = [];

if (wants('verify')) {
  log('## verify micro-benchmark');
  const sizes = quick ? [256, 64 * 1024] : SIZES;
  const rounds = quick ? 3 : 5;
  const rows = await runVerify({ schemes: SCHEMES, sizes, rounds, roundMs: quick ? 100 : 200, warmupMs: quick ? 100 : 150, log });
  sections.push(
    `## Verify: verifications/s of valid deliveries\n\nEach cell: median of ${rounds} rounds, verifications/s · ratio to the node:crypto floor paired by round (· p: to floor + JSON.parse, for rows marked ᵖ that also decode the JSON).\n\n` +
      `### hookguard verify ÷ node:crypto floor\n\n${targetTable(rows, sizes)}\n\n### Every contender\n\n${verifyTables(rows, sizes)}`,
  );
}

if (wants('pipeline')) {
  log('\n## receiver pipeline, in process');
  const markdown = pipelineTable(await runPipeline({ rounds: quick ? 3 : 7, roundMs: quick ? 150 : 300, warmupMs: 200 }));
  log(markdown);
  sections.push(`## The receiver's own cost, in process (no HTTP)\n\n~${PIPELINE_BODY_BYTES} B Standard Webhooks delivery, the end-to-end server's schema and handler; CPU clock, median of rounds, contenders interleaved.\n\n${markdown}`);
}

if (wants('e2e')) {
  log('\n## end-to-end through Express');
  const [seconds, rounds] = quick ? [3, 1] : [4, 6];
  const against = option('against');
  const rows = await runE2E({ seconds, warmupSeconds: quick ? 1 : 2, rounds, connections: 10, control: true, ...(against ? { against } : {}), log });
  sections.push(
    `## End-to-end through Express 5 on 127.0.0.1\n\n~${E2E_BODY_BYTES} B signed JSON, autocannon in a separate process (10 connections), new server processes every round; ` +
      `${rounds} rounds of ${seconds} 1-s slices per case, a new (seeded) order every slice; medians over the slices. ` +
      `(c°) is (c) again from a second server of the same build: **its gap to (c) is this run's noise**. ` +
      `${PINNING ? `Servers pinned to CPU ${PINNING.server}, the load generator to CPU ${PINNING.load}. ` : ''}\n\n${e2eTable(rows)}`,
  );
}

if (wants('memory')) {
  log('\n## memory');
  const stdout = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', here('./memory.ts'), String(quick ? 120_000 : 200_000)], { encoding: 'utf8' });
  const memory = JSON.parse(stdout.trim().split('\n').pop() as string) as MemoryReport;
  log(JSON.stringify(memory));
  sections.push(
    `## Memory: ${memory.deliveries.toLocaleString('en')} distinct deliveries through receiver.receive (no HTTP)\n\n` +
      `Default memory store (${memory.maxEntries.toLocaleString('en')} ids, LRU, 3-day TTL); ${memory.failures} deliveries not answered 200. ` +
      `**${memory.storeBytesPerId} B** per remembered id on a bare store → **${memory.store100kMiB} MiB for 100,000 ids** (${memory.receiverBytesPerId} B as the receiver's heap growth).\n\n` +
      table(['deliveries', 'RSS', 'heap used after GC'], memory.samples.map(([count, rss, heap]) => [count.toLocaleString('en'), `${rss} MiB`, `${heap} MiB`])),
  );
}

if (wants('bundle')) {
  log('\n## bundle size and cold start');
  const markdown = bundleMarkdown(await runBundle({ rounds: quick ? 3 : 9, log }));
  log(markdown);
  sections.push(`## Bundle size and cold start (\`npm run bench:bundle\`)\n\n<!-- bundle:start -->\n${markdown}\n<!-- bundle:end -->`);
}

const argv = process.argv.slice(2);
const header =
  `# hookguard benchmark results\n\n` +
  `- machine: ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${cpus().length} cores (shared with other work: see bench/README.md on noise)\n` +
  `- Node ${process.version}, ${process.platform}/${process.arch}; hookguard measured from ${HOOKGUARD_SOURCE}\n` +
  `- ${new Date().toISOString()}, \`npm run bench${argv.length > 0 ? ` -- ${argv.join(' ')}` : ''}\` (${((Date.now() - started) / 60000).toFixed(1)} min)\n`;
const markdown = `${header}\n${sections.join('\n\n')}\n`;
if (only === undefined && !quick) writeFileSync(here('./RESULTS.md'), markdown);
console.log(`\n${markdown}`);
