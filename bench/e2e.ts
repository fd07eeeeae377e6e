/**
 * End-to-end: requests/s and p99 latency through Express on 127.0.0.1, each case's server in a
 * process of its own, load from a separate autocannon process; the cases measured in short
 * slices, in a new order each slice, new server processes each round.
 *
 *   npx tsx bench/e2e.ts [--quick] [--seconds 4] [--slice 1] [--rounds 6] [--connections 10] [--cases floor,handwritten,hookguard]
 *     [--against path/to/other/dist/index.js]   # adds case (c) again, its hookguard loaded from that copy
 *     [--control]                               # adds case (c) again, same build: the run's A/A noise
 */
import { fork, spawnSync, type ChildProcess } from 'node:child_process';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import './lib/deliveries.js'; // makes the run's secrets, which servers and load generators inherit
import { formatRate, formatRatio, median, pairedMedianRatio, table } from './lib/harness.js';
import { BODY_BYTES, CASES as ALL_CASES, PATH, type CaseSpec } from './e2e/cases.js';
import type { LoadReport, LoadRequest } from './e2e/load.js';

const here = (file: string): string => fileURLToPath(new URL(file, import.meta.url));

export interface E2EOptions {
  /** Seconds of load per case per round, in slices of `sliceSeconds` (default 1). */
  seconds: number;
  sliceSeconds?: number;
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
  /**
   * Adds (c°): case (c) again, a second server of the same build. Its gap to (c) is what this run
   * cannot tell apart from noise (an A/A control); a difference between routes smaller than it means nothing.
   */
  control?: boolean;
  log?: (line: string) => void;
}

export interface E2ERow {
  spec: CaseSpec;
  /** Server CPU time per request, µs (median over slices): the route's own cost. */
  cpuPerRequest: number;
  /** Against (a), on server CPU per request: (a)'s µs ÷ this case's µs. */
  cpuRatio: number;
  requestsPerSec: number;
  p99: number;
  p50: number;
  ratio: number;
  failures: number;
  /** Every slice's result, in order: slices of different cases with the same index ran seconds apart, on the same server generation. */
  slices: LoadResult[];
}

/** What the load generator saw, and the server's CPU time per request over the same load. */
export interface LoadResult extends LoadReport {
  cpuPerRequest: number;
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

interface Server {
  url: string;
  child: ChildProcess;
}

function startServer(spec: CaseSpec): Promise<Server> {
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

/** Asks the server to close and waits for its exit, so it cannot work on into the next round. */
function stopServer({ child }: Server): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.disconnect();
  });
}

/** One load generator for the whole run (a process started per measurement would cost a second each). */
interface Loader {
  run(request: LoadRequest): Promise<LoadReport>;
  close(): Promise<void>;
}

function startLoader(): Loader {
  const child = fork(here('./e2e/load.ts'), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  if (PINNING && child.pid !== undefined) spawnSync('taskset', ['-a', '-cp', PINNING.load, String(child.pid)]);
  return {
    run: (request) =>
      new Promise((resolve, reject) => {
        const onExit = (code: number | null): void => reject(new Error(`the load generator exited (${String(code)})`));
        child.once('exit', onExit);
        child.once('message', (reply: LoadReport | { error: string }) => {
          child.off('exit', onExit);
          if ('error' in reply) reject(new Error(reply.error));
          else resolve(reply);
        });
        child.send(request);
      }),
    close: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.disconnect();
      }),
  };
}

async function load(loader: Loader, server: Server, spec: CaseSpec, seconds: number, connections: number): Promise<LoadResult> {
  const before = await serverCpu(server.child);
  const result = await loader.run({ url: server.url, kind: spec.request, seconds, connections });
  const after = await serverCpu(server.child);
  return { ...result, cpuPerRequest: (after - before) / Math.max(result.total, 1) };
}

export async function runE2E(options: E2EOptions): Promise<E2ERow[]> {
  const chosen = options.cases === undefined ? ALL_CASES : ALL_CASES.filter((spec) => options.cases?.includes(spec.name));
  const CASES: CaseSpec[] = [...chosen];
  if (options.against !== undefined) CASES.push({ name: 'hookguard', label: `(c*) as (c), hookguard from ${options.against}`, request: 'swh-fixed', source: options.against });
  if (options.control === true) CASES.push({ name: 'hookguard', label: '(c°) as (c), a second server of the same build: the A/A control', request: 'swh-fixed' });
  const results = new Map<CaseSpec, LoadResult[]>(CASES.map((spec) => [spec, []]));
  const sliceSeconds = options.sliceSeconds ?? 1;
  const slices = Math.max(1, Math.round(options.seconds / sliceSeconds));
  const loader = startLoader();
  try {
    for (let round = 0; round < options.rounds; round++) {
      // New server processes every round: a process keeps its own luck for its whole life (where
      // its heap and code landed, what the JIT chose) — with one process per case, routes doing
      // more work than (b) measured 4–14% faster than it; pairing evens out slow spells, not that.
      const servers = await Promise.all(CASES.map(startServer));
      try {
        for (const [i, spec] of CASES.entries()) {
          const warm = await load(loader, servers[i] as Server, spec, options.warmupSeconds, options.connections);
          if (warm.non2xx + warm.errors > 0 || warm.total === 0) throw new Error(`${spec.name}: ${warm.non2xx} non-2xx, ${warm.errors} errors while warming up`);
        }
        // Short slices, every case once per slice in a new order: a slow spell of the machine
        // lasting seconds then hits the cases of a slice alike.
        for (let slice = 0; slice < slices; slice++) {
          for (const i of sliceOrder(CASES.length, round * slices + slice)) {
            const spec = CASES[i] as CaseSpec;
            const result = await load(loader, servers[i] as Server, spec, sliceSeconds, options.connections);
            results.get(spec)?.push(result);
            options.log?.(
              `  round ${round + 1}.${slice + 1} ${`${spec.label.split(' ')[0] as string} ${spec.name}`.padEnd(26)} ${formatRate(result.requestsPerSec).padStart(7)} req/s  ${result.cpuPerRequest.toFixed(0).padStart(4)} µs CPU/req  p99 ${result.p99} ms  non-2xx ${result.non2xx}`,
            );
          }
        }
      } finally {
        await Promise.all(servers.map(stopServer));
      }
    }
  } finally {
    await loader.close();
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
      slices: list,
    };
  });
}

/**
 * The order the cases run in slice number `slice` of the run: a shuffle, seeded so runs repeat. A rotation leaves
 * every case always following the same one, and a server may keep working for a while after its
 * load stops (V8's idle-time GC) on the core the next case's server is pinned to.
 */
export function sliceOrder(count: number, slice: number): number[] {
  const order = Array.from({ length: count }, (_, i) => i);
  let seed = (slice + 1) * 0x9e3779b1;
  const random = (): number => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  for (let i = count - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  return order;
}

/**
 * `row` against `other`, paired by slice: `other`'s server CPU per request ÷ `row`'s (above 1:
 * `row` costs less), and `row`'s req/s ÷ `other`'s. Each slice measures every case back to back
 * within seconds, so a slow spell of the shared machine hits both sides of a pair.
 */
export function paired(row: E2ERow, other: E2ERow): { cpu: number; rps: number } {
  const cpu = (r: LoadResult): number => r.cpuPerRequest;
  const rps = (r: LoadResult): number => r.requestsPerSec;
  return {
    cpu: pairedMedianRatio(other.slices.map(cpu), row.slices.map(cpu)),
    rps: pairedMedianRatio(row.slices.map(rps), other.slices.map(rps)),
  };
}

/** The route each hookguard case is held against: the hand-written route doing the same, or the peer on the same delivery. */
const COUNTERPART: Readonly<Record<string, string>> = { hookguard: 'handwritten', 'hookguard-dedupe': 'handwritten-unique', 'hookguard-github': 'octokit' };

export function e2eTable(rows: readonly E2ERow[]): string {
  const byName = new Map(rows.map((row) => [row.spec.name, row]));
  const body = rows.map((row) => {
    const counterpart = COUNTERPART[row.spec.name];
    const vs = counterpart === undefined ? undefined : byName.get(counterpart as CaseSpec['name']);
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
  return table(['case', 'server CPU / request', '× (a), by CPU', 'req/s', '× (a), by req/s', '× its counterpart ((b), (b′), (d)), paired by slice (CPU · req/s)', 'p99', 'p50', 'non-2xx / errors'], body);
}

/**
 * hookguard against each other route, paired by slice: above 1.00× hookguard costs less / serves
 * more. (c) against every route of its own kind of delivery; (c-gh) against (d), whose GitHub
 * delivery and handler it shares.
 */
export function versusTable(rows: readonly E2ERow[]): string {
  const hookguard = rows.find((row) => row.spec.name === 'hookguard');
  const github = rows.find((row) => row.spec.name === 'hookguard-github');
  const pairs: [E2ERow, E2ERow][] = [];
  for (const other of rows) {
    if (hookguard && other !== hookguard && !['floor', 'hookguard-dedupe', 'hookguard-github', 'octokit'].includes(other.spec.name)) pairs.push([hookguard, other]);
    if (github && other.spec.name === 'octokit') pairs.push([github, other]);
  }
  if (pairs.length === 0) return '';
  const body = pairs.map(([mine, other]) => {
    const ratios = paired(mine, other);
    return [mine.spec.label.split(' ')[0] as string, other.spec.label, formatRatio(ratios.cpu), formatRatio(ratios.rps), ratios.cpu >= 1 ? 'hookguard ahead' : 'hookguard behind'];
  });
  return table(['hookguard', 'against', 'CPU per request: theirs ÷ hookguard’s', 'req/s: hookguard’s ÷ theirs', ''], body);
}

export const E2E_BODY_BYTES = BODY_BYTES;

if (import.meta.url === `file://${process.argv[1]}`) {
  const argv = process.argv.slice(2);
  const value = (flag: string): string | undefined => (argv.includes(flag) ? argv[argv.indexOf(flag) + 1] : undefined);
  const quick = argv.includes('--quick');
  const rows = await runE2E({
    seconds: Number(value('--seconds') ?? (quick ? 3 : 4)),
    sliceSeconds: Number(value('--slice') ?? 1),
    warmupSeconds: quick ? 1 : 2,
    rounds: Number(value('--rounds') ?? (quick ? 1 : 6)),
    connections: Number(value('--connections') ?? 10),
    ...(value('--cases') ? { cases: (value('--cases') as string).split(',') } : {}),
    ...(value('--against') ? { against: value('--against') as string } : {}),
    control: argv.includes('--control'),
    log: (line) => console.log(line),
  });
  console.log(`\n${e2eTable(rows)}\n\n${versusTable(rows)}`);
}
