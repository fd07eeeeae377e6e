import { createServer, type IncomingMessage } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { createReceiver } from '../../../src/index.js';
import type { Provider } from '../../../src/providers/types.js';

export interface Captured {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: Buffer;
  status: number;
  answer: string;
}

export interface TestReceiver {
  url: string;
  captured: Captured[];
  handled: unknown[];
  close(): Promise<void>;
}

/** A real hookguard receiver on 127.0.0.1 that also keeps the exact bytes of every request, for the senders' SDKs to check. */
export async function startReceiver(provider: Provider): Promise<TestReceiver> {
  const receiver = createReceiver({ provider });
  const handled: unknown[] = [];
  receiver.onAny((delivery) => {
    handled.push(delivery.payload);
  });
  const captured: Captured[] = [];
  const server = createServer(async (req, res) => {
    const body = await readAll(req);
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')]));
    const result = await receiver.receive({ method: req.method ?? 'POST', url: req.url ?? '/', headers, body });
    const answer = result.body;
    captured.push({ method: req.method ?? '', url: req.url ?? '', headers, body, status: result.status, answer });
    res.writeHead(result.status, result.headers).end(answer);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhooks`,
    captured,
    handled,
    close: async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}

async function readAll(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** A port nothing listens on: bind one, note it, close it. */
export async function closedPort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}
