/**
 * Broken parts through a real Express server (#6): a hung handler, a handler throwing a
 * non-Error, a dedupe store that throws. Each answer makes the sender retry, and the retry is
 * handled — nothing acknowledged and lost.
 */
import { randomBytes } from 'node:crypto';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { expressMiddleware } from '../../src/adapters/express.js';
import { providers } from '../../src/providers/index.js';
import { createReceiver } from '../../src/receiver/create-receiver.js';
import type { Receiver } from '../../src/receiver/types.js';
import { memoryStore } from '../../src/stores/memory.js';
import { listen, type Listening } from '../helpers/server.js';

const SECRET = `whsec_${randomBytes(32).toString('base64')}`;
const provider = providers.standardWebhooks({ secret: SECRET });
const open: Listening[] = [];
afterEach(async () => {
  for (const server of open.splice(0)) await server.close();
});

async function serve(receiver: Receiver): Promise<string> {
  const app = express();
  app.post('/webhooks', expressMiddleware(receiver));
  const server = await listen(app);
  open.push(server);
  return server.url;
}

async function post(url: string, id: string): Promise<[number, string | undefined]> {
  const body = JSON.stringify({ type: 'invoice.paid', data: { id: 'in_1' } });
  const { headers } = provider.sign({ body, id });
  const response = await fetch(`${url}/webhooks`, { method: 'POST', headers, body });
  const json = (await response.json()) as { error?: { code?: string } };
  return [response.status, json.error?.code];
}

describe('faults through Express', () => {
  it('a hung handler → [503, handler_timeout]; the retry of the same id is handled → 200 (#6)', async () => {
    const receiver = createReceiver({ provider, handlerTimeoutMs: 200 });
    let calls = 0;
    receiver.on('invoice.paid', () => (++calls === 1 ? new Promise(() => {}) : undefined));
    const url = await serve(receiver);
    expect(await post(url, 'msg_hung')).toEqual([503, 'handler_timeout']);
    expect(await post(url, 'msg_hung')).toEqual([200, undefined]);
    expect(await post(url, 'msg_hung')).toEqual([200, undefined]); // duplicate
    expect(calls).toBe(2);
  });

  it('a handler throwing a string → [500, handler_failed]; the retry is handled → 200 (#6)', async () => {
    const receiver = createReceiver({ provider });
    let calls = 0;
    receiver.on('invoice.paid', () => {
      // A non-Error value, as some libraries throw.
      if (++calls === 1) throw 'rate limited';
    });
    const url = await serve(receiver);
    expect(await post(url, 'msg_string')).toEqual([500, 'handler_failed']);
    expect(await post(url, 'msg_string')).toEqual([200, undefined]);
  });

  it('a dedupe store that throws → [503, store_unavailable] and no handler runs; once it recovers, the retry is handled (#6)', async () => {
    let down = true;
    const store = memoryStore();
    const receiver = createReceiver({
      provider,
      dedupe: { claim: (id) => (down ? Promise.reject(new Error('ECONNREFUSED 127.0.0.1:6379')) : store.claim(id)), complete: (id) => store.complete(id), release: (id) => store.release(id) },
    });
    let calls = 0;
    receiver.on('invoice.paid', () => {
      calls++;
    });
    const url = await serve(receiver);
    expect(await post(url, 'msg_store')).toEqual([503, 'store_unavailable']);
    expect(calls).toBe(0);
    down = false;
    expect(await post(url, 'msg_store')).toEqual([200, undefined]);
    expect(calls).toBe(1);
  });
});
