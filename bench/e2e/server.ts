/**
 * One end-to-end case's Express server on 127.0.0.1:0, in a process of its own (forked by
 * bench/e2e.ts with `<case> <path>`): sends its port over IPC, answers `{ cmd: 'cpu' }` with its
 * CPU time (µs, all threads), exits when the parent disconnects.
 */
import type { AddressInfo } from 'node:net';
import express, { type Response } from 'express';
import { secrets } from '../lib/deliveries.js';
import { handwrittenHandledStatus, handwrittenStatus, invoicePaid } from '../lib/handwritten.js';
import { hookguard, hookguardExpress } from '../lib/hookguard.js';

const [name, path = '/webhook'] = process.argv.slice(2);
const app = express();

function answer(res: Response, status: number): void {
  if (status !== 200) return void res.status(status).end();
  res.status(200).setHeader('content-type', 'application/json; charset=utf-8');
  res.end('{"ok":true}');
}

switch (name) {
  case 'floor':
    app.post(path, express.raw({ type: '*/*' }), (_req, res) => answer(res, 200));
    break;
  case 'handwritten':
    app.post(path, express.raw({ type: '*/*' }), (req, res) => answer(res, handwrittenStatus(req.headers, req.body)));
    break;
  case 'handwritten-handled':
    app.post(path, express.raw({ type: '*/*' }), (req, res) => void handwrittenHandledStatus(req.headers, req.body).then((status) => answer(res, status)));
    break;
  case 'hookguard': {
    const { createReceiver, providers } = hookguard;
    // dedupe: false, as the load generator repeats one signed request.
    const receiver = createReceiver({ provider: providers.standardWebhooks({ secret: secrets.standardWebhooks }), events: { 'invoice.paid': invoicePaid }, dedupe: false });
    let total = 0;
    receiver.on('invoice.paid', async (delivery) => {
      total += delivery.payload.data.object.amount; // typed from the schema
    });
    app.post(path, hookguardExpress.expressMiddleware(receiver));
    process.on('exit', () => void total);
    break;
  }
  default:
    throw new Error(`unknown case ${String(name)}`);
}

const server = app.listen(0, '127.0.0.1', () => process.send?.({ port: (server.address() as AddressInfo).port }));
process.on('message', (message: { cmd?: string }) => {
  if (message.cmd !== 'cpu') return;
  const { user, system } = process.cpuUsage();
  process.send?.({ cpu: user + system });
});
process.on('disconnect', () => server.close(() => process.exit(0)));
