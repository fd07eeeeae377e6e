import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { sign as octokitSign } from '@octokit/webhooks-methods';
import express from 'express';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import Stripe from 'stripe';
import { Webhook as SvixWebhook } from 'svix';
import twilio from 'twilio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, runCli } from './helpers/cli.js';
import { readAll, saveAs, startCapture, type Raw } from './helpers/capture.js';

const STRIPE_SECRET = 'whsec_explain_9c1d2e';
const SVIX_SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const GITHUB_SECRET = 'gh-secret-B';
const TWILIO_TOKEN = '12345678901234567890123456789012';
const stripeSdk = new Stripe('sk_test_x');
const PAYLOAD = JSON.stringify({ id: 'evt_1', object: 'event', type: 'invoice.paid', data: { object: { id: 'in_1', customer_name: 'Zoë', amount: 500 } } }, null, 2);

let capture: Awaited<ReturnType<typeof startCapture>>;
beforeAll(async () => {
  await ensureBuilt();
  capture = await startCapture();
}, 240_000);
afterAll(() => capture.close());

/** Sends a request with fetch and returns it exactly as the capture server received it. */
async function sent(path: string, headers: Record<string, string>, body: string, target = capture.url): Promise<Raw> {
  const before = capture.requests.length;
  await fetch(target + path, { method: 'POST', headers, body });
  expect(capture.requests.length).toBe(before + 1);
  return capture.requests.at(-1) as Raw;
}

const explain = (preset: string, file: string, ...rest: string[]) => runCli(['explain', preset, '--request', file, ...rest]);

describe('hookguard explain: valid requests signed by the senders’ own SDKs → verified, exit 0', () => {
  it('stripe (generateTestHeaderString), captured as raw HTTP', async () => {
    const header = stripeSdk.webhooks.generateTestHeaderString({ payload: PAYLOAD, secret: STRIPE_SECRET });
    const raw = await sent('/webhooks', { 'content-type': 'application/json', 'stripe-signature': header }, PAYLOAD);
    const { code, stdout } = await explain('stripe', saveAs(raw, 'http'), '--secret', STRIPE_SECRET);
    expect([code, stdout]).toEqual([0, expect.stringContaining('✓ verified')]);
    expect(stdout).not.toContain(STRIPE_SECRET);
  });

  it('svix (Webhook.sign), captured as a HAR entry', async () => {
    const id = 'msg_2KWPBgLlAfxdpx2AI54pPJ85f4W';
    const now = new Date();
    const raw = await sent('/webhooks', { 'content-type': 'application/json', 'svix-id': id, 'svix-timestamp': String(Math.floor(now.getTime() / 1000)), 'svix-signature': new SvixWebhook(SVIX_SECRET).sign(id, now, PAYLOAD) }, PAYLOAD);
    expect((await explain('svix', saveAs(raw, 'har'), '--secret', SVIX_SECRET)).code).toBe(0);
  });

  it('standard-webhooks (standardwebhooks sign) and github (@octokit/webhooks-methods sign), captured as curl commands', async () => {
    const id = 'msg_p5jXN8AQM9LWM0D4loKWxJek';
    const now = new Date();
    const sw = await sent('/webhooks', { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': String(Math.floor(now.getTime() / 1000)), 'webhook-signature': new StandardWebhook(SVIX_SECRET).sign(id, now, PAYLOAD) }, PAYLOAD);
    expect((await explain('standard-webhooks', saveAs(sw, 'curl'), '--secret', SVIX_SECRET)).code).toBe(0);
    const gh = await sent('/webhooks', { 'content-type': 'application/json', 'x-github-event': 'issues', 'x-github-delivery': '72d3162e-cc78-11e3-81ab-4c9367dc0958', 'x-hub-signature-256': await octokitSign(GITHUB_SECRET, PAYLOAD) }, PAYLOAD);
    expect((await explain('github', saveAs(gh, 'curl'), '--secret', GITHUB_SECRET)).code).toBe(0);
  });

  it('several secrets: says which one verifies (#2 of 2)', async () => {
    const gh = await sent('/webhooks', { 'x-github-event': 'ping', 'x-hub-signature-256': await octokitSign(GITHUB_SECRET, PAYLOAD) }, PAYLOAD);
    const { code, stdout } = await explain('github', saveAs(gh, 'http'), '--secret', 'gh-secret-A', '--secret', GITHUB_SECRET);
    expect(code).toBe(0);
    expect(stdout).toContain('Secret #2 of 2 verifies');
    const json = JSON.parse((await explain('github', saveAs(gh, 'http'), '--secret', 'gh-secret-A', '--secret', GITHUB_SECRET, '--json')).stdout);
    expect(json).toMatchObject({ verified: true, secretIndex: 2, preset: 'github' });
  });
});

describe('hookguard explain: requests broken by real mistakes → the cause, exit 1', () => {
  it('an Express app with express.json() re-stringifying the body before verifying', async () => {
    const app = express();
    let captured: Raw | undefined;
    app.post('/webhooks', express.json(), (req, res) => {
      // What such an app hands to its verifier: JSON.stringify(req.body), not the bytes received.
      captured = { method: req.method, url: req.originalUrl, rawHeaders: req.rawHeaders, body: Buffer.from(JSON.stringify(req.body)), at: new Date() };
      res.sendStatus(400);
    });
    const server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const header = stripeSdk.webhooks.generateTestHeaderString({ payload: PAYLOAD, secret: STRIPE_SECRET });
      await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks`, { method: 'POST', headers: { 'content-type': 'application/json', 'stripe-signature': header }, body: PAYLOAD });
    } finally {
      server.close();
    }
    const { code, stdout } = await explain('stripe', saveAs(captured as Raw, 'http'), '--secret', STRIPE_SECRET);
    expect(code).toBe(1);
    expect(stdout).toContain('signature_mismatch');
    expect(stdout).toContain('re-serialised');
    expect(stdout).toContain('the sender sent JSON indented with 2 spaces, the captured body is compact JSON');
    expect(stdout).toContain('express.json()');
  });

  it('a proxy that adds a trailing newline to the body', async () => {
    const proxy = createServer(async (req, res) => {
      const body = Buffer.concat([await readAll(req), Buffer.from('\n')]);
      const headers = { ...req.headers, 'content-length': String(body.length) };
      const answer = await fetch(capture.url + (req.url ?? '/'), { method: 'POST', headers: headers as unknown as Record<string, string>, body });
      res.writeHead(answer.status).end(await answer.text());
    });
    proxy.listen(0, '127.0.0.1');
    await once(proxy, 'listening');
    try {
      const id = 'msg_proxy1';
      const now = new Date();
      const raw = await sent('/webhooks', { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': String(Math.floor(now.getTime() / 1000)), 'webhook-signature': new StandardWebhook(SVIX_SECRET).sign(id, now, PAYLOAD) }, PAYLOAD, `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`);
      expect(raw.body.toString().endsWith('}\n')).toBe(true);
      const { code, stdout } = await explain('standard-webhooks', saveAs(raw, 'har'), '--secret', SVIX_SECRET);
      expect(code).toBe(1);
      expect(stdout).toContain('The body gained a trailing newline (LF) after it was signed');
    } finally {
      proxy.close();
    }
  });

  it('a sender with a wrong clock (an hour behind): how many seconds outside the window', async () => {
    const id = 'msg_clock1';
    const then = new Date(Date.now() - 3600_000);
    const raw = await sent('/webhooks', { 'content-type': 'application/json', 'svix-id': id, 'svix-timestamp': String(Math.floor(then.getTime() / 1000)), 'svix-signature': new SvixWebhook(SVIX_SECRET).sign(id, then, PAYLOAD) }, PAYLOAD);
    const now = Math.floor(Date.now() / 1000);
    const { code, stdout } = await explain('svix', saveAs(raw, 'curl'), '--secret', SVIX_SECRET, '--now', String(now));
    expect(code).toBe(1);
    expect(stdout).toContain('timestamp_too_old');
    expect(stdout).toMatch(/The signature is valid, but the timestamp .* is 360\d s older than the clock used/);
    expect(stdout).toMatch(/: 330\d s too old/);
  });

  it('a signature header of another preset: which preset it fits', async () => {
    const id = 'msg_other';
    const now = new Date();
    const raw = await sent('/webhooks', { 'svix-id': id, 'svix-timestamp': String(Math.floor(now.getTime() / 1000)), 'svix-signature': new SvixWebhook(SVIX_SECRET).sign(id, now, PAYLOAD) }, PAYLOAD);
    const { code, stdout } = await explain('standard-webhooks', saveAs(raw, 'http'), '--secret', SVIX_SECRET);
    expect(code).toBe(1);
    expect(stdout).toContain('missing_header');
    expect(stdout).toContain('verifies as the svix preset');
  });

  it('a Stripe secret passed without its whsec_ prefix', async () => {
    const header = stripeSdk.webhooks.generateTestHeaderString({ payload: PAYLOAD, secret: STRIPE_SECRET });
    const raw = await sent('/webhooks', { 'stripe-signature': header }, PAYLOAD);
    const { code, stdout } = await explain('stripe', saveAs(raw, 'http'), '--secret', STRIPE_SECRET.slice('whsec_'.length));
    expect(code).toBe(1);
    expect(stdout).toContain('Secret #1 verifies with a whsec_ prefix');
  });

  it('a Standard Webhooks sender that used the whsec_ text as the key instead of decoding it', async () => {
    const { createHmac } = await import('node:crypto');
    const id = 'msg_text_key';
    const ts = String(Math.floor(Date.now() / 1000));
    const signature = createHmac('sha256', SVIX_SECRET).update(`${id}.${ts}.${PAYLOAD}`).digest('base64');
    const raw = await sent('/webhooks', { 'webhook-id': id, 'webhook-timestamp': ts, 'webhook-signature': `v1,${signature}` }, PAYLOAD);
    const { code, stdout } = await explain('standard-webhooks', saveAs(raw, 'http'), '--secret', SVIX_SECRET);
    expect(code).toBe(1);
    expect(stdout).toContain('did not base64-decode it');
  });

  it('twilio behind a tunnel: the public URL that would verify', async () => {
    const params = { AccountSid: 'AC123', Body: 'Hello', From: '+15005550006', MessageSid: 'SM1', To: '+15005550001' };
    const publicUrl = 'https://abc123.example-tunnel.app/sms';
    const signature = twilio.getExpectedTwilioSignature(TWILIO_TOKEN, publicUrl, params);
    const raw = await sent('/sms', { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature, 'x-forwarded-host': 'abc123.example-tunnel.app', 'x-forwarded-proto': 'https' }, new URLSearchParams(params).toString());
    const file = saveAs(raw, 'http');
    const { code, stdout } = await explain('twilio', file, '--secret', TWILIO_TOKEN);
    expect(code).toBe(1);
    expect(stdout).toContain(`The sender signed the URL ${publicUrl}`);
    expect((await explain('twilio', file, '--secret', TWILIO_TOKEN, '--public-url', publicUrl)).code).toBe(0);
  });
});

describe('hookguard explain: usage errors exit 2', () => {
  const cases: Array<[string, string[], RegExp]> = [
    ['no --request', ['explain', 'stripe', '--secret', 's'], /--request is required/],
    ['an unreadable file', ['explain', 'stripe', '--secret', 's', '--request', '/nonexistent.txt'], /ENOENT/],
    ['no key', ['explain', 'stripe', '--request', 'package.json'], /needs the key/],
    ['bad --now', ['explain', 'stripe', '--secret', 's', '--request', 'package.json', '--now', 'yesterday'], /--now must be/],
  ];
  for (const [name, args, message] of cases) {
    it(`${name}: exit 2`, async () => {
      const { code, stderr } = await runCli(args);
      expect(code).toBe(2);
      expect(stderr).toMatch(message);
    });
  }
  it('a file that is no request: exit 2', async () => {
    const file = saveAs({ method: 'POST', url: '/', rawHeaders: [], body: Buffer.alloc(0), at: new Date() }, 'http');
    writeFileSync(file, 'hello world\n');
    const { code, stderr } = await runCli(['explain', 'stripe', '--secret', 's', '--request', file]);
    expect(code).toBe(2);
    expect(stderr).toContain('not raw HTTP');
  });
});
