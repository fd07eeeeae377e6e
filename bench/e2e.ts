/**
 * End-to-end through Express 5 on 127.0.0.1: each case's server in a process of its own, new
 * servers every round (warmed up), one autocannon process for the whole run, the cases measured
 * in 1-s slices in a new seeded order each slice. The figure that survives a shared machine is
 * the server's CPU per request; ratios between cases are paired by slice.
 *
 *   npx tsx bench/e2e.ts [--quick] [--seconds 4] [--rounds 6] [--connections 10] [--cases floor,handwritten,hookguard]
 *     [--control]                     # adds (c°): (c) again from a second server of the same build, the A/A control
 *     [--against <other>/dist/index.js]  # adds (c*): (c) with hookguard loaded from another copy
 */
import { fork, spawnSync, type ChildProcess } from 'node:child_process';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { LoadReport, LoadRequest } from './e2e/load.js';
import './lib/deliveries.js'; // makes the run's secrets, which servers and the load generator inherit
import { flag, formatRate, formatRatio, isMain, median, option, pairedRatio, table } from './lib/harness.js';

export const E2E_BODY_BYTES = 1024;
const PATH = '/webhook';

export interface CaseSpec {
  name: 'floor' | 'handwritten' | 'handwritten-handled' | 'hookguard';
  label: string;
  /** Another copy of hookguard for this server (`HOOKGUARD_BENCH_SRC`). */
  source?: string;
}

export const CASES: readonly CaseSpec[] = [
  { name: 'floor', label: '(a) express.raw() floor route' },
  { name: 'handwritten', label: '(b) express.raw() + HMAC + JSON.parse' },
  { name: 'handwritten-handled', label: '(b*) as (b), then the zod schema and the async handler of (c)' },
  { name: 'hookguard', label: '(c) hookguard expressMiddleware, dedupe: false' },
];

export interface E2EOptions {
  seconds: number;
  warmupSeconds: number;
  rounds: number;
  connections: number;
  cases?: readonly string[];
  against?: string;
  control?: boolean;
  log?: (line: string) => void;
}

type Slice = LoadReport & { cpuPerRequest: number };

export interface E2ERow {
  spec: CaseSpec;
  /** Every slice, in order: slices with the same index ran seconds apart. */
  slices: Slice[];
}

/** With taskset and 2+ cores, servers run on the last core and the load generator on the others. */
export const PINNING = pinning();

function pinning(): { server: string; load: string } | undefined {
  const count = cpus().length;
  if (count < 2 || process.platform !== 'linux' || spawnSync('taskset', ['-p', String(process.pid)]).status !== 0) return undefined;
  return { server: String(count - 1), load: count === 2 ? '0' : `0-${count - 2}` };
}

function spawn(file: string, args: string[], cpu: string | undefined, env = process.env): ChildProcess {
  const child = fork(fileURLToPath(new URL(file, import.meta.url)), args, { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'], env });
  if (cpu !== undefined && child.pid !== undefined) spawnSync('taskset', ['-a', '-cp', cpu, String(child.pid)]);
  return child;
}

/** Sends `message` (if any) and resolves with the child's next reply that `accept` takes. */
function ask<T>(child: ChildProcess, message: object | undefined, accept: (reply: Record<string, unknown>) => boolean = () => true): Promise<T> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null): void => reject(new Error(`a bench process exited (${String(code)})`));
    const onMessage = (reply: Record<string, unknown>): void => {
      if (!accept(reply)) return;
      child.off('message', onMessage).off('exit', onExit);
      if (typeof reply.error === 'string') reject(new Error(reply.error));
      else resolve(reply as T);
    };
    child.on('message', onMessage).once('exit', onExit);
    if (message !== undefined) child.send(message);
  });
}

async function startServer(spec: CaseSpec): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn('./e2e/server.ts', [spec.name, PATH], undefined, spec.source === undefined ? process.env : { ...process.env, HOOKGUARD_BENCH_SRC: spec.source });
  const { port } = await ask<{ port: number }>(child, undefined, (reply) => typeof reply.port === 'number');
  // Pinned once listening, so every thread it started (libuv's pool too) moves.
  if (PINNING && child.pid !== undefined) spawnSync('taskset', ['-a', '-cp', PINNING.server, String(child.pid)]);
  return { url: `http://127.0.0.1:${port}${PATH}`, child };
}

/** Disconnects and waits for the exit, so a server cannot work on into the next round. */
function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.disconnect();
  });
}

async function load(loader: ChildProcess, server: { url: string; child: ChildProcess }, seconds: number, connections: number): Promise<Slice> {
  const cpu = async (): Promise<number> => (await ask<{ cpu: number }>(server.child, { cmd: 'cpu' }, (reply) => typeof reply.cpu === 'number')).cpu;
  const before = await cpu();
  const request: LoadRequest = { url: server.url, bodyBytes: E2E_BODY_BYTES, seconds, connections };
  const result = await ask<LoadReport>(loader, request);
  return { ...result, cpuPerRequest: ((await cpu()) - before) / Math.max(result.total, 1) };
}

export async function runE2E(options: E2EOptions): Promise<E2ERow[]> {
  const cases: CaseSpec[] = CASES.filter((spec) => options.cases === undefined || options.cases.includes(spec.name));
  if (options.against !== undefined) cases.push({ name: 'hookguard', label: `(c*) as (c), hookguard from ${options.against}`, source: options.against });
  if (options.control === true) cases.push({ name: 'hookguard', label: '(c°) as (c), a second server of the same build: the A/A control' });
  const rows: E2ERow[] = cases.map((spec) => ({ spec, slices: [] }));
  const loader = spawn('./e2e/load.ts', [], PINNING?.load);
  try {
    for (let round = 0; round < options.rounds; round++) {
      // New servers every round: a process keeps its own luck (heap and code placement, JIT choices) for its whole life.
      const servers = await Promise.all(cases.map(startServer));
      try {
        for (const [i, server] of servers.entries()) {
          const warm = await load(loader, server, options.warmupSeconds, options.connections);
          if (warm.non2xx + warm.errors > 0 || warm.total === 0) throw new Error(`${cases[i]?.label}: ${warm.non2xx} non-2xx, ${warm.errors} errors while warming up`);
        }
        for (let slice = 0; slice < options.seconds; slice++) {
          for (const i of sliceOrder(cases.length, round * options.seconds + slice)) {
            const result = await load(loader, servers[i] as { url: string; child: ChildProcess }, 1, options.connections);
            rows[i]?.slices.push(result);
            options.log?.(`  round ${round + 1}.${slice + 1} ${(cases[i]?.label.split(' ')[0] ?? '').padEnd(5)} ${formatRate(result.requestsPerSec).padStart(7)} req/s  ${result.cpuPerRequest.toFixed(0).padStart(4)} µs CPU/req  non-2xx ${result.non2xx}`);
          }
        }
      } finally {
        await Promise.all(servers.map((server) => stop(server.child)));
      }
    }
  } finally {
    await stop(loader);
  }
  return rows;
}

/** A seeded shuffle: with a fixed rotation every case would follow the same one (whose server may still be collecting garbage). */
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

/** `row` against `other`, paired by slice: their CPU per request ÷ `row`'s, `row`'s req/s ÷ theirs (above 1: `row` ahead). */
export function paired(row: E2ERow, other: E2ERow): { cpu: number; rps: number } {
  return {
    cpu: pairedRatio(other.slices.map((s) => s.cpuPerRequest), row.slices.map((s) => s.cpuPerRequest)),
    rps: pairedRatio(row.slices.map((s) => s.requestsPerSec), other.slices.map((s) => s.requestsPerSec)),
  };
}

/** One row per case; the last column holds (c) against that case, so (c) vs (b*) and vs (c°) read off directly. */
export function e2eTable(rows: readonly E2ERow[]): string {
  const hookguard = rows.find((row) => row.spec.name === 'hookguard' && row.spec.label.startsWith('(c)'));
  const body = rows.map((row) => {
    const versus = hookguard && row !== hookguard ? paired(hookguard, row) : undefined;
    return [
      row.spec.label,
      `${median(row.slices.map((s) => s.cpuPerRequest)).toFixed(0)} µs`,
      formatRate(median(row.slices.map((s) => s.requestsPerSec))),
      `${median(row.slices.map((s) => s.p99))} ms`,
      String(row.slices.reduce((sum, s) => sum + s.non2xx + s.errors, 0)),
      versus ? `${formatRatio(versus.cpu)} · ${formatRatio(versus.rps)}` : '',
    ];
  });
  return table(['case', 'server CPU / request', 'req/s', 'p99', 'non-2xx / errors', '(c) against this case, paired (CPU · req/s)'], body);
}

if (isMain(import.meta.url)) {
  const quick = flag('quick');
  const rows = await runE2E({
    seconds: Number(option('seconds', quick ? '3' : '4')),
    warmupSeconds: quick ? 1 : 2,
    rounds: Number(option('rounds', quick ? '1' : '6')),
    connections: Number(option('connections', '10')),
    ...(option('cases') ? { cases: (option('cases') as string).split(',') } : {}),
    ...(option('against') ? { against: option('against') as string } : {}),
    control: flag('control'),
    log: (line) => console.log(line),
  });
  console.log(`\n${e2eTable(rows)}`);
}
