import { Buffer } from 'node:buffer';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { curlCommand } from '../../../../src/cli/listen/curl.js';
import { History } from '../../../../src/cli/listen/history.js';
import { isLocal } from '../../../../src/cli/listen/inspector.js';
import { redact, unredact, type DeliveryRecord } from '../../../../src/cli/listen/record.js';
import { overlay } from '../../../../src/cli/listen/replay.js';

const record = (n: number, body: Buffer = Buffer.from('{"a":1}')): DeliveryRecord => ({
  n,
  receivedAt: new Date(0).toISOString(),
  method: 'POST',
  path: '/webhooks',
  headers: [['Host', '127.0.0.1:4000'], ['Content-Type', 'application/json'], ['Content-Length', String(body.length)], ['X-Sig', "it's"]],
  body: body.toString('base64'),
  size: body.length,
  truncated: false,
  preset: 'stripe',
  verdict: 'verified',
  verifyMs: 0,
  answer: { status: 200, body: '' },
  replays: [],
});

describe('redact() / unredact()', () => {
  it('replaces every occurrence of each secret with a numbered placeholder, and restores it', () => {
    const text = 'token=abcd1234&again=abcd1234&other=zzzz9999';
    const hidden = redact(text, ['abcd1234', 'zzzz9999']);
    expect(hidden).toBe('token=[redacted: --secret #1]&again=[redacted: --secret #1]&other=[redacted: --secret #2]');
    expect(unredact(hidden, ['abcd1234', 'zzzz9999'])).toBe(text);
  });

  it('leaves secrets shorter than 4 characters alone (they would redact ordinary text)', () => {
    expect(redact('a=1', ['1'])).toBe('a=1');
  });
});

describe('overlay()', () => {
  it('replaces received headers the signer sets, whatever their case, and keeps the rest', () => {
    expect(overlay([['Stripe-Signature', 't=1,v1=old'], ['User-Agent', 'Stripe/1.0']], { 'stripe-signature': 't=2,v1=new' })).toEqual([
      ['User-Agent', 'Stripe/1.0'],
      ['stripe-signature', 't=2,v1=new'],
    ]);
  });
});

describe('curlCommand()', () => {
  async function sentBy(command: string): Promise<{ headers: Record<string, unknown>; body: Buffer }> {
    const server = createServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    const received = new Promise<{ headers: Record<string, unknown>; body: Buffer }>((done) => {
      server.on('request', async (req, res) => {
        const chunks: Buffer[] = [];
        for await (const chunk of req) chunks.push(chunk as Buffer);
        res.end('ok');
        done({ headers: req.headers, body: Buffer.concat(chunks) });
      });
    });
    await promisify(execFile)('sh', ['-c', `${command.replace('URL', url).trim()} -s -o /dev/null`]);
    server.close();
    return received;
  }

  it('sends a text body and the headers byte for byte, quoting single quotes, without Host or Content-Length', async () => {
    const command = curlCommand(record(1, Buffer.from('{"name":"O\'Brien"}\n')), 'URL');
    expect(command).not.toMatch(/-H 'Host|-H 'Content-Length/);
    const { headers, body } = await sentBy(command);
    expect(body.toString()).toBe('{"name":"O\'Brien"}\n');
    expect(headers['x-sig']).toBe("it's");
  });

  it('sends a binary body through base64 so no byte changes', async () => {
    const bytes = Buffer.from([0x1f, 0x8b, 0x00, 0xff, 0x0a, 0x27]);
    const command = curlCommand(record(1, bytes), 'URL');
    expect(command).toMatch(/^printf %s '.*' \| base64 -d \| curl/);
    expect((await sentBy(command)).body.equals(bytes)).toBe(true);
  });
});

describe('History', () => {
  const dir = () => mkdtempSync(join(tmpdir(), 'hookguard-history-'));

  it('keeps the last `keep` records, writes them on flush and reads them back', () => {
    const at = dir();
    const history = new History(at, 2);
    for (const n of [1, 2, 3]) history.add(record(n));
    history.flush();
    expect(history.all().map((r) => r.n)).toEqual([2, 3]);
    const again = new History(at, 2);
    expect(again.all().map((r) => r.n)).toEqual([2, 3]);
    expect(again.reserveNumber()).toBe(4);
    expect(again.reserveNumber()).toBe(5);
    expect(readFileSync(join(at, '.gitignore'), 'utf8')).toBe('*\n');
  });

  it('a record added late (a slow app) still takes its place by number', () => {
    const history = new History(dir(), 10);
    const [first, second] = [history.reserveNumber(), history.reserveNumber()];
    history.add(record(second));
    history.add(record(first));
    expect(history.all().map((r) => r.n)).toEqual([1, 2]);
  });

  it('a damaged history file: a warning and an empty history, not a crash', () => {
    const at = dir();
    writeFileSync(join(at, 'history.json'), '{"version":1,"deliv');
    const warnings: string[] = [];
    const history = new History(at, 200, (message) => warnings.push(message));
    expect(history.all()).toEqual([]);
    expect(warnings[0]).toContain('could not be read');
  });
});

describe('isLocal()', () => {
  const req = (headers: Record<string, string>) => ({ headers }) as unknown as Parameters<typeof isLocal>[0];
  it.each([
    [{ host: '127.0.0.1:4000' }, true],
    [{ host: 'localhost:4000' }, true],
    [{ host: '[::1]:4000' }, true],
    [{ host: 'abc.trycloudflare.com' }, false],
    [{ host: 'attacker.example:4000' }, false],
    [{ host: '127.0.0.1:4000', 'x-forwarded-for': '203.0.113.9' }, false],
    [{ host: 'localhost:4000', forwarded: 'for=203.0.113.9' }, false],
  ])('%j → %s', (headers, local) => {
    expect(isLocal(req(headers))).toBe(local);
  });
});
