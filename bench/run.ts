/**
 * `npm run bench`: the verify micro-benchmark, end-to-end through Express, and memory, in one
 * run; prints markdown tables and writes bench/RESULTS.md.
 *
 *   npm run bench                 # full: about 10 minutes on a 2-core machine
 *   npm run bench -- --quick      # short rounds, 2 sizes: about 2 minutes (figures are rougher)
 *   npm run bench -- --only verify|pipeline|e2e|memory|bundle
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { bundleMarkdown, runBundle } from './bundle.js';
import { E2E_BODY_BYTES, PINNING, e2eTable, runE2E, versusTable, type E2ERow } from './e2e.js';
import { table } from './lib/harness.js';
import { HOOKGUARD_SOURCE } from './lib/hookguard.js';
import { PIPELINE_BODY_BYTES, pipelineTable, runPipeline } from './pipeline.js';
import type { MemoryReport } from './memory.js';
import { SCHEMES, SIZES, runVerify, targetTable, verifyTables, type VerifyRow } from './verify.js';

const here = (file: string): string => fileURLToPath(new URL(file, import.meta.url));
const argv = process.argv.slice(2);
if (!(globalThis as { gc?: unknown }).gc) console.warn('(run with --expose-gc, as `npm run bench` does, so each contender pays for its own garbage)');
const quick = argv.includes('--quick');
const only = argv.includes('--only') ? argv[argv.indexOf('--only') + 1] : undefined;
const wants = (part: string): boolean => only === undefined || only.split(',').includes(part);
const log = (line: string): void => console.log(line);

const sizes = quick ? [256, 64 * 1024] : SIZES;
const started = Date.now();
const sections: string[] = [];

let verifyRows: VerifyRow[] = [];
if (wants('verify')) {
  log('## verify micro-benchmark');
  verifyRows = await runVerify({
    schemes: SCHEMES,
    sizes,
    rounds: quick ? 3 : 5,
    roundMs: quick ? 100 : 200,
    warmupMs: quick ? 100 : 150,
    clock: 'cpu',
    isolate: argv.includes('--isolate'),
    log,
  });
  sections.push(
    `## Verify: verifications/s of valid deliveries\n\n` +
      `Each cell: median of ${quick ? 3 : 5} rounds, verifications/s · ratio to the node:crypto floor, paired by round (the median of the per-round ratios) (· p = ratio to floor + JSON.parse, for rows marked ᵖ that also decode the JSON).\n\n` +
      `### Targets: hookguard verify ÷ node:crypto floor\n\n${targetTable(verifyRows, sizes)}\n\n### Every contender\n\n${verifyTables(verifyRows, sizes)}`,
  );
}

if (wants('pipeline')) {
  log('\n## receiver pipeline, in process');
  const rows = await runPipeline({ rounds: quick ? 3 : 7, roundMs: quick ? 150 : 300, warmupMs: 200, clock: 'cpu' });
  log(pipelineTable(rows));
  sections.push(
    `## The receiver's own cost, in process (no HTTP)\n\n` +
      `~${PIPELINE_BODY_BYTES} B Standard Webhooks delivery, the same schema and handler as the end-to-end server; process CPU clock, median of ${quick ? 3 : 7} rounds, contenders interleaved. ` +
      `What the end-to-end figures blur with sockets and a shared load generator: the CPU hookguard's pipeline spends per delivery, against the hand-written route's work as a plain function.\n\n${pipelineTable(rows)}`,
  );
}

let e2eRows: E2ERow[] = [];
if (wants('e2e')) {
  log('\n## end-to-end through Express');
  e2eRows = await runE2E({ seconds: quick ? 3 : 4, warmupSeconds: quick ? 1 : 2, rounds: quick ? 1 : 6, connections: 10, control: true, log });
  sections.push(
    `## End-to-end through Express 5 on 127.0.0.1\n\n` +
      `~${E2E_BODY_BYTES} B signed JSON, autocannon in a separate process (10 connections), each case's server a process of its own, ` +
      `started anew every round and warmed up; ${quick ? 1 : 6} rounds of ${quick ? 3 : 4} s per case in 1-s slices, every case once per slice in a new (seeded) order; medians over the slices. ` +
      `**Server CPU per request** (the server process's CPU time over the requests it answered) is the robust figure on a shared machine; ` +
      `req/s and latency also depend on the load generator, which shares the same cores.\n` +
      `(c) answers the same signed request every time, so dedupe is off there (\`dedupe: false\`); (c′) keeps the default memory store and the load ` +
      `generator signs a new delivery (new id) per request, compared with (b′), the hand-written route under the same load generator. ` +
      `(b*) is (b) doing what (c) does after verifying (the same zod schema, the same async handler awaited before answering): (c) against (b*) is the cost of hookguard's own machinery. ` +
      `(c-gh) is hookguard on (d)'s GitHub delivery with (d)'s handler and no schema, so that hookguard and @octokit/webhooks do the same work. ` +
      `(c°) is (c) again, a second server of the same build: **its gap to (c) is this run's noise**, and a difference between two routes smaller than that gap is not one this run can show. ` +
      `${PINNING ? `Servers ran pinned to CPU ${PINNING.server} and the load generator to CPU ${PINNING.load} (taskset). ` : ''}` +
      `Ratios between two cases are paired by slice (the median of the per-slice ratios).\n\n${e2eTable(e2eRows)}\n\n${versusTable(e2eRows)}`,
  );
}

let memory: MemoryReport | undefined;
if (wants('memory')) {
  log('\n## memory');
  const { stdout } = await promisify(execFile)(process.execPath, ['--expose-gc', '--import', 'tsx', here('./memory.ts'), String(quick ? 120_000 : 200_000)], { maxBuffer: 1 << 20 });
  memory = JSON.parse(stdout.trim().split('\n').pop() as string) as MemoryReport;
  const rows = memory.samples.map(([count, rss, heap]) => [count.toLocaleString('en'), `${rss} MiB`, `${heap} MiB`]);
  sections.push(
    `## Memory: ${memory.deliveries.toLocaleString('en')} distinct deliveries through receiver.receive (no HTTP)\n\n` +
      `Default memory store (\`memoryStore()\`: at most ${memory.maxEntries.toLocaleString('en')} ids, LRU, 3-day TTL); ${memory.failures} deliveries not answered 200.\n\n` +
      `- bytes per remembered id: **${memory.storeBytesPerId} B** on a bare store (id string included) → **${memory.store100kMiB} MiB for 100,000 ids**; ` +
      `${memory.receiverBytesPerId} B measured as the receiver's heap growth while its store filled.\n\n` +
      `${table(['deliveries', 'RSS', 'heap used after GC'], rows)}`,
  );
  log(JSON.stringify(memory));
}

if (wants('bundle')) {
  log('\n## bundle size and cold start');
  const markdown = bundleMarkdown(await runBundle({ rounds: quick ? 3 : 9, log }));
  log(markdown);
  sections.push(`## Bundle size and cold start (\`npm run bench:bundle\`)\n\n<!-- bundle:start -->\n${markdown}\n<!-- bundle:end -->`);
}

const minutes = ((Date.now() - started) / 60000).toFixed(1);
const cpu = cpus();
const header =
  `# hookguard benchmark results\n\n` +
  `- machine: ${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${cpu.length} cores (shared with other work: see bench/README.md on noise)\n` +
  `- Node ${process.version}, ${process.platform}/${process.arch}; hookguard measured from ${HOOKGUARD_SOURCE}\n` +
  `- date: ${new Date().toISOString()}\n` +
  `- command: \`npm run bench${argv.length > 0 ? ` -- ${argv.join(' ')}` : ''}\` (took ${minutes} min)\n` +
  `- method: medians of rounds, contenders interleaved; verify figures on the process CPU clock, contenders taking turns in short slices on one thread with a minor GC between slices${argv.includes('--isolate') ? ', each contender in a process of its own' : ''}. ` +
  `Compare ratios, not absolute figures, across runs.\n`;
const analysisFile = here('./analysis.md');
const analysis = existsSync(analysisFile) ? `\n${readFileSync(analysisFile, 'utf8').trim()}\n` : '';
const markdown = `${header}\n${sections.join('\n\n')}\n${analysis}`;
if (only === undefined) writeFileSync(here('./RESULTS.md'), markdown);
console.log(`\n${markdown}`);
