/**
 * End-to-end: requests/s and p99 latency through Express on 127.0.0.1, each case's server in a
 * process of its own, load from a separate autocannon process, rounds interleaved across cases.
 *
 *   npx tsx bench/e2e.ts [--quick] [--seconds 4] [--rounds 5] [--connections 10] [--cases floor,handwritten,hookguard]
 *     [--against path/to/other/dist/index.js]   # adds case (c) again, its hookguard loaded from that copy
 */
import { execFile, fork, spawnSync, type ChildProcess } from 'node:child_process';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import './lib/deliveries.js'; // makes the run's secrets, which servers and load generators inherit
import { formatRate, formatRatio, median, table } from './lib/harness.js';
import { BODY_BYTES, CASES as ALL_CASES, PATH, type CaseSpec } from './e2e/cases.js';

const run = promisify(execFile);
const here = (file: string): string => fileURLToPath(new URL(file, import.meta.url));

export interface E2EOptions {
  seconds: number;
  warmupSeconds: number;
  rounds: number;
  connections: number;
  /** Only these cases (names from e2e/cases.ts); default all. */
  cases?: readonly string[];
  /**
   * Another copy of hookguard (its index, as `HOOKGUARD_BENCH_SRC` takes it): case (c) runs a
   * second time with that copy, in the same rounds, to measure a change against the code before it.
   */
  against?: string;
  log?: (line: string) => void;
}

export interface E2ERow {
  spec: CaseSpec;
  /** Server CPU time per request, µs (median over rounds): the route's own cost. */
  cpuPerRequest: number;
  /** Against (a), on server CPU per request: (a)'s µs ÷ this case's µs. */
  cpuRatio: number;
  requestsPerSec: number;
  p99: number;
  p50: number;
  ratio: number;
  failures: number;
  /** Every round's result, in round order: rounds of different cases with the same index ran minutes apart at most. */
  rounds: LoadResult[];
}

export interface LoadResult {
  cpuPerRequest: number;
  requestsPerSec: number;
  p99: number;
  p50: number;
  non2xx: number;
  errors: number;
  total: number;
}

function serverCpu(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    const onMessage = (message: { cpu?: number }): void => {
      if (typeof message.cpu !== 'number') return;
      child.off('message', onMessage);
      resolve(message.cpu);
    };
    child.on('message', onMessage);
    child.send({ cmd: 'cpu' });
  });
}

/**
 * On a machine with two or more cores and `taskset`, servers run on the last core and the load
 * generator on the others, so the two never take turns on one core: without it, a server's CPU
 * per request swung by ±20% between identical runs on a 2-core machine, with how often the
 * scheduler happened to interleave them.
 */
export const PINNING = pinning();

function pinning(): { server: string; load: string } | undefined {
  const count = cpus().length;
  if (count < 2 || process.platform !== 'linux' || spawnSync('taskset', ['-p', String(process.pid)]).status !== 0) return undefined;
  return { server: String(count - 1), load: count === 2 ? '0' : `0-${count - 2}` };
}

function startServer(spec: CaseSpec): Promise<{ url: string; child: ChildProcess }> {
  const child = fork(here('./e2e/server.ts'), [spec.name], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: spec.source === undefined ? process.env : { ...process.env, HOOKGUARD_BENCH_SRC: spec.source },
  });
  return new Promise((resolve, reject) => {
    child.once('message', (message: { port: number }) => {
      // Every thread of the server (its main thread and libuv's pool), once it is listening.
      if (PINNING && child.pid !== undefined) spawnSync('taskset', ['-a', '-cp', PINNING.server, String(child.pid)]);
      resolve({ url: `http://127.0.0.1:${message.port}${PATH}`, child });
    });
    child.once('exit', (code) => reject(new Error(`${spec.name} server exited (${code})`)));
  });
}

async function load(server: { url: string; child: ChildProcess }, spec: CaseSpec, seconds: number, connections: number): Promise<LoadResult> {
  const before = await serverCpu(server.child);
  const command = [process.execPath, '--import', 'tsx', here('./e2e/load.ts'), server.url, spec.request, String(seconds), String(connections)];
  const [file, ...args] = PINNING ? ['taskset', '-c', PINNING.load, ...command] : command;
  const { stdout } = await run(file as string, args, {
    maxBuffer: 1 << 20,
  });
  const after = await serverCpu(server.child);
  const result = JSON.parse(stdout.trim().split('\n').pop() as string) as Omit<LoadResult, 'cpuPerRequest'>;
  return { ...result, cpuPerRequest: (after - before) / Math.max(result.total, 1) };
}

export async function runE2E(options: E2EOptions): Promise<E2ERow[]> {
  const chosen = options.cases === undefined ? ALL_CASES : ALL_CASES.filter((spec) => options.cases?.includes(spec.name));
  const CASES: readonly CaseSpec[] = options.against === undefined ? chosen : [...chosen, { name: 'hookguard', label: `(c*) as (c), hookguard from ${options.against}`, request: 'swh-fixed', source: options.against }];
  const servers = await Promise.all(CASES.map(startServer));
  try {
    const results = new Map<CaseSpec, LoadResult[]>(CASES.map((spec) => [spec, []]));
    for (const [i, spec] of CASES.entries()) {
      const warm = await load(servers[i] as { url: string; child: ChildProcess }, spec, options.warmupSeconds, options.connections);
      if (warm.non2xx + warm.errors > 0 || warm.total === 0) throw new Error(`${spec.name}: ${warm.non2xx} non-2xx, ${warm.errors} errors while warming up`);
    }
    for (let round = 0; round < options.rounds; round++) {
      for (let k = 0; k < CASES.length; k++) {
        const i = (round + k) % CASES.length;
        const spec = CASES[i] as CaseSpec;
        const result = await load(servers[i] as { url: string; child: ChildProcess }, spec, options.seconds, options.connections);
        results.get(spec)?.push(result);
        options.log?.(
          `  round ${round + 1} ${spec.name.padEnd(20)} ${formatRate(result.requestsPerSec).padStart(7)} req/s  ${result.cpuPerRequest.toFixed(0).padStart(4)} µs CPU/req  p99 ${result.p99} ms  non-2xx ${result.non2xx}`,
        );
      }
    }
    const floor = median((results.get(CASES[0] as CaseSpec) ?? []).map((r) => r.requestsPerSec));
    const floorCpu = median((results.get(CASES[0] as CaseSpec) ?? []).map((r) => r.cpuPerRequest));
    return CASES.map((spec) => {
      const list = results.get(spec) ?? [];
      const requestsPerSec = median(list.map((r) => r.requestsPerSec));
      const cpuPerRequest = median(list.map((r) => r.cpuPerRequest));
      return {
        spec,
        cpuPerRequest,
        cpuRatio: floorCpu / cpuPerRequest,
        requestsPerSec,
        p99: median(list.map((r) => r.p99)),
        p50: median(list.map((r) => r.p50)),
        ratio: requestsPerSec / floor,
        failures: list.reduce((sum, r) => sum + r.non2xx + r.errors, 0),
        rounds: list,
      };
    });
  } finally {
    for (const { child } of servers) child.disconnect();
  }
}

/**
 * `row` against `other`, round by round, then the median: `other`'s server CPU per request ÷
 * `row`'s (above 1: `row` costs less), and `row`'s req/s ÷ `other`'s. Each round measures every
 * case back to back, so a slow spell of the shared machine hits both sides of a pair; the
 * paired median is steadier than a ratio of the two medians.
 */
export function paired(row: E2ERow, other: E2ERow): { cpu: number; rps: number } {
  const count = Math.min(row.rounds.length, other.rounds.length);
  const cpu: number[] = [];
  const rps: number[] = [];
  for (let i = 0; i < count; i++) {
    const mine = row.rounds[i] as LoadResult;
    const theirs = other.rounds[i] as LoadResult;
    cpu.push(theirs.cpuPerRequest / mine.cpuPerRequest);
    rps.push(mine.requestsPerSec / theirs.requestsPerSec);
  }
  return { cpu: median(cpu), rps: median(rps) };
}

export function e2eTable(rows: readonly E2ERow[]): string {
  const byName = new Map(rows.map((row) => [row.spec.name, row]));
  const body = rows.map((row) => {
    const vs = row.spec.name === 'hookguard' ? byName.get('handwritten') : row.spec.name === 'hookguard-dedupe' ? byName.get('handwritten-unique') : undefined;
    const ratios = vs ? paired(row, vs) : undefined;
    const versus = ratios ? `${formatRatio(ratios.cpu)} · ${formatRatio(ratios.rps)}` : '';
    return [
      row.spec.label,
      `${row.cpuPerRequest.toFixed(0)} µs`,
      formatRatio(row.cpuRatio),
      formatRate(row.requestsPerSec),
      formatRatio(row.ratio),
      versus,
      `${row.p99} ms`,
      `${row.p50} ms`,
      String(row.failures),
    ];
  });
  return table(['case', 'server CPU / request', '× (a), by CPU', 'req/s', '× (a), by req/s', '× its hand-written route, paired by round (CPU · req/s)', 'p99', 'p50', 'non-2xx / errors'], body);
}

/** hookguard's full pipeline (c) against each other route, paired by round: above 1.00× hookguard costs less / serves more. */
export function versusTable(rows: readonly E2ERow[]): string {
  const hookguard = rows.find((row) => row.spec.name === 'hookguard');
  if (!hookguard) return '';
  const others = rows.filter((row) => row !== hookguard && row.spec.name !== 'floor' && row.spec.name !== 'hookguard-dedupe');
  const body = others.map((other) => {
    const ratios = paired(hookguard, other);
    return [other.spec.label, formatRatio(ratios.cpu), formatRatio(ratios.rps), ratios.cpu >= 1 ? 'hookguard ahead' : 'hookguard behind'];
  });
  return table(['(c) hookguard against', 'CPU per request: theirs ÷ hookguard’s', 'req/s: hookguard’s ÷ theirs', ''], body);
}

export const E2E_BODY_BYTES = BODY_BYTES;

if (import.meta.url === `file://${process.argv[1]}`) {
  const argv = process.argv.slice(2);
  const value = (flag: string): string | undefined => (argv.includes(flag) ? argv[argv.indexOf(flag) + 1] : undefined);
  const quick = argv.includes('--quick');
  const rows = await runE2E({
    seconds: Number(value('--seconds') ?? (quick ? 3 : 4)),
    warmupSeconds: quick ? 1 : 2,
    rounds: Number(value('--rounds') ?? (quick ? 1 : 5)),
    connections: Number(value('--connections') ?? 10),
    ...(value('--cases') ? { cases: (value('--cases') as string).split(',') } : {}),
    ...(value('--against') ? { against: value('--against') as string } : {}),
    log: (line) => console.log(line),
  });
  console.log(`\n${e2eTable(rows)}\n\n${versusTable(rows)}`);
}
