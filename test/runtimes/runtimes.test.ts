import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { Miniflare } from 'miniflare';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { slack } from '../../src/providers/presets.js';
import { signRequest } from '../../src/testing/index.js';
import { MAX_BODY_BYTES, SLACK_SECRET, SWH_SECRET } from './app.js';

// The conformance subset through fetchHandler on real runtimes (#15): Bun, Deno and workerd install
// from npm as devDependencies, so none of these is ever skipped.
const here = (file: string): string => fileURLToPath(new URL(file, import.meta.url));
const bin = (name: string): string => fileURLToPath(new URL(`../../node_modules/.bin/${name}`, import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'hookguard-runtimes-'));

async function bundle(entry: string): Promise<string> {
  const outfile = join(dir, entry.replace(/\.ts$/, '.mjs'));
  await build({ entryPoints: [here(`./${entry}`)], outfile, bundle: true, format: 'esm', platform: 'neutral', mainFields: ['module', 'main'], external: ['node:*'], logLevel: 'silent' });
  return outfile;
}

/** Starts `command`, resolving the base URL once it prints `listening <port>`. */
function serve(command: string, args: string[]): Promise<{ url: string; child: ChildProcess }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1', DENO_NO_UPDATE_CHECK: '1' } });
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const port = /listening (\d+)/.exec(output)?.[1];
      if (port) resolve({ url: `http://127.0.0.1:${port}`, child });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) => reject(new Error(`${command} exited with ${code}: ${output}`)));
  });
}

interface Runtime {
  name: string;
  start(): Promise<{ url: string; stop(): Promise<void> }>;
}

const workerd = (flags: string[]): Runtime['start'] => async () => {
  const mf = new Miniflare({ modules: true, script: readFileSync(await bundle('worker.ts'), 'utf8'), compatibilityDate: '2024-09-23', compatibilityFlags: flags, host: '127.0.0.1', port: 0 });
  const url = (await mf.ready).origin;
  return { url, stop: () => mf.dispose() };
};

const process_ = (command: string, args: (file: string) => string[], entry: string): Runtime['start'] => async () => {
  const { url, child } = await serve(command, args(await bundle(entry)));
  return { url, stop: async () => void child.kill() };
};

const RUNTIMES: Runtime[] = [
  { name: 'Bun', start: process_(bin('bun'), (file) => ['run', file], 'serve-bun.ts') },
  { name: 'Deno', start: process_(bin('deno'), (file) => ['run', '--allow-net', '--allow-env', '--no-prompt', file], 'serve-deno.ts') },
  { name: 'workerd (nodejs_compat)', start: workerd(['nodejs_compat']) },
];

const webhook = new Webhook(SWH_SECRET);
const nowSeconds = (): number => Math.floor(Date.now() / 1000);

/** A Standard Webhooks delivery signed by the standardwebhooks library (the oracle). */
function signed(payload: unknown, options: { id?: string; timestamp?: number } = {}): { headers: Record<string, string>; body: string } {
  const body = JSON.stringify(payload);
  const id = options.id ?? `msg_${Math.random().toString(36).slice(2)}`;
  const timestamp = options.timestamp ?? nowSeconds();
  return { body, headers: { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': webhook.sign(id, new Date(timestamp * 1000), body) } };
}

async function answer(response: Response): Promise<[number, string | undefined, unknown]> {
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return [response.status, (json as { error?: { code?: string } })?.error?.code, json];
}

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.each(RUNTIMES)('fetchHandler on real $name', (runtime) => {
  let base = '';
  let stop: () => Promise<void> = async () => undefined;
  beforeAll(async () => {
    const started = await runtime.start();
    base = started.url;
    stop = started.stop;
  }, 60_000);
  afterAll(() => stop());

  const post = (path: string, delivery: { headers: Record<string, string>; body: string }) => fetch(`${base}${path}`, { method: 'POST', headers: delivery.headers, body: delivery.body }).then(answer);

  it('a delivery signed by standardwebhooks → 200 {"ok":true}', async () => {
    expect(await post('/events', signed({ type: 'invoice.paid', data: { id: 'in_1' } }))).toEqual([200, undefined, { ok: true }]);
  });

  it('one byte of the body changed → 401 signature_mismatch', async () => {
    const delivery = signed({ type: 'invoice.paid', data: { id: 'in_2' } });
    expect((await post('/events', { ...delivery, body: delivery.body.replace('in_2', 'in_3') })).slice(0, 2)).toEqual([401, 'signature_mismatch']);
  });

  it('signed 10 minutes ago → 401 timestamp_too_old', async () => {
    expect((await post('/events', signed({ type: 'invoice.paid' }, { timestamp: nowSeconds() - 600 }))).slice(0, 2)).toEqual([401, 'timestamp_too_old']);
  });

  it('the same delivery twice → 200, then 200 {"duplicate":true}', async () => {
    const delivery = signed({ type: 'invoice.paid', data: { id: 'in_4' } });
    expect(await post('/events', delivery)).toEqual([200, undefined, { ok: true }]);
    expect(await post('/events', delivery)).toEqual([200, undefined, { ok: true, duplicate: true }]);
  });

  it(`a body over maxBodyBytes (${MAX_BODY_BYTES}) → 413 body_too_large`, async () => {
    expect((await post('/events', signed({ type: 'invoice.paid', pad: 'x'.repeat(MAX_BODY_BYTES) }))).slice(0, 2)).toEqual([413, 'body_too_large']);
  });

  it('GET → 405 method_not_allowed with Allow: POST', async () => {
    const response = await fetch(`${base}/events`);
    expect(response.headers.get('allow')).toBe('POST');
    expect((await answer(response)).slice(0, 2)).toEqual([405, 'method_not_allowed']);
  });

  it('a signed Slack url_verification → 200 with the challenge; unsigned → 400 missing_header', async () => {
    const payload = { type: 'url_verification', challenge: 'runtime-challenge-7' };
    const request = signRequest(slack({ signingSecret: SLACK_SECRET }), payload);
    const ok = await fetch(`${base}/slack`, { method: 'POST', headers: request.headers as Record<string, string>, body: request.body as string });
    expect([ok.status, await ok.text()]).toEqual([200, 'runtime-challenge-7']);
    const unsigned = await fetch(`${base}/slack`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload) });
    expect((await answer(unsigned)).slice(0, 2)).toEqual([400, 'missing_header']);
  });
});

