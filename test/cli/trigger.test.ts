import { Buffer } from 'node:buffer';
import { createHmac } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verify as octokitVerify } from '@octokit/webhooks-methods';
import { verifyKey } from 'discord-interactions';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { providers } from '../../src/index.js';
import { generateEd25519KeyPair } from '../../src/testing/index.js';
import { BIN, ensureBuilt, runCli } from './helpers/cli.js';
import { closedPort, startReceiver, type Captured, type TestReceiver } from './helpers/receiver.js';

const STRIPE_SECRET = 'whsec_cli_test_5f2b8a';
const GITHUB_SECRET = 'It’s a Secret to Everybody';
const SLACK_SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
const SHOPIFY_SECRET = 'shpss_0123456789abcdef0123456789abcdef';
const SW_SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const DISCORD = generateEd25519KeyPair(new Uint8Array(32).fill(7));
const DISCORD_PUBLIC_HEX = Buffer.from(DISCORD.publicKey.slice('whpk_'.length), 'base64').toString('hex');
const stripeSdk = new Stripe('sk_test_x');

beforeAll(ensureBuilt, 240_000);

async function withReceiver<T>(provider: Parameters<typeof startReceiver>[0], run: (receiver: TestReceiver) => Promise<T>): Promise<T> {
  const receiver = await startReceiver(provider);
  try {
    return await run(receiver);
  } finally {
    await receiver.close();
  }
}

async function listOf(preset: string): Promise<string[]> {
  const { code, stdout } = await runCli(['trigger', preset, '--list']);
  expect(code).toBe(0);
  return stdout.trim().split('\n');
}

/** Each sender's own SDK (or, where it publishes none for Node, its documented algorithm) must accept what trigger sent. */
const ORACLES: Record<string, { args: string[]; provider: () => Parameters<typeof startReceiver>[0]; check(c: Captured, event: string): Promise<void> | void }> = {
  stripe: {
    args: ['--secret', STRIPE_SECRET],
    provider: () => providers.stripe({ secret: STRIPE_SECRET }),
    check(c, event) {
      const parsed = stripeSdk.webhooks.constructEvent(c.body, c.headers['stripe-signature'] as string, STRIPE_SECRET);
      expect(parsed).toMatchObject({ object: 'event', type: event, livemode: false, data: { object: expect.any(Object) } });
      expect(parsed.id).toMatch(/^evt_[A-Za-z0-9]{24}$/);
      expect(Math.abs(parsed.created - Date.now() / 1000)).toBeLessThan(60);
    },
  },
  github: {
    args: ['--secret', GITHUB_SECRET],
    provider: () => providers.github({ secret: GITHUB_SECRET }),
    async check(c, event) {
      expect(await octokitVerify(GITHUB_SECRET, c.body.toString('utf8'), c.headers['x-hub-signature-256'] as string)).toBe(true);
      expect(c.headers['x-hub-signature']).toBe(`sha1=${createHmac('sha1', GITHUB_SECRET).update(c.body).digest('hex')}`);
      expect(c.headers['x-github-event']).toBe(event.split('.')[0]);
      expect(c.headers['x-github-delivery']).toMatch(/^[0-9a-f-]{36}$/);
      expect(c.headers['user-agent']).toMatch(/^GitHub-Hookshot\//);
    },
  },
  'standard-webhooks': {
    args: ['--secret', SW_SECRET],
    provider: () => providers.standardWebhooks({ secret: SW_SECRET }),
    check(c, event) {
      expect(new StandardWebhook(SW_SECRET).verify(c.body.toString('utf8'), c.headers)).toMatchObject({ type: event });
    },
  },
  discord: {
    args: ['--private-key', DISCORD.privateKey],
    provider: () => providers.discord({ publicKey: DISCORD.publicKey }),
    async check(c) {
      expect(await verifyKey(c.body, c.headers['x-signature-ed25519'] as string, c.headers['x-signature-timestamp'] as string, DISCORD_PUBLIC_HEX)).toBe(true);
    },
  },
  // Slack and Shopify publish no verifier for Node outside their app frameworks: their documented HMACs are the oracle.
  slack: {
    args: ['--secret', SLACK_SECRET],
    provider: () => providers.slack({ signingSecret: SLACK_SECRET }),
    check(c) {
      const basestring = Buffer.concat([Buffer.from(`v0:${c.headers['x-slack-request-timestamp']}:`), c.body]);
      expect(c.headers['x-slack-signature']).toBe(`v0=${createHmac('sha256', SLACK_SECRET).update(basestring).digest('hex')}`);
    },
  },
  shopify: {
    args: ['--secret', SHOPIFY_SECRET],
    provider: () => providers.shopify({ secret: SHOPIFY_SECRET }),
    check(c, event) {
      expect(c.headers['x-shopify-hmac-sha256']).toBe(createHmac('sha256', SHOPIFY_SECRET).update(c.body).digest('base64'));
      expect(c.headers['x-shopify-topic']).toBe(event);
      expect(c.headers['x-shopify-shop-domain']).toMatch(/\.myshopify\.com$/);
    },
  },
};

describe('hookguard trigger: every sample, verified by the sender SDK', () => {
  for (const [preset, oracle] of Object.entries(ORACLES)) {
    it(`trigger ${preset} <each sample>: a hookguard receiver answers 2xx and the sender's verifier accepts the bytes`, async () => {
      const events = await listOf(preset);
      expect(events.length).toBeGreaterThanOrEqual(4);
      await withReceiver(oracle.provider(), async (receiver) => {
        for (const event of events) {
          const result = await runCli(['trigger', preset, event, '--url', receiver.url, ...oracle.args]);
          expect(result.stderr).toBe('');
          expect([event, result.code]).toEqual([event, 0]);
          const captured = receiver.captured.at(-1) as Captured;
          expect([event, captured.status]).toEqual([event, captured.status >= 200 && captured.status < 300 ? captured.status : 'not 2xx']);
          await oracle.check(captured, event);
        }
        expect(receiver.captured).toHaveLength(events.length);
      });
    }, 120_000);
  }

  it('stripe samples are complete Event objects (#18)', async () => {
    await withReceiver(providers.stripe({ secret: STRIPE_SECRET }), async (receiver) => {
      await runCli(['trigger', 'stripe', 'invoice.paid', '--url', receiver.url, '--secret', STRIPE_SECRET]);
      const event = JSON.parse((receiver.captured[0] as Captured).body.toString('utf8')) as Record<string, unknown>;
      expect(Object.keys(event).sort()).toEqual(['api_version', 'created', 'data', 'id', 'livemode', 'object', 'pending_webhooks', 'request', 'type']);
      expect((receiver.captured[0] as Captured).body.toString('utf8')).toContain('\n  "id": "evt_'); // Stripe pretty-prints
    });
  });
});

describe('hookguard trigger: options', () => {
  let receiver: TestReceiver;
  beforeAll(async () => {
    receiver = await startReceiver(providers.stripe({ secret: STRIPE_SECRET }));
  });
  afterAll(() => receiver.close());
  const base = () => ['trigger', 'stripe', 'payment_intent.succeeded', '--url', receiver.url, '--secret', STRIPE_SECRET];

  it('--override path=value sets fields (JSON values parsed) and the result still verifies', async () => {
    const { code } = await runCli([...base(), '--override', 'data.object.amount=500', '--override', 'data.object.metadata.order_id=A-77', '--override', 'livemode=true']);
    expect(code).toBe(0);
    const event = stripeSdk.webhooks.constructEvent((receiver.captured.at(-1) as Captured).body, (receiver.captured.at(-1) as Captured).headers['stripe-signature'] as string, STRIPE_SECRET);
    expect(event.data.object).toMatchObject({ amount: 500, metadata: { order_id: 'A-77' } });
    expect(event.livemode).toBe(true);
  });

  it('--data file.json and --data - replace the payload', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hookguard-cli-'));
    const file = join(dir, 'event.json');
    writeFileSync(file, JSON.stringify({ id: 'evt_custom', object: 'event', type: 'invoice.paid', data: { object: { id: 'in_1' } } }));
    expect((await runCli([...base(), '--data', file])).code).toBe(0);
    expect(JSON.parse((receiver.captured.at(-1) as Captured).body.toString())).toMatchObject({ id: 'evt_custom' });
    expect((await runCli([...base(), '--data', '-'], { input: '{"id":"evt_stdin","type":"x"}' })).code).toBe(0);
    expect(JSON.parse((receiver.captured.at(-1) as Captured).body.toString())).toMatchObject({ id: 'evt_stdin' });
  });

  it('--duplicate sends the same delivery twice: the receiver answers the second as a duplicate; exit 0', async () => {
    const { code, stdout } = await runCli([...base(), '--duplicate']);
    expect(code).toBe(0);
    const [first, second] = receiver.captured.slice(-2) as [Captured, Captured];
    expect(second.body.equals(first.body)).toBe(true);
    expect(second.headers['stripe-signature']).toBe(first.headers['stripe-signature']);
    expect(JSON.parse(second.answer)).toEqual({ ok: true, duplicate: true });
    expect(stdout).toContain('(duplicate: same id and signature)');
  });

  it('--stale: the receiver refuses with 401 timestamp_too_old, which is the expected answer; exit 0', async () => {
    const { code, stdout } = await runCli([...base(), '--stale']);
    expect(code).toBe(0);
    const last = receiver.captured.at(-1) as Captured;
    expect([last.status, JSON.parse(last.answer).error.code]).toEqual([401, 'timestamp_too_old']);
    expect(stdout).toContain('← 401');
  });

  it('--tamper: the receiver refuses with 401 signature_mismatch; exit 0', async () => {
    const { code } = await runCli([...base(), '--tamper']);
    expect(code).toBe(0);
    const last = receiver.captured.at(-1) as Captured;
    expect([last.status, JSON.parse(last.answer).error.code]).toEqual([401, 'signature_mismatch']);
  });

  it('--json prints the request and the answer for scripts', async () => {
    const { code, stdout } = await runCli([...base(), '--json']);
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(out).toMatchObject({ ok: true, expected: '2xx', deliveries: [{ response: { status: 200, body: '{"ok":true}' } }] });
    expect(out.deliveries[0].request.headers['stripe-signature']).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(stdout).not.toContain(STRIPE_SECRET);
  });

  it('a wrong secret: the receiver answers 401 and trigger exits 1', async () => {
    const { code, stdout } = await runCli(['trigger', 'stripe', 'invoice.paid', '--url', receiver.url, '--secret', 'whsec_other']);
    expect(code).toBe(1);
    expect(stdout).toContain('← 401');
    expect(stdout).toContain('did not accept');
  });
});

describe('hookguard trigger/send: exit codes of every error path', () => {
  it('an endpoint that accepts a tampered delivery: exit 1', async () => {
    // A handler with no verification at all: it answers 200 to anything.
    const { createServer } = await import('node:http');
    const server = createServer((_req, res) => res.end('ok')).listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
    try {
      const { code, stdout } = await runCli(['trigger', 'github', 'push', '--url', url, '--secret', 's', '--tamper']);
      expect(code).toBe(1);
      expect(stdout).toContain('did not refuse');
    } finally {
      server.close();
    }
  });

  it('nothing listening at --url: exit 3', async () => {
    const port = await closedPort();
    const { code, stderr } = await runCli(['trigger', 'github', 'ping', '--url', `http://127.0.0.1:${port}/webhooks`, '--secret', 's']);
    expect(code).toBe(3);
    expect(stderr).toContain('ECONNREFUSED');
  });

  const usage: Array<[string, string[], RegExp]> = [
    ['no command', [], /Usage: hookguard/],
    ['unknown command', ['frobnicate'], /Unknown command/],
    ['unknown preset', ['trigger', 'nope', 'x', '--url', 'http://127.0.0.1:1', '--secret', 's'], /Unknown preset "nope"/],
    ['unknown event', ['trigger', 'stripe', 'nope.event', '--url', 'http://127.0.0.1:1', '--secret', 's'], /No stripe sample for "nope.event"/],
    ['no event', ['trigger', 'stripe', '--url', 'http://127.0.0.1:1', '--secret', 's'], /Name an event/],
    ['no samples for the preset', ['trigger', 'zoom', 'x', '--url', 'http://127.0.0.1:1', '--secret', 's'], /No samples for zoom/],
    ['missing --url', ['trigger', 'stripe', 'invoice.paid', '--secret', 's'], /--url is required/],
    ['missing --secret', ['trigger', 'stripe', 'invoice.paid', '--url', 'http://127.0.0.1:1'], /stripe needs --secret/],
    ['discord without a key', ['trigger', 'discord', 'PING', '--url', 'http://127.0.0.1:1'], /--private-key/],
    ['bad --private-key', ['trigger', 'discord', 'PING', '--url', 'http://127.0.0.1:1', '--private-key', 'abc'], /32-byte Ed25519 seed/],
    ['an undecodable whsec secret', ['trigger', 'standard-webhooks', 'user.created', '--url', 'http://127.0.0.1:1', '--secret', 'whsec_!!!'], /not a `whsec_`-prefixed base64 secret/],
    ['bad --override', ['trigger', 'stripe', 'invoice.paid', '--url', 'http://127.0.0.1:1', '--secret', 's', '--override', 'novalue'], /path=value/],
    ['--override into the prototype', ['trigger', 'stripe', 'invoice.paid', '--url', 'http://127.0.0.1:1', '--secret', 's', '--override', '__proto__.x=1'], /not a usable path/],
    ['two variants', ['trigger', 'stripe', 'invoice.paid', '--url', 'http://127.0.0.1:1', '--secret', 's', '--stale', '--tamper'], /Choose one of/],
    ['--stale for a sender that signs no time', ['trigger', 'github', 'push', '--url', 'http://127.0.0.1:1', '--secret', 's', '--stale'], /signs no timestamp/],
    ['an unknown option', ['trigger', 'stripe', 'invoice.paid', '--frob'], /Unknown option '--frob'/],
    ['--data not found', ['trigger', 'stripe', 'invoice.paid', '--url', 'http://127.0.0.1:1', '--secret', 's', '--data', '/nonexistent.json'], /cannot read "\/nonexistent.json" \(ENOENT\)/],
    ['--data not JSON', ['trigger', 'stripe', 'invoice.paid', '--url', 'http://127.0.0.1:1', '--secret', 's', '--data', '-'], /is not JSON/],
    ['--header without a colon', ['trigger', 'stripe', 'invoice.paid', '--url', 'http://127.0.0.1:1', '--secret', 's', '--header', 'nocolon'], /Name: value/],
    ['send without --data', ['send', 'stripe', '--url', 'http://127.0.0.1:1', '--secret', 's'], /--data is required/],
    ['send with a positional payload', ['send', 'stripe', 'file.json', '--url', 'http://127.0.0.1:1', '--secret', 's'], /the payload goes in --data/],
    ['square without --public-url', ['send', 'square', '--url', 'http://127.0.0.1:1', '--secret', 's', '--data', '-'], /--notification-url|--public-url/],
  ];
  for (const [name, args, message] of usage) {
    it(`${name}: exit 2 with the reason on stderr`, async () => {
      const { code, stderr, stdout } = await runCli(args, { input: 'not json' });
      expect(code).toBe(2);
      expect(stderr + stdout).toMatch(message);
    });
  }

  it('run through a symlink as npm installs bins (node_modules/.bin/hookguard): the shipped samples are found', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hookguard-bin-'));
    symlinkSync(BIN, join(dir, 'hookguard'));
    const out = execFileSync(process.execPath, [join(dir, 'hookguard'), 'trigger', 'github', '--list'], { cwd: dir, encoding: 'utf8' });
    expect(out.split('\n')).toContain('issues.opened');
  });

  for (const command of ['trigger', 'send', 'explain']) {
    it(`${command} --help: exit 0 with usage and exit codes`, async () => {
      const { code, stdout } = await runCli([command, '--help']);
      expect(code).toBe(0);
      expect(stdout).toContain(`Usage: hookguard ${command}`);
      expect(stdout).toContain('Exit codes');
    });
  }
});

describe('hookguard send', () => {
  it('sends the file byte for byte (no re-serialisation), signed; stdin works too', async () => {
    await withReceiver(providers.standardWebhooks({ secret: SW_SECRET }), async (receiver) => {
      const dir = mkdtempSync(join(tmpdir(), 'hookguard-cli-'));
      const file = join(dir, 'payload.json');
      const bytes = '{\n  "type": "invoice.paid",\n  "data": { "amount": 1e3, "name": "Zoë \\u00e9" }\n}\n';
      writeFileSync(file, bytes);
      expect((await runCli(['send', 'standard-webhooks', '--url', receiver.url, '--secret', SW_SECRET, '--data', file])).code).toBe(0);
      expect((receiver.captured[0] as Captured).body.toString('utf8')).toBe(bytes);
      expect(new StandardWebhook(SW_SECRET).verify(bytes, (receiver.captured[0] as Captured).headers)).toMatchObject({ type: 'invoice.paid' });
      expect((await runCli(['send', 'standard-webhooks', '--url', receiver.url, '--secret', SW_SECRET, '--data', '-'], { input: bytes })).code).toBe(0);
      expect((receiver.captured[1] as Captured).body.toString('utf8')).toBe(bytes);
    });
  });

  it('send github --type issues.opened sets X-GitHub-Event; octokit verifies', async () => {
    await withReceiver(providers.github({ secret: GITHUB_SECRET }), async (receiver) => {
      const { code } = await runCli(['send', 'github', '--url', receiver.url, '--secret', GITHUB_SECRET, '--type', 'issues.opened', '--data', '-'], { input: '{"action":"opened","issue":{"number":1}}' });
      expect(code).toBe(0);
      const captured = receiver.captured[0] as Captured;
      expect(captured.headers['x-github-event']).toBe('issues');
      expect(await octokitVerify(GITHUB_SECRET, captured.body.toString(), captured.headers['x-hub-signature-256'] as string)).toBe(true);
      expect(receiver.handled).toEqual([{ action: 'opened', issue: { number: 1 } }]);
    });
  });
});
