import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { createReceiver } from '../../../src/index.js';
import { expressMiddleware } from '../../../src/adapters/express.js';
import type { Provider } from '../../../src/providers/types.js';

export interface AppRequest {
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export interface TestApp {
  url: string;
  /** Every request that reached POST /webhooks, before hookguard looked at it. */
  requests: AppRequest[];
  /** Payloads of the deliveries hookguard handed to the handler. */
  handled: Array<{ type: string | undefined; payload: unknown }>;
  close(): Promise<void>;
}

/** The user's app: Express with a hookguard receiver on POST /webhooks, on 127.0.0.1. */
export async function startApp(provider: Provider): Promise<TestApp> {
  const receiver = createReceiver({ provider, dedupe: false });
  const handled: TestApp['handled'] = [];
  receiver.onAny((delivery) => {
    handled.push({ type: delivery.type, payload: delivery.payload });
  });
  const requests: AppRequest[] = [];
  const app = express();
  app.post(
    '/webhooks',
    express.raw({ type: () => true }),
    (req, _res, next) => {
      requests.push({ headers: req.headers, body: req.body as Buffer });
      next();
    },
    expressMiddleware(receiver),
  );
  const server: Server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhooks`,
    requests,
    handled,
    close: async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}
