/**
 * Compression bombs held open against a server in a child process (#13 item 1): 120 brotli and
 * gzip bombs per adapter (nodeHandler, Express, fetchHandler on @hono/node-server), each with a
 * well-formed forged signature and a fresh timestamp, chunked and never finished. The server's
 * RSS (read from /proc) must grow by less than 300 MiB, genuine deliveries must keep being
 * answered 200, and the process must stay alive.
 */
import { Buffer } from 'node:buffer';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { providers } from '../../src/providers/index.js';
import { startApp, type AppProcess } from '../helpers/app-process.js';

const APP = fileURLToPath(new URL('../helpers/bomb-app.ts', import.meta.url));
const GITHUB_SECRET = randomBytes(24).toString('hex');
const SW_SECRET = `whsec_${randomBytes(32).toString('base64')}`;
const github = providers.github({ secret: GITHUB_SECRET });
const sw = providers.standardWebhooks({ secret: SW_SECRET });

const BOMBS_PER_ADAPTER = 120;
const RSS_GROWTH_LIMIT_MIB = 300;
/** Just under GitHub's 25 MiB, as in the report. */
const INFLATED = 25 * 1024 * 1024 - 4096;

const brotliBomb = brotliCompressSync(Buffer.alloc(INFLATED), {
  params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_LGWIN]: 24 },
});
const gzipBomb = gzipSync(Buffer.alloc(INFLATED), { level: 9 });

let app: AppProcess;
let ports: { node: number; express: number; fetch: number };
const sockets: Socket[] = [];

beforeAll(async () => {
  app = await startApp({ GITHUB_SECRET, SW_SECRET }, APP);
  const [node, express, fetch] = (app.url.split(':').at(-1) as string).split(',').map(Number) as [number, number, number];
  ports = { node, express, fetch };
}, 40_000);

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await app?.kill();
});

/** VmRSS of the server process, in bytes. */
function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
  return Number(kib) * 1024;
}

/** Forged but well-formed headers: a GitHub sha256 signature, or a Standard Webhooks one with a fresh timestamp. */
function forgedHeaders(path: '/github' | '/sw'): Record<string, string> {
  if (path === '/github') {
    return { 'x-github-event': 'push', 'x-github-delivery': randomBytes(8).toString('hex'), 'x-hub-signature-256': `sha256=${randomBytes(32).toString('hex')}` };
  }
  return {
    'webhook-id': `msg_${randomBytes(8).toString('hex')}`,
    'webhook-timestamp': String(Math.floor(Date.now() / 1000)),
    'webhook-signature': `v1,${randomBytes(32).toString('base64')}`,
  };
}

/** Sends the bomb as one chunk of a chunked body that is never finished; resolves with the answer, the socket left open. */
function holdBomb(port: number, path: '/github' | '/sw', encoding: 'br' | 'gzip'): Promise<{ status: number; code: string | undefined }> {
  const bomb = encoding === 'br' ? brotliBomb : gzipBomb;
  const head = [`POST ${path} HTTP/1.1`, 'Host: 127.0.0.1', 'Content-Type: application/json', 'Transfer-Encoding: chunked', `Content-Encoding: ${encoding}`];
  for (const [name, value] of Object.entries(forgedHeaders(path))) head.push(`${name}: ${value}`);
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    sockets.push(socket);
    let received = '';
    const timer = setTimeout(() => reject(new Error(`no answer to a ${encoding} bomb on ${port}${path} within 30 s`)), 30_000);
    socket.on('error', reject);
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
      const split = received.indexOf('\r\n\r\n');
      if (split === -1) return;
      // Express and nodeHandler send a Content-Length; Hono's node-server may send the body chunked.
      const code = /"code":"([a-z_]+)"/.exec(received.slice(split))?.[1];
      if (code === undefined && !/"ok":true/.test(received.slice(split))) return;
      clearTimeout(timer);
      resolve({ status: Number(received.slice(9, 12)), code });
    });
    socket.write(`${head.join('\r\n')}\r\n\r\n${bomb.byteLength.toString(16)}\r\n`);
    socket.write(bomb);
    socket.write('\r\n'); // the chunk ends; the terminating 0-chunk never comes
  });
}

/** A genuine delivery over fetch; its status. */
async function deliver(port: number, path: '/github' | '/sw'): Promise<number> {
  const body = JSON.stringify({ type: 'invoice.paid', zen: 'ok', data: { n: randomBytes(4).toString('hex') } });
  const signed = path === '/github' ? github.sign({ body, type: 'push' }) : sw.sign({ body });
  const response = await fetch(`http://127.0.0.1:${port}${path}`, { method: 'POST', headers: { ...signed.headers, 'content-type': 'application/json' }, body });
  await response.text();
  return response.status;
}

describe('compression bombs held open against nodeHandler, Express and fetchHandler in a child process (#13)', () => {
  it(`${BOMBS_PER_ADAPTER} brotli and gzip bombs per adapter grow RSS by < ${RSS_GROWTH_LIMIT_MIB} MiB; genuine deliveries answered 200; the server lives`, async () => {
    const pid = app.child.pid as number;
    const targets = [ports.node, ports.express, ports.fetch];
    // Warm every path first so that what is measured is the attack, not first-use allocations.
    for (const port of targets) for (const path of ['/github', '/sw'] as const) expect(await deliver(port, path)).toBe(200);
    const baseline = rssOf(pid);
    let peak = baseline;
    const sampler = setInterval(() => {
      peak = Math.max(peak, rssOf(pid));
    }, 20);

    const bombs: Promise<{ status: number; code: string | undefined }>[] = [];
    const during: Promise<number>[] = [];
    for (let i = 0; i < BOMBS_PER_ADAPTER; i++) {
      for (const port of targets) bombs.push(holdBomb(port, i % 2 === 0 ? '/github' : '/sw', i % 4 < 2 ? 'br' : 'gzip'));
      if (i % 20 === 0) for (const port of targets) during.push(deliver(port, '/github'));
    }
    const answers = await Promise.all(bombs);
    const duringStatuses = await Promise.all(during);
    // With every bomb's connection still open: genuine deliveries through each adapter.
    const after: number[] = [];
    for (const port of targets) for (const path of ['/github', '/sw'] as const) for (let k = 0; k < 3; k++) after.push(await deliver(port, path));
    clearInterval(sampler);
    peak = Math.max(peak, rssOf(pid));

    const tally = new Map<string, number>();
    for (const { status, code } of answers) tally.set(`${status} ${code}`, (tally.get(`${status} ${code}`) ?? 0) + 1);
    const growthMiB = (peak - baseline) / 1024 / 1024;
    console.log(
      `body budget: ${answers.length} bombs held open (brotli ${brotliBomb.byteLength} B, gzip ${gzipBomb.byteLength} B, each inflating to ${INFLATED} B); ` +
        `server RSS ${(baseline / 1048576).toFixed(1)} MiB → peak ${(peak / 1048576).toFixed(1)} MiB (+${growthMiB.toFixed(1)} MiB, limit ${RSS_GROWTH_LIMIT_MIB}); ` +
        `answers ${JSON.stringify(Object.fromEntries(tally))}; genuine during ${JSON.stringify(duringStatuses)}, after ${JSON.stringify(after)}`,
    );

    expect(answers).toHaveLength(3 * BOMBS_PER_ADAPTER);
    // Each bomb is refused: inflated past the ratio cap (413), the budget full (503), or brotli on fetch (400).
    for (const answer of answers) {
      expect([[413, 'body_too_large'], [503, 'overloaded'], [400, 'invalid_body']]).toContainEqual([answer.status, answer.code]);
    }
    expect(growthMiB).toBeLessThan(RSS_GROWTH_LIMIT_MIB);
    for (const status of duringStatuses) expect([200, 503]).toContain(status); // answered, at worst "retry later"
    expect(after).toEqual(Array(after.length).fill(200));
    expect(app.child.exitCode).toBeNull();
    expect(app.child.signalCode).toBeNull();
  }, 120_000);
});
