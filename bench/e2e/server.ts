/**
 * One end-to-end case's Express server on 127.0.0.1, port 0, in a process of its own; sends
 * its port to the parent over IPC. Usage (forked by bench/e2e.ts): server.ts <case>
 */
import type { AddressInfo } from 'node:net';
import { Webhooks, createNodeMiddleware } from '@octokit/webhooks';
import express, { type Request, type Response } from 'express';
import { Webhook as SvixWebhook } from 'svix';
import { hookguard, hookguardExpress } from '../lib/hookguard.js';
import { secrets } from '../lib/deliveries.js';
import { handwrittenHandledStatus, handwrittenStatus } from '../lib/handwritten.js';
import { invoicePaid } from '../lib/schemas.js';
import { PATH, type CaseName } from './cases.js';

const { createReceiver, providers } = hookguard;
const { expressMiddleware } = hookguardExpress;
const name = process.argv[2] as CaseName;
const app = express();
const OK = '{"ok":true}';

function ok(res: Response): void {
  res.status(200).setHeader('content-type', 'application/json; charset=utf-8');
  res.end(OK);
}

/** The hand-written route: lib/handwritten.ts's checks over express.raw()'s buffer. */
function handwritten(req: Request, res: Response): void {
  answer(res, handwrittenStatus(req.headers, req.body));
}

/** (b*): (b), then the schema and the awaited handler of (c). */
function handwrittenHandled(req: Request, res: Response): void {
  handwrittenHandledStatus(req.headers, req.body).then((status) => answer(res, status));
}

function answer(res: Response, status: number): void {
  if (status === 200) ok(res);
  else res.status(status).end();
}

switch (name) {
  case 'floor':
    app.post(PATH, express.raw({ type: '*/*' }), (_req, res) => ok(res));
    break;
  case 'handwritten':
  case 'handwritten-unique':
    app.post(PATH, express.raw({ type: '*/*' }), handwritten);
    break;
  case 'handwritten-handled':
    app.post(PATH, express.raw({ type: '*/*' }), handwrittenHandled);
    break;
  case 'hookguard':
  case 'hookguard-dedupe': {
    const receiver = createReceiver({
      provider: providers.standardWebhooks({ secret: secrets.standardWebhooks }),
      events: { 'invoice.paid': invoicePaid },
      ...(name === 'hookguard' ? { dedupe: false as const } : {}),
    });
    let total = 0;
    receiver.on('invoice.paid', async (delivery) => {
      total += delivery.payload.data.object.amount; // typed from the schema
    });
    app.post(PATH, expressMiddleware(receiver));
    process.on('exit', () => void total);
    break;
  }
  case 'hookguard-github': {
    // (d)'s work with hookguard: the same GitHub delivery, an `issues.opened` handler, no schema.
    const receiver = createReceiver({ provider: providers.github({ secret: secrets.github }), dedupe: false });
    receiver.on('issues.opened', () => undefined);
    app.post(PATH, expressMiddleware(receiver));
    break;
  }
  case 'octokit': {
    const webhooks = new Webhooks({ secret: secrets.github });
    webhooks.on('issues.opened', () => undefined);
    app.use(createNodeMiddleware(webhooks, { path: PATH, log: { debug() {}, info() {}, warn() {}, error() {} } }));
    break;
  }
  case 'svix': {
    const svix = new SvixWebhook(secrets.standardWebhooks);
    app.post(PATH, express.raw({ type: '*/*' }), (req, res) => {
      try {
        svix.verify(req.body as Buffer, req.headers as Record<string, string>);
      } catch {
        res.status(401).end();
        return;
      }
      ok(res);
    });
    break;
  }
  default:
    throw new Error(`unknown case ${String(name)}`);
}

const server = app.listen(0, '127.0.0.1', () => {
  process.send?.({ port: (server.address() as AddressInfo).port });
});
// The parent asks for this process's CPU time (µs, all threads) before and after each load run:
// CPU per request is the server's own cost, whatever else the shared machine is doing.
process.on('message', (message: { cmd?: string }) => {
  if (message.cmd === 'cpu') {
    const { user, system } = process.cpuUsage();
    process.send?.({ cpu: user + system });
  }
});
process.on('disconnect', () => server.close(() => process.exit(0)));
