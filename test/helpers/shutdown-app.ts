/**
 * A webhook server as a user would run it in production, for the SIGTERM test (#6): Express,
 * hookguard, and the documented shutdown — on SIGTERM, `receiver.close()` (new deliveries get
 * 503, those in flight finish), then `server.close()`. Talks to the test over IPC: tells it when
 * a handler has started and when it is shutting down; a handler waits for the test's `release`.
 */
import express from 'express';
import { expressMiddleware } from '../../src/adapters/express.js';
import { providers } from '../../src/providers/index.js';
import { createReceiver } from '../../src/receiver/create-receiver.js';
import { reply } from '../../src/receiver/reply.js';

const send = (message: unknown): void => {
  process.send?.(message);
};

const receiver = createReceiver({ provider: providers.standardWebhooks({ secret: process.env.WEBHOOK_SECRET as string }) });
const releases: (() => void)[] = [];
process.on('message', (message) => {
  if (message === 'release') for (const release of releases.splice(0)) release();
});

receiver.on('invoice.paid', async ({ id }) => {
  send({ event: 'handling', id });
  await new Promise<void>((resolve) => releases.push(resolve));
  send({ event: 'handled', id });
  return reply({ handled: id });
});

const app = express();
app.post('/webhooks', expressMiddleware(receiver));
const server = app.listen(0, '127.0.0.1', () => {
  const address = server.address();
  send({ event: 'listening', port: typeof address === 'object' && address !== null ? address.port : 0 });
});

process.once('SIGTERM', () => {
  send({ event: 'closing' });
  void receiver.close({ timeoutMs: 20_000 }).then((drained) => {
    send({ event: 'drained', drained });
    server.close(() => {
      send({ event: 'closed' });
      process.disconnect?.();
    });
  });
});
