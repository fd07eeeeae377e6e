import { Buffer } from 'node:buffer';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { providers } from '../../src/index.js';
import type { AppExchange, DeliveryRecord, Replay } from '../../src/cli/listen/record.js';
import type { Fixture } from '../../src/cli/listen/fixture.js';
import { signRequest } from '../../src/testing/index.js';
import { startApp, type TestApp } from './helpers/app.js';
import { ensureBuilt, runCli } from './helpers/cli.js';
import { startListen, type RunningListen } from './helpers/listen.js';
import { closedPort } from './helpers/receiver.js';

const SECRET = 'whsec_listen_test_9c1d2e';
const FIXTURE_SECRET = 'whsec_my_own_test_secret';

interface Listing {
  preset: string;
  forward: string | null;
  deliveries: DeliveryRecord[];
}

beforeAll(ensureBuilt, 240_000);

const tempDir = () => mkdtempSync(join(tmpdir(), 'hookguard-listen-'));
const last = async (listen: RunningListen) => (await listen.api<Listing>('deliveries')).deliveries.at(-1) as DeliveryRecord;
const trigger = (url: string, ...extra: string[]) => runCli(['trigger', 'stripe', 'invoice.paid', '--url', url, '--secret', SECRET, ...extra]);

describe('hookguard listen: usage errors exit 2', () => {
  it.each([
    ['no --preset', ['--secret', SECRET]],
    ['an unknown preset', ['--preset', 'nope', '--secret', SECRET]],
    ['stripe without --secret', ['--preset', 'stripe']],
    ['a port that is not a number', ['--preset', 'stripe', '--secret', SECRET, '--port', 'abc']],
    ['a port out of range', ['--preset', 'stripe', '--secret', SECRET, '--port', '70000']],
    ['--forward that is not a URL', ['--preset', 'stripe', '--secret', SECRET, '--forward', 'localhost:3000']],
    ['an unknown option', ['--preset', 'stripe', '--secret', SECRET, '--colour']],
    ['a positional argument', ['stripe', '--secret', SECRET]],
  ])('%s → 2 with a hint', async (_name, args) => {
    const { code, stderr } = await runCli(['listen', ...args]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^error: /);
  });

  it('a port already in use → 2 naming --port', async () => {
    const busy = createServer().listen(0, '127.0.0.1');
    await once(busy, 'listening');
    const port = String((busy.address() as { port: number }).port);
    try {
      const { code, stderr } = await runCli(['listen', '--preset', 'stripe', '--secret', SECRET, '--port', port, '--dir', tempDir()]);
      expect(code).toBe(2);
      expect(stderr).toContain(`Port ${port} on 127.0.0.1 is in use`);
    } finally {
      busy.close();
    }
  });

  it('--help → 0 and documents every option', async () => {
    const { code, stdout } = await runCli(['listen', '--help']);
    expect(code).toBe(0);
    for (const option of ['--preset', '--secret', '--port', '--host', '--forward', '--forward-all', '--dir', '--keep', '--json']) expect(stdout).toContain(option);
  });
});

describe('hookguard listen --forward: a real Express app using hookguard', () => {
  let app: TestApp;
  let listen: RunningListen;
  const dir = tempDir();

  beforeAll(async () => {
    app = await startApp(providers.stripe({ secret: SECRET }));
    listen = await startListen(['--preset', 'stripe', '--secret', SECRET, '--forward', app.url, '--dir', dir]);
  });
  afterAll(async () => {
    await listen?.stop();
    await app?.close();
  });

  it('binds 127.0.0.1 by default', () => {
    expect(listen.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('trigger → verified, recorded with the exact bytes, forwarded; the app answers 200 and trigger exits 0', async () => {
    const { code, stdout } = await trigger(listen.url);
    expect(code, stdout).toBe(0);
    expect(app.handled.at(-1)?.type).toBe('invoice.paid');
    const record = await last(listen);
    expect(record).toMatchObject({ n: 1, verdict: 'verified', type: 'invoice.paid', preset: 'stripe', method: 'POST', path: '/webhooks', forwarded: { status: 200 }, answer: { status: 200 } });
    expect(record.id).toMatch(/^evt_/);
    expect(Buffer.from(record.body, 'base64').equals(app.requests.at(-1)?.body as Buffer)).toBe(true);
    expect(record.headers.find(([name]) => name === 'stripe-signature')?.[1]).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(record.verifyMs).toBeGreaterThanOrEqual(0);
    expect(listen.output()).toMatch(/#1 \S+ POST \/webhooks invoice\.paid ✓ verified → app 200/);
  });

  it('a forged delivery (--tamper) → recorded as signature_mismatch, answered 401, not forwarded', async () => {
    const before = app.requests.length;
    const { code } = await trigger(listen.url, '--tamper');
    expect(code).toBe(0); // trigger --tamper expects a 4xx
    const record = await last(listen);
    expect(record).toMatchObject({ n: 2, verdict: 'rejected', code: 'signature_mismatch', answer: { status: 401 } });
    expect(record.forwarded).toBeUndefined();
    expect(record.notForwarded).toContain('signature_mismatch');
    expect(app.requests.length).toBe(before);
  });

  it('replay re-signs with a fresh timestamp and reaches the app again', async () => {
    const before = app.requests.length;
    const original = (await listen.api<Listing>('deliveries')).deliveries[0] as DeliveryRecord;
    await new Promise((r) => setTimeout(r, 1100)); // a different second, so the t= must differ
    const result = await listen.api<Replay>('deliveries/1/replay?mode=resigned', 'POST');
    expect(result).toMatchObject({ mode: 'resigned', status: 200 });
    expect(app.requests.length).toBe(before + 1);
    const sent = app.requests.at(-1) as { headers: Record<string, string>; body: Buffer };
    expect(sent.body.equals(Buffer.from(original.body, 'base64'))).toBe(true);
    const t = (header: string) => Number(/t=(\d+)/.exec(header)?.[1]);
    expect(t(sent.headers['stripe-signature'] as string)).toBeGreaterThan(t(original.headers.find(([n]) => n === 'stripe-signature')?.[1] as string));
    expect((await listen.api<Listing>('deliveries')).deliveries[0]?.replays).toHaveLength(1);
  });

  it('replay as received sends the original signature', async () => {
    const result = await listen.api<Replay>('deliveries/1/replay?mode=original', 'POST');
    expect(result).toMatchObject({ mode: 'original', status: 200 });
    const original = (await listen.api<Listing>('deliveries')).deliveries[0] as DeliveryRecord;
    expect(app.requests.at(-1)?.headers['stripe-signature']).toBe(original.headers.find(([n]) => n === 'stripe-signature')?.[1]);
  });

  it('replay of a forged delivery as received reaches the app, which refuses it with 401', async () => {
    const result = await listen.api<Replay>('deliveries/2/replay?mode=original', 'POST');
    expect(result).toMatchObject({ status: 401 });
  });

  it('the inspector API refuses a POST without X-Hookguard-Inspector (403) and requests through a tunnel (404)', async () => {
    const bare = await fetch(`${listen.origin}/_hookguard/deliveries/1/replay`, { method: 'POST' });
    expect(bare.status).toBe(403);
    const tunnelled = await fetch(`${listen.origin}/_hookguard/deliveries`, { headers: { 'x-forwarded-for': '203.0.113.9' } });
    expect(tunnelled.status).toBe(404);
    const page = await fetch(`${listen.origin}/`, { headers: { 'x-forwarded-for': '203.0.113.9' } });
    expect(page.status).toBe(404);
  });

  it('copy as curl: the command, run by sh, reaches the app and verifies', async () => {
    const command = await listen.api<string>('deliveries/1/curl');
    expect(command).toContain(`curl -X POST '${app.url}'`);
    const before = app.requests.length;
    // Asynchronously: the app runs in this process and must answer while curl waits.
    const { stdout: output } = await promisify(execFile)('sh', ['-c', `${command.trim()} -s -o /dev/null -w '%{http_code}'`]);
    expect(output).toBe('200');
    expect(app.requests.length).toBe(before + 1);
  });

  it('save as fixture: a JSON file that signRequest reproduces with the test secret, accepted by the app', async () => {
    const { path, fixture } = await listen.api<{ path: string; fixture: Fixture }>('deliveries/1/fixture', 'POST');
    expect(path).toBe(join(dir, 'fixtures', 'stripe-invoice.paid-1.json'));
    const saved = JSON.parse(readFileSync(path, 'utf8')) as Fixture;
    expect(saved).toEqual(fixture);
    expect(JSON.stringify(saved)).not.toMatch(/stripe-signature|v1=/);
    const testApp = await startApp(providers.stripe({ secret: FIXTURE_SECRET }));
    try {
      const { headers, body } = signRequest(providers.stripe({ secret: FIXTURE_SECRET }), saved.body, { ...(saved.type ? { type: saved.type } : {}), headers: saved.headers });
      const response = await fetch(testApp.url, { method: 'POST', headers, body });
      expect(response.status).toBe(200);
      expect(testApp.handled[0]).toMatchObject({ type: 'invoice.paid', payload: JSON.parse(saved.body as string) });
    } finally {
      await testApp.close();
    }
  });

  it('never writes the secret to the history or the page', async () => {
    const history = readFileSync(join(dir, 'history.json'), 'utf8');
    expect(history).not.toContain(SECRET);
    expect(history).not.toContain(SECRET.slice('whsec_'.length));
    const page = await (await fetch(`${listen.origin}/`)).text();
    expect(page).not.toContain(SECRET);
    expect(JSON.stringify(await listen.api('deliveries'))).not.toContain(SECRET);
    expect(readFileSync(join(dir, '.gitignore'), 'utf8')).toBe('*\n');
  });

  it('the history survives a restart, and numbering continues', async () => {
    expect(await listen.stop()).toBe(0);
    listen = await startListen(['--preset', 'stripe', '--secret', SECRET, '--forward', app.url, '--dir', dir]);
    expect(listen.output()).toContain('(last 200; 2 now)');
    const { deliveries } = await listen.api<Listing>('deliveries');
    expect(deliveries.map((d) => [d.n, d.verdict, d.code ?? null])).toEqual([
      [1, 'verified', null],
      [2, 'rejected', 'signature_mismatch'],
    ]);
    expect(deliveries[0]?.replays.length).toBe(2);
    const replayed = await listen.api<Replay>('deliveries/1/replay', 'POST');
    expect(replayed.status).toBe(200);
    expect((await trigger(listen.url)).code).toBe(0);
    expect((await last(listen)).n).toBe(3);
  });
});

describe('hookguard listen: other paths', () => {
  it('--forward-all forwards a forged delivery; the app refuses it and that answer goes back to the sender', async () => {
    const app = await startApp(providers.stripe({ secret: SECRET }));
    const listen = await startListen(['--preset', 'stripe', '--secret', SECRET, '--forward', app.url, '--forward-all', '--dir', tempDir()]);
    try {
      const { code, stdout } = await trigger(listen.url, '--tamper', '--json');
      expect(code).toBe(0);
      expect(JSON.parse(stdout).deliveries[0].response.status).toBe(401);
      expect(app.requests).toHaveLength(1);
      expect(await last(listen)).toMatchObject({ verdict: 'rejected', code: 'signature_mismatch', forwarded: { status: 401 } });
    } finally {
      await listen.stop();
      await app.close();
    }
  });

  it('an app that is not running: 502 to the sender, recorded; trigger exits 1', async () => {
    const dead = `http://127.0.0.1:${await closedPort()}/webhooks`;
    const listen = await startListen(['--preset', 'stripe', '--secret', SECRET, '--forward', dead, '--dir', tempDir()]);
    try {
      expect((await trigger(listen.url)).code).toBe(1);
      const record = await last(listen);
      expect(record.answer.status).toBe(502);
      expect((record.forwarded as AppExchange).error).toContain('could not reach');
    } finally {
      await listen.stop();
    }
  });

  it('without --forward: answers as a hookguard receiver, and replay says to add --forward', async () => {
    const listen = await startListen(['--preset', 'stripe', '--secret', SECRET, '--dir', tempDir()]);
    try {
      expect((await trigger(listen.url)).code).toBe(0);
      expect(await last(listen)).toMatchObject({ verdict: 'verified', notForwarded: 'no --forward', answer: { status: 200 } });
      expect((await listen.api<Replay>('deliveries/1/replay', 'POST')).error).toContain('--forward');
    } finally {
      await listen.stop();
    }
  });

  it('gitlab: the token header is redacted in the history, and replay as received restores it for the app', async () => {
    const token = 'glpat-listen-token-7f3a';
    const app = await startApp(providers.gitlab({ token }));
    const dir = tempDir();
    const listen = await startListen(['--preset', 'gitlab', '--secret', token, '--forward', app.url, '--dir', dir]);
    const data = join(dir, 'push.json');
    writeFileSync(data, JSON.stringify({ object_kind: 'push', ref: 'refs/heads/main' }));
    try {
      const { code, stdout } = await runCli(['send', 'gitlab', '--url', listen.url, '--secret', token, '--data', data, '--type', 'Push Hook']);
      expect(code, stdout).toBe(0);
      const record = await last(listen);
      expect(record.verdict).toBe('verified');
      expect(record.headers.find(([n]) => n.toLowerCase() === 'x-gitlab-token')?.[1]).toBe('[redacted: --secret #1]');
      expect(readFileSync(join(dir, 'history.json'), 'utf8')).not.toContain(token);
      expect(await listen.api<Replay>(`deliveries/${record.n}/replay?mode=original`, 'POST')).toMatchObject({ status: 200 });
      expect(app.requests.at(-1)?.headers['x-gitlab-token']).toBe(token);
    } finally {
      await listen.stop();
      await app.close();
    }
  });

  it('--keep bounds the history', async () => {
    const dir = tempDir();
    const listen = await startListen(['--preset', 'stripe', '--secret', SECRET, '--keep', '2', '--dir', dir]);
    try {
      for (let i = 0; i < 3; i++) expect((await trigger(listen.url)).code).toBe(0);
      expect((await listen.api<Listing>('deliveries')).deliveries.map((d) => d.n)).toEqual([2, 3]);
    } finally {
      await listen.stop();
    }
    expect((JSON.parse(readFileSync(join(dir, 'history.json'), 'utf8')) as Listing).deliveries.map((d) => d.n)).toEqual([2, 3]);
    expect(existsSync(join(dir, '.gitignore'))).toBe(true);
  });
});
